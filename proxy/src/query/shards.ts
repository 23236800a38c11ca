/**
 * A search that some shards did not answer (a node gone, a shard without a live copy, a timeout) still returns 200
 * with what the other shards had. Counts from it are too low, so the panel says so instead of undercounting silently.
 */
import type { FrameNotice } from '@shared/query';
import type { estypes } from '../clients/search-engine';

const MAX_REASONS = 2;

export function partialResultsNotice(response: Pick<estypes.SearchResponse, '_shards' | 'timed_out'>): FrameNotice | undefined {
  const shards = response._shards;
  const failed = shards?.failed ?? 0;
  if (failed === 0 && !response.timed_out) {
    return undefined;
  }
  const reasons = [...new Set((shards?.failures ?? []).map((f) => [f.reason?.type, f.reason?.reason].filter(Boolean).join(': ')).filter(Boolean))];
  const why = reasons.length > 0 ? ` (${reasons.slice(0, MAX_REASONS).join('; ')}${reasons.length > MAX_REASONS ? '; …' : ''})` : '';
  const what = failed > 0 ? `${failed} of ${shards.total} shards did not answer${why}` : 'the search timed out before every shard answered';
  return { severity: 'warning', text: `Partial results: ${what}. Counts may be too low; refresh once the cluster is healthy.` };
}
