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
  /** Parsed from `payload`; the transform takes it over and changes it in place. */
  body: Record<string, unknown>;
  /** The JSON text as received (after decompression); the document id is a hash of it. */
  payload: Buffer;
  receivedAt: Date;
  /** Sender address, for chunk keys and `source_host`. */
  remoteAddress?: string;
  /** Sender port. DreamFactory opens a new socket per message, so it tells apart identical messages without a timestamp. */
  remotePort?: number;
}

/** What the transform produces: a serialised document with a deterministic id. */
export interface IndexableEvent {
  /** Derived from the event's content, so a re-sent batch overwrites instead of duplicating. */
  id: string;
  /** The document's `@timestamp` (ISO, UTC); the daily index is named from it. */
  timestamp: string;
  /** The document as JSON: serialised once, stored in the queue and sent in the bulk body as is. */
  json: string;
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
  | 'queue_full'
  /** The disk queue could not write (disk error). */
  | 'queue_error'
  /** Read off a UDP socket while the proxy already held `ingest.udpBufferBytes` of undecoded datagrams. */
  | 'buffer_full';

/**
 * Where TCP and HTTP sources deliver one message. Resolves once it is queued; with `durable`, once it is fsynced
 * (HTTP sources answer only then).
 */
export type MessageHandler = (message: ReceivedMessage, options: { durable: boolean }) => Promise<void>;

/** A running listener. */
export interface Source {
  name: SourceName;
  /** Bound address (port 0 in config means an ephemeral port; tests read it here). */
  address(): { host: string; port: number };
  close(): Promise<void>;
}
