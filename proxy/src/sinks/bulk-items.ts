import type { BulkIngestResponse, estypes } from '../clients/elasticsearch';

/**
 * What to do with each item of a bulk request, from the response (items come back in request order). Follows
 * Logstash's policy: 400/404 (mapping and parsing errors) will never succeed, so they go to the dead-letter index;
 * everything else that failed (429 rejections, 5xx, shard trouble) is retried.
 */
export type ItemOutcome =
  | { kind: 'ok' }
  | { kind: 'retry'; status: number; reason: string }
  | { kind: 'dead_letter'; status: number; error: estypes.ErrorCause };

const DEAD_LETTER_STATUSES = new Set([400, 404]);

export function classifyBulkItems(response: BulkIngestResponse, count: number): ItemOutcome[] {
  if (!response.errors) {
    return Array.from({ length: count }, () => ({ kind: 'ok' }));
  }
  return Array.from({ length: count }, (_, i): ItemOutcome => {
    const item = response.items?.[i] ? Object.values(response.items[i])[0] : undefined;
    if (!item) {
      return { kind: 'retry', status: 0, reason: 'no result for this item in the bulk response' };
    }
    if (item.status >= 200 && item.status < 300) {
      return { kind: 'ok' };
    }
    const error: estypes.ErrorCause = item.error ?? { type: 'unknown', reason: `status ${item.status}` };
    return DEAD_LETTER_STATUSES.has(item.status)
      ? { kind: 'dead_letter', status: item.status, error }
      : { kind: 'retry', status: item.status, reason: describeError(error) };
  });
}

/** `type: reason (caused by type: reason)`, one line. */
export function describeError(error: estypes.ErrorCause): string {
  const cause = error.caused_by ? ` (caused by ${describeError(error.caused_by)})` : '';
  return `${error.type}: ${error.reason ?? ''}${cause}`;
}
