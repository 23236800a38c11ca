import type { IndexableEvent } from '../pipeline-types';
import { dailyIndexName } from './index-name';

/**
 * How an event is stored as one queue line: its bulk action line (`{"index":{"_index":…,"_id":…}}`), a tab, the
 * document's JSON. JSON never contains a raw tab or newline, so the split is unambiguous, and a bulk body is the
 * stored bytes with each record's first tab turned into a newline: the sink neither parses nor re-encodes documents.
 * Earlier versions stored `{"id":…,"ts":…}` as the header; such records are still read.
 */
export interface QueuedEvent {
  id: string;
  index: string;
  /** The document, serialised. */
  doc: string;
}

const TAB = 0x09;

export function encodeEvent(event: IndexableEvent, indexPrefix: string, now: Date): string {
  // The id is base64url and the index a validated lower-case name: neither needs JSON escaping.
  return `{"index":{"_index":"${dailyIndexName(indexPrefix, event.timestamp, now)}","_id":"${event.id}"}}\t${event.json}`;
}

/** Where the header ends in a stored record; -1 when there is no tab (not a stored event). */
export function headerEnd(record: Buffer): number {
  return record.indexOf(TAB);
}

/**
 * A stored line read back into its parts (the slow path: dead letters, records of earlier versions, sinks other than
 * Elasticsearch). Undefined for a line that is not a stored event (disk corruption); the caller counts and skips it.
 * `indexPrefix` and `now` name the daily index of a record of an earlier version, which did not store it.
 */
export function decodeRecord(line: Buffer, indexPrefix = '', now = new Date()): QueuedEvent | undefined {
  const tab = headerEnd(line);
  if (tab < 0) {
    return undefined;
  }
  try {
    const header = JSON.parse(line.toString('utf8', 0, tab)) as { index?: { _index?: unknown; _id?: unknown }; id?: unknown; ts?: unknown };
    const doc = line.toString('utf8', tab + 1);
    const id = header.index ? header.index._id : header.id;
    const index = header.index ? header.index._index : dailyIndexName(indexPrefix, header.ts, now);
    if (typeof id !== 'string' || id === '' || typeof index !== 'string' || !doc.startsWith('{') || !doc.endsWith('}')) {
      return undefined;
    }
    return { id, index, doc };
  } catch {
    return undefined;
  }
}

const ACTION_PREFIX = Buffer.from('{"index":{"');

/** True when the record's header is a bulk action line (the current format), so its bytes go into a bulk body as they are. */
export function isBulkRecord(record: Buffer): boolean {
  return record.length > ACTION_PREFIX.length && record.compare(ACTION_PREFIX, 0, ACTION_PREFIX.length, 0, ACTION_PREFIX.length) === 0;
}
