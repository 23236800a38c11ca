/**
 * Where a (re)started sampler resumes: the last sample stored in Elasticsearch (its time from the newest limit
 * document, its counters in use from that sample's counter documents), so a trip in progress is not counted again.
 */
import type { ElasticsearchClient, estypes } from '../clients/elasticsearch';
import type { CounterDocument } from './document';
import { EMPTY_MEMORY, restoreMemory, type SamplerMemory } from './sample';

const PAGE_SIZE = 5000;

export async function restoreFromStore(
  es: Pick<ElasticsearchClient, 'search'>,
  indexPattern: string
): Promise<SamplerMemory> {
  const newest = await es.search<{ '@timestamp': string }>(indexPattern, {
    size: 1,
    query: { term: { kind: 'limit' } },
    sort: [{ '@timestamp': { order: 'desc' } }],
    _source: ['@timestamp'],
  });
  const stamp = newest.hits.hits[0]?._source?.['@timestamp'];
  if (!stamp) {
    return EMPTY_MEMORY;
  }
  const at = Date.parse(stamp);
  const documents: CounterDocument[] = [];
  let after: estypes.SortResults | undefined;
  for (;;) {
    const page = await es.search<CounterDocument>(indexPattern, {
      size: PAGE_SIZE,
      query: {
        bool: {
          filter: [
            { term: { kind: 'counter' } },
            { range: { '@timestamp': { gte: at, lte: at, format: 'epoch_millis' } } },
            { range: { 'counter.attempts': { gt: 0 } } },
          ],
        },
      },
      sort: [{ 'counter.id': { order: 'asc' } }],
      ...(after ? { search_after: after } : {}),
    });
    const hits = page.hits.hits;
    documents.push(...hits.flatMap((hit) => (hit._source ? [hit._source] : [])));
    if (hits.length < PAGE_SIZE) {
      return restoreMemory(at, documents);
    }
    after = hits[hits.length - 1].sort;
  }
}
