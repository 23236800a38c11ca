/**
 * The ingest path's seams: sources (proxy/src/sources) decode bytes into messages, transforms (proxy/src/transforms)
 * turn a message into an indexable event, the pipeline appends events to the disk queue, and the sink
 * (proxy/src/sinks) drains the queue into Elasticsearch.
 */

export type SourceName = 'gelf_udp' | 'gelf_tcp' | 'gelf_http' | 'json_udp' | 'json_tcp' | 'json_http';

export const SOURCE_NAMES: SourceName[] = ['gelf_udp', 'gelf_tcp', 'gelf_http', 'json_udp', 'json_tcp', 'json_http'];

/** One decoded message as a source hands it on: a JSON object, never bytes. */
export interface ReceivedMessage {
  source: SourceName;
  /** GELF (1.1 fields, `_`-prefixed extras) or DreamFactory's plain JSON mode (`_message`, `_level`, context). */
  format: 'gelf' | 'json';
  body: Record<string, unknown>;
  receivedAt: Date;
  /** Sender address, for chunk keys and `source_host`. */
  remoteAddress?: string;
  /** Sender port. DreamFactory opens a new socket per message, so it tells apart identical messages without a timestamp. */
  remotePort?: number;
}

/** What the transform produces and the queue stores: a document with a deterministic id. */
export interface IndexableEvent {
  /** Derived from the event's content, so a re-sent batch overwrites instead of duplicating. */
  id: string;
  /** Has `@timestamp` (ISO, UTC); the sink names the daily index from it. */
  doc: Record<string, unknown>;
}

/** Why a message or event was dropped; the `reason` label of insights_ingest_dropped_total. */
export type DropReason =
  | 'bad_json'
  | 'not_object'
  | 'too_big'
  | 'bomb'
  | 'bad_compression'
  | 'too_deep'
  | 'bad_chunk'
  | 'too_many_chunks'
  | 'expired_chunks'
  | 'duplicate_chunk'
  | 'chunk_memory'
  | 'duplicate_event'
  | 'queue_full';

/** Where sources deliver. Resolves once the message is durably queued (HTTP sources answer only then). */
export type MessageHandler = (message: ReceivedMessage) => Promise<void>;

/** Sources report what they could not decode through this, so every input is counted. */
export type DropHandler = (source: SourceName, reason: DropReason) => void;

/** A running listener. */
export interface Source {
  name: SourceName;
  /** Bound address (port 0 in config means an ephemeral port; tests read it here). */
  address(): { host: string; port: number };
  close(): Promise<void>;
}
