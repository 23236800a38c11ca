import { errors as esErrors } from '@elastic/elasticsearch';
import { errors as osErrors } from '@opensearch-project/opensearch';
import { loadConfig } from '../config';
import { checkVersion, explainEsError, explainSearchFailure, SHARDS_UNAVAILABLE } from './elasticsearch-errors';
import { proxyPrivileges } from './elasticsearch-privileges';

const es = (overrides = {}) =>
  loadConfig({}, { elasticsearch: { urls: ['https://admin:s3cret@es.local:9200'], username: 'proxy', ...overrides } })
    .elasticsearch;
const needed = proxyPrivileges(es(), true);
const response = (statusCode: number, body: unknown) =>
  new esErrors.ResponseError({ statusCode, body, headers: {}, warnings: null, meta: {} as never });

describe('explainEsError', () => {
  it('names the user on 401 and lists the needed privileges on 403', () => {
    expect(explainEsError(response(401, {}), es(), needed)).toMatchObject({
      kind: 'auth',
      message: expect.stringContaining('user "proxy"'),
    });
    const forbidden = explainEsError(
      response(403, { error: { reason: 'action [indices:admin/create] is unauthorized' } }),
      es(),
      needed
    );
    expect(forbidden.kind).toBe('forbidden');
    expect(forbidden.message).toContain('indices:admin/create');
    expect(forbidden.hint).toContain('manage_index_templates, manage_ilm');
    expect(forbidden.hint).toContain('create_index');
  });

  it('tells TLS problems from plain unreachability', () => {
    expect(
      explainEsError(new esErrors.ConnectionError('unable to verify the first certificate'), es(), needed)
    ).toMatchObject({
      kind: 'tls',
      hint: expect.stringContaining('ES_CA_FILE'),
    });
    expect(explainEsError(new esErrors.ConnectionError('connect ECONNREFUSED 127.0.0.1:9200'), es(), needed).kind).toBe(
      'unreachable'
    );
  });

  it('explains a server that is neither Elasticsearch nor OpenSearch', () => {
    expect(explainEsError(new esErrors.ProductNotSupportedError('Elasticsearch'), es(), needed)).toMatchObject({
      kind: 'not-elasticsearch',
      hint: expect.stringContaining('Elasticsearch 8.x and 9.x, and OpenSearch 2.x and 3.x'),
    });
  });

  it("reads the OpenSearch client's errors the same way", () => {
    const unauthorized = new osErrors.ResponseError({
      statusCode: 401,
      body: {},
      headers: {},
      warnings: null,
      meta: {},
    } as never);
    expect(explainEsError(unauthorized, es(), needed)).toMatchObject({
      kind: 'auth',
      message: expect.stringContaining('user "proxy"'),
    });
    expect(
      explainEsError(new osErrors.ConnectionError('connect ECONNREFUSED 127.0.0.1:9200', {} as never), es(), needed)
        .kind
    ).toBe('unreachable');
    expect(explainEsError(new osErrors.TimeoutError('Request timed out', {} as never), es(), needed).kind).toBe(
      'timeout'
    );
  });

  it('never repeats credentials embedded in the URL', () => {
    const problem = explainEsError(
      new esErrors.ConnectionError('getaddrinfo ENOTFOUND https://admin:s3cret@es.local:9200/'),
      es(),
      needed
    );
    expect(JSON.stringify(problem)).not.toContain('s3cret');
    expect(problem.message).toContain('https://es.local:9200');
  });
});

describe('checkVersion', () => {
  it('accepts Elasticsearch 8.x and 9.x', () => {
    expect(checkVersion('8.19.21')).toBeUndefined();
    expect(checkVersion('9.5.4', 'elasticsearch')).toBeUndefined();
    expect(checkVersion('7.17.0')).toMatchObject({
      kind: 'unsupported-version',
      message: 'Elasticsearch 7.17.0 is not supported.',
    });
  });

  it('accepts OpenSearch from 2.7 (flat_object) and 3.x', () => {
    expect(checkVersion('2.19.6', 'opensearch')).toBeUndefined();
    expect(checkVersion('3.8.0', 'opensearch')).toBeUndefined();
    expect(checkVersion('2.6.0', 'opensearch')).toMatchObject({ message: 'OpenSearch 2.6.0 is not supported.' });
    expect(checkVersion('1.3.20', 'opensearch')).toMatchObject({ kind: 'unsupported-version' });
  });
});

describe('explainSearchFailure', () => {
  it('says no copy of the data is available when every shard a search needs is gone (503 all shards failed)', () => {
    const allShardsFailed = response(503, {
      error: {
        root_cause: [{ type: 'no_shard_available_action_exception', reason: 'No shard available' }],
        type: 'search_phase_execution_exception',
        reason: 'all shards failed',
      },
      status: 503,
    });
    expect(explainSearchFailure(allShardsFailed, { urls: ['http://127.0.0.1:9200'] })).toEqual({
      message: `${SHARDS_UNAVAILABLE} (Elasticsearch: No shard available)`,
      expected: true,
    });
  });

  it('keeps other 503s as Elasticsearch answered them', () => {
    const busy = response(503, {
      error: { type: 'cluster_block_exception', reason: 'blocked by: [SERVICE_UNAVAILABLE/1/state not recovered]' },
    });
    expect(explainSearchFailure(busy, { urls: ['http://127.0.0.1:9200'] })?.message).toBe(
      'Elasticsearch answered HTTP 503: blocked by: [SERVICE_UNAVAILABLE/1/state not recovered]'
    );
  });
});
