import type { IndexableEvent } from '../pipeline-types';

/**
 * How an event is stored as one queue line: a small JSON header (id, @timestamp), a tab, the document's JSON.
 * JSON never contains a raw tab or newline, so the split is unambiguous, and the sink can put the document into a
 * bulk body as the stored string without parsing it again.
 */
export interface QueuedEvent {
  id: string;
  /** The document's `@timestamp` as stored (the sink names the daily index from it). */
  timestamp: unknown;
  /** The document, already serialised. */
  doc: string;
}

export function encodeEvent(event: IndexableEvent): string {
  return `${JSON.stringify({ id: event.id, ts: event.doc['@timestamp'] })}\t${JSON.stringify(event.doc)}`;
}

/** Undefined for a line that is not a stored event (disk corruption); the caller counts and skips it. */
export function decodeRecord(line: string): QueuedEvent | undefined {
  const tab = line.indexOf('\t');
  if (tab < 0) {
    return undefined;
  }
  try {
    const header = JSON.parse(line.slice(0, tab)) as { id?: unknown; ts?: unknown };
    const doc = line.slice(tab + 1);
    if (typeof header.id !== 'string' || header.id === '' || !doc.startsWith('{') || !doc.endsWith('}')) {
      return undefined;
    }
    return { id: header.id, timestamp: header.ts, doc };
  } catch {
    return undefined;
  }
}
