import { errors as osErrors } from '@opensearch-project/opensearch';
import { detectFamily } from './elasticsearch';
import { EMPTY_POINT_IN_TIME, OpenSearchEngine, splitSearchRequest, withIdTiebreak } from './opensearch-engine';

describe('OpenSearch request translation', () => {
  it('sorts on _id where OpenSearch before 3.3 has no _shard_doc, keeping the order', () => {
    expect(withIdTiebreak([{ '@timestamp': { order: 'desc' } }, { _shard_doc: { order: 'desc' } }])).toEqual([{ '@timestamp': { order: 'desc' } }, { _id: { order: 'desc' } }]);
    expect(withIdTiebreak(undefined)).toEqual([]);
  });

  it('answers a search in the point in time over no index with no hits, as Elasticsearch does', async () => {
    // Port 1: nothing may be asked of a cluster for it.
    const engine = new OpenSearchEngine({ urls: ['http://127.0.0.1:1'], tlsVerify: true, indexPrefix: 'p-', limitIndexPrefix: 'l-', deadLetterIndex: 'd', requestTimeoutMs: 1000, replicas: 0 });
    const response = await engine.searchPointInTime({ pit: { id: EMPTY_POINT_IN_TIME, keep_alive: '1m' }, size: 10 });
    expect(response.hits).toEqual({ total: { value: 0, relation: 'eq' }, max_score: null, hits: [] });
    expect(response._shards.failed).toBe(0);
    await engine.close();
  });

  it('moves URL parameters out of the search body', () => {
    expect(splitSearchRequest({ ignore_unavailable: true, size: 0, query: { match_all: {} }, allow_partial_search_results: true })).toEqual({
      params: { ignore_unavailable: true, allow_partial_search_results: true },
      body: { size: 0, query: { match_all: {} } },
    });
  });
});

describe('detectFamily', () => {
  const probe = (answer: () => Promise<string | undefined>) => ({ rootDistribution: answer }) as unknown as OpenSearchEngine;
  const httpError = (statusCode: number) => new osErrors.ResponseError({ statusCode, body: {}, headers: {}, warnings: null, meta: {} } as never);

  it('believes GET / when it names OpenSearch, and takes anything else that answers for Elasticsearch', async () => {
    expect(await detectFamily(probe(async () => 'opensearch'))).toBe('opensearch');
    expect(await detectFamily(probe(async () => undefined))).toBe('elasticsearch');
    // Elasticsearch's minimal distribution refuses GET / with 405; a cluster refusing our credentials says 401.
    expect(await detectFamily(probe(() => Promise.reject(httpError(405))))).toBe('elasticsearch');
    expect(await detectFamily(probe(() => Promise.reject(httpError(401))))).toBe('elasticsearch');
  });

  it('lets an unreachable cluster fail the call, so the next call detects again', async () => {
    const down = new osErrors.ConnectionError('connect ECONNREFUSED 127.0.0.1:9200', {} as never);
    await expect(detectFamily(probe(() => Promise.reject(down)))).rejects.toThrow('ECONNREFUSED');
  });
});
