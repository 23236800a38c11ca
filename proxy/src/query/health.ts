/**
 * The datasource's Save & test (`GET /api/datasource-health`): can the proxy search the events, and does DreamFactory
 * answer its key. Each upstream is asked on its own, so one being down still shows the other.
 */
import type { UpstreamHealth } from '@shared/datasource-api';
import type { SearchFailure } from '../clients/elasticsearch-errors';
import type { DreamFactoryCheck } from '../dreamfactory/health';
import type { EventSearch } from './event-search';
import { TIMESTAMP_FIELD } from './fields';
import { totalHits } from './shaper';

/** The cluster's version and how many events the index pattern holds, with the newest one's time. */
export async function elasticsearchHealth(
  search: EventSearch,
  indexPattern: string,
  explain: (err: unknown) => SearchFailure
): Promise<UpstreamHealth> {
  try {
    const info = await search.info();
    const response = await search.search(indexPattern, {
      size: 0,
      track_total_hits: true,
      aggs: { newest: { max: { field: TIMESTAMP_FIELD } } },
    });
    const total = totalHits(response);
    const newest = (response.aggregations?.newest as { value_as_string?: string } | undefined)?.value_as_string;
    const data = total > 0 ? `${total.toLocaleString('en-US')} events in ${indexPattern}, newest ${newest}` : `no events in ${indexPattern} yet (is DreamFactory logging to the proxy?)`;
    return { ok: true, version: info.version, message: `Elasticsearch ${info.version}: ${data}.` };
  } catch (err) {
    return { ok: false, message: explain(err).message };
  }
}

export function dreamFactoryHealth(check: DreamFactoryCheck): UpstreamHealth {
  return check.error === undefined && check.reachable
    ? { ok: true, message: `DreamFactory answered: ${check.users ?? 0} non-admin users.` }
    : { ok: false, message: check.error ?? 'DreamFactory did not answer.' };
}
