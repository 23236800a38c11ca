/**
 * Pure half of the Splunk HEC sink: how a queued event becomes a HEC event, and what a HEC reply means for the batch
 * that was sent.
 *
 * The reference setup (Logstash's http output to `/services/collector`) renamed `message` to `event`, so Splunk saw
 * only the message text. By default the whole document goes into `event` instead (message, user, request, response:
 * Splunk extracts the JSON fields), with `@timestamp` as HEC's `time`; `eventBody: 'message'` sends the text alone,
 * exactly as the reference did. The event id goes along as the indexed field `event_id`: HEC has no idempotent
 * writes, so a batch resent after a lost reply can repeat events, and `| dedup event_id` removes them.
 */
import type { HecReply } from '../clients/splunk-hec';
import type { QueuedEvent } from './bulk-record';

export interface HecEventOptions {
  index?: string;
  sourcetype: string;
  source: string;
  eventBody: 'document' | 'message';
}

/** `2024-05-27T08:53:20.123456Z` → 1716800000.123456 (HEC `time`: epoch seconds, fraction kept). */
export function epochSeconds(timestamp: unknown): number | undefined {
  if (typeof timestamp !== 'string') {
    return undefined;
  }
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/.exec(timestamp);
  const whole = match ? Date.parse(`${match[1]}${match[3]}`) : NaN;
  if (!match || Number.isNaN(whole)) {
    return undefined;
  }
  return Number(`${whole / 1000}.${(match[2] ?? '0').slice(0, 6)}`);
}

/** One HEC event as a JSON line. */
export function toHecEvent(queued: QueuedEvent, options: HecEventOptions): string {
  const doc = JSON.parse(queued.doc) as Record<string, unknown>;
  const { '@timestamp': timestamp, ...rest } = doc;
  const host = typeof doc.source_hostname === 'string' ? doc.source_hostname : typeof doc.source_host === 'string' ? doc.source_host : undefined;
  const text = typeof doc.message === 'string' && doc.message !== '' ? doc.message : '(no message)';
  return JSON.stringify({
    time: epochSeconds(timestamp),
    host,
    source: options.source,
    sourcetype: options.sourcetype,
    index: options.index,
    event: options.eventBody === 'message' ? text : rest,
    fields: { event_id: queued.id },
  });
}

/**
 * What to do after sending `count` events:
 * - `accepted`: all of them are Splunk's now.
 * - `retry`: none were kept (busy 503 code 9, other 5xx, 429, unreachable); send them all again after a backoff.
 * - `rejected`: events before `at` were kept, the event at `at` will never be accepted (bad data: codes 6, 12, 13)
 *   and goes to the dead letter; the rest are sent again.
 * - `refused`: the request itself is refused (token disabled/missing/invalid, codes 1-4; an index the token may not
 *   write, code 7, which every event of ours shares; another 4xx): none were kept and resending cannot help, so all go
 *   to the dead letter with the reason.
 */
export type HecOutcome =
  | { kind: 'accepted' }
  | { kind: 'retry'; reason: string }
  | { kind: 'rejected'; at: number; reason: string }
  | { kind: 'refused'; reason: string };

export function describeHecReply(status: number, reply: HecReply | undefined): string {
  return reply?.text !== undefined ? `${reply.text} (HEC code ${reply.code ?? '?'}, HTTP ${status})` : `HTTP ${status}`;
}

const INCORRECT_INDEX = 7;

export function classifyHecReply(status: number, reply: HecReply | undefined, count: number): HecOutcome {
  const reason = describeHecReply(status, reply);
  if (status >= 200 && status < 300 && (reply?.code ?? 0) === 0) {
    return { kind: 'accepted' };
  }
  if (status === 429 || status >= 500 || status === 0) {
    return { kind: 'retry', reason };
  }
  const at = reply?.['invalid-event-number'];
  if (status === 400 && reply?.code !== INCORRECT_INDEX && typeof at === 'number' && at >= 0 && at < count) {
    return { kind: 'rejected', at, reason };
  }
  return { kind: 'refused', reason };
}
