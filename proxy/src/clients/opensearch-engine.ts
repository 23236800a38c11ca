/**
 * The OpenSearch family of the search-engine client, on the official `@opensearch-project/opensearch` client.
 * Where OpenSearch differs from Elasticsearch for what the proxy does:
 * - point in time: `POST <index>/_search/point_in_time` answering `pit_id` (Elasticsearch: `POST <index>/_pit`, `id`);
 *   searches inside it carry the same `pit: {id, keep_alive}` body on both. Before 3.3 OpenSearch has no `_shard_doc`
 *   tiebreak; there the sort falls back to `_id` (unique per event, as our ids are deterministic; it costs fielddata
 *   heap on `_id`), so search_after still never skips or repeats an event;
 * - no ILM (retention is ISM where that plugin is installed, else the proxy's own);
 * - security is a plugin with its own API: who we are comes from `_plugins/_security/authinfo`; creating roles and
 *   users, and checking privileges, are left to that plugin's tools.
 */
import { Client } from '@opensearch-project/opensearch';
import { readFileSync } from 'node:fs';
import {
  UnsupportedByEngineError,
  isEngineResponseError,
  type BulkIngestResponse,
  type ClusterInfo,
  type EsConfig,
  type IndexSummary,
  type SearchEngine,
  type estypes,
} from './search-engine';

/**
 * OpenSearch (seen on 2.19) cannot open a point in time over a pattern that matches no index yet: it answers 400
 * "invalid id: [null]", where Elasticsearch opens an empty one. This id stands for that empty point in time; a search
 * in it finds nothing, as Elasticsearch's would, so a logs panel over a new prefix shows an empty page, not an error.
 */
export const EMPTY_POINT_IN_TIME = 'dreamfactory-insights:no-index';

function isNoIndexPitError(err: unknown): boolean {
  return isEngineResponseError(err) && err.statusCode === 400 && JSON.stringify(err.body ?? '').includes('invalid id: [null]');
}

function emptySearchResponse<TDoc>(): estypes.SearchResponse<TDoc> {
  return {
    took: 0,
    timed_out: false,
    _shards: { total: 0, successful: 0, skipped: 0, failed: 0 },
    hits: { total: { value: 0, relation: 'eq' }, max_score: null, hits: [] },
    pit_id: EMPTY_POINT_IN_TIME,
  };
}

/** Search request keys that travel in the URL, not the body. */
const SEARCH_URL_PARAMS = new Set(['ignore_unavailable', 'allow_no_indices', 'expand_wildcards', 'allow_partial_search_results', 'filter_path', 'request_cache', 'preference', 'routing']);

export function splitSearchRequest(request: Record<string, unknown>): { params: Record<string, unknown>; body: Record<string, unknown> } {
  const params: Record<string, unknown> = {};
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request)) {
    (SEARCH_URL_PARAMS.has(key) ? params : body)[key] = value;
  }
  return { params, body };
}

/** Runs a client call that returns an abortable promise, aborting it with the signal. */
function abortable<T>(request: Promise<T> & { abort?: () => void }, signal?: AbortSignal): Promise<T> {
  if (signal) {
    if (signal.aborted) {
      request.abort?.();
    } else {
      signal.addEventListener('abort', () => request.abort?.(), { once: true });
    }
  }
  return request;
}

/** `{_shard_doc: …}` sort entries as `{_id: …}` (same order). */
export function withIdTiebreak(sort: estypes.SearchRequest['sort']): estypes.SearchRequest['sort'] {
  const entries = sort === undefined ? [] : Array.isArray(sort) ? sort : [sort];
  return entries.map((entry) => (typeof entry === 'object' && entry !== null && '_shard_doc' in entry ? { _id: (entry as Record<string, unknown>)._shard_doc } : entry)) as estypes.SearchRequest['sort'];
}

export class OpenSearchEngine implements SearchEngine {
  readonly family = 'opensearch' as const;
  private readonly client: Client;
  private shardDoc?: Promise<boolean>;

  constructor(readonly config: EsConfig) {
    this.client = new Client({
      nodes: config.urls,
      auth: config.username ? { username: config.username, password: config.password ?? '' } : undefined,
      // OpenSearch has no Elasticsearch API keys; a configured one is still sent, so the cluster's 401 names the problem.
      headers: config.apiKey ? { authorization: `ApiKey ${config.apiKey}` } : undefined,
      ssl: { ca: config.caFile ? readFileSync(config.caFile) : undefined, rejectUnauthorized: config.tlsVerify },
      requestTimeout: config.requestTimeoutMs,
      // Retries are ours (the sink retries forever with backoff); the client only moves a request that found a node
      // dead to the next node, so one lost node of a cluster costs a retry, not a failed query.
      maxRetries: config.urls.length - 1,
    });
  }

  /** `version.distribution` of `GET /`: "opensearch" on OpenSearch, absent on Elasticsearch (product detection). */
  async rootDistribution(): Promise<string | undefined> {
    const { body } = await this.client.info();
    return (body.version as { distribution?: string }).distribution;
  }

  async info(): Promise<ClusterInfo> {
    const { body } = await this.client.info();
    return { version: body.version.number, distribution: 'opensearch', clusterName: body.cluster_name };
  }

  async bulk(operations: estypes.BulkRequest['operations'], refresh?: estypes.Refresh): Promise<estypes.BulkResponse> {
    const { body } = await this.client.bulk({ body: operations as never, refresh: refresh as never });
    return body as unknown as estypes.BulkResponse;
  }

  async bulkIngest(ndjson: Buffer, signal?: AbortSignal): Promise<BulkIngestResponse> {
    // A Buffer body is sent as given (the client serialises only arrays).
    const { body } = await abortable(this.client.bulk({ body: ndjson as never, filter_path: ['errors', 'items.*.status', 'items.*.error'] }), signal);
    return body as unknown as BulkIngestResponse;
  }

  async search<TDoc = unknown>(index: string, request: Omit<estypes.SearchRequest, 'index'>): Promise<estypes.SearchResponse<TDoc>> {
    const { params, body } = splitSearchRequest({ ignore_unavailable: true, allow_no_indices: true, ...request });
    const response = await this.client.search({ index, ...params, body } as never);
    return response.body as unknown as estypes.SearchResponse<TDoc>;
  }

  async openPointInTime(index: string, keepAlive: string): Promise<string> {
    try {
      const { body } = await this.client.createPit({ index, keep_alive: keepAlive, allow_partial_pit_creation: false } as never);
      return (body as { pit_id: string }).pit_id;
    } catch (err) {
      if (isNoIndexPitError(err)) {
        return EMPTY_POINT_IN_TIME;
      }
      throw err;
    }
  }

  async searchPointInTime<TDoc = unknown>(request: Omit<estypes.SearchRequest, 'index'>): Promise<estypes.SearchResponse<TDoc>> {
    if (request.pit?.id === EMPTY_POINT_IN_TIME) {
      return emptySearchResponse();
    }
    const sort = (await this.hasShardDoc()) ? request.sort : withIdTiebreak(request.sort);
    const { params, body } = splitSearchRequest({ ...request, ...(sort ? { sort } : {}) });
    const response = await this.client.search({ ...params, body } as never);
    return response.body as unknown as estypes.SearchResponse<TDoc>;
  }

  /** `_shard_doc` arrived in OpenSearch 3.3. */
  private hasShardDoc(): Promise<boolean> {
    this.shardDoc ??= this.info().then(({ version }) => {
      const [major, minor] = version.split('.').map(Number);
      return major > 3 || (major === 3 && minor >= 3);
    });
    this.shardDoc.catch(() => (this.shardDoc = undefined));
    return this.shardDoc;
  }

  async refresh(index: string): Promise<void> {
    await this.client.indices.refresh({ index, ignore_unavailable: true, allow_no_indices: true });
  }

  async getIndexTemplate(name: string): Promise<estypes.IndicesIndexTemplate | undefined> {
    const { body } = await this.client.indices.getIndexTemplate({ name }, { ignore: [404] });
    const found = (body as { index_templates?: Array<{ name: string; index_template: estypes.IndicesIndexTemplate }> }).index_templates;
    return found?.find((t) => t.name === name)?.index_template;
  }

  async putIndexTemplate(name: string, body: Omit<estypes.IndicesPutIndexTemplateRequest, 'name'>): Promise<void> {
    await this.client.indices.putIndexTemplate({ name, body: body as never });
  }

  async hasIlm(): Promise<boolean> {
    return false;
  }

  async getIlmPolicy(): Promise<estypes.IlmPolicy | undefined> {
    throw new UnsupportedByEngineError('opensearch', 'Index lifecycle management (ILM)', 'OpenSearch has ISM instead; RETENTION_MODE=proxy deletes old daily indices.');
  }

  async putIlmPolicy(): Promise<void> {
    throw new UnsupportedByEngineError('opensearch', 'Index lifecycle management (ILM)', 'OpenSearch has ISM instead; RETENTION_MODE=proxy deletes old daily indices.');
  }

  async listIndices(pattern: string): Promise<IndexSummary[]> {
    const { body } = await this.client.cat.indices({ index: pattern, format: 'json', bytes: 'b', expand_wildcards: 'open,closed' } as never, { ignore: [404] });
    const rows = Array.isArray(body) ? (body as Array<Record<string, string | undefined>>) : [];
    return rows.map((row) => ({
      index: String(row.index),
      docsCount: Number(row['docs.count'] ?? 0),
      storeBytes: Number(row['store.size'] ?? 0),
      health: row.health ?? undefined,
    }));
  }

  async getMappings(pattern: string): Promise<Record<string, estypes.MappingTypeMapping>> {
    const { body } = await this.client.indices.getMapping({ index: pattern, allow_no_indices: true, ignore_unavailable: true });
    return Object.fromEntries(Object.entries(body as Record<string, { mappings: estypes.MappingTypeMapping }>).map(([index, value]) => [index, value.mappings]));
  }

  async deleteIndices(names: string[]): Promise<void> {
    if (names.length > 0) {
      await this.client.indices.delete({ index: names, ignore_unavailable: true, expand_wildcards: 'none' } as never);
    }
  }

  async clusterHealth(): Promise<estypes.ClusterHealthResponse> {
    const { body } = await this.client.cluster.health({ timeout: '5s' });
    return body as unknown as estypes.ClusterHealthResponse;
  }

  async count(index: string, query?: estypes.QueryDslQueryContainer): Promise<number> {
    const { body } = await this.client.count({ index, ignore_unavailable: true, allow_no_indices: true, body: query ? { query } : undefined } as never);
    return (body as { count: number }).count;
  }

  /** The security plugin's view of the caller; undefined where the plugin is not installed (no handler: 400/404/405). */
  async authenticate(): Promise<{ username: string } | undefined> {
    try {
      const { body } = await this.client.transport.request({ method: 'GET', path: '/_plugins/_security/authinfo' });
      return { username: String((body as { user_name?: string }).user_name ?? '') };
    } catch (err) {
      if (isEngineResponseError(err) && [400, 404, 405].includes(err.statusCode ?? 0)) {
        return undefined;
      }
      throw err;
    }
  }

  async hasPrivileges(): Promise<estypes.SecurityHasPrivilegesResponse> {
    throw new UnsupportedByEngineError('opensearch', 'Checking privileges', "use the security plugin's tools to give the proxy's user its permissions.");
  }

  async putRole(): Promise<void> {
    throw new UnsupportedByEngineError('opensearch', 'Creating roles', "create the proxy's role with the security plugin's tools.");
  }

  async userExists(): Promise<boolean> {
    throw new UnsupportedByEngineError('opensearch', 'Looking up users', "manage users with the security plugin's tools.");
  }

  async putUser(): Promise<void> {
    throw new UnsupportedByEngineError('opensearch', 'Creating users', "create the proxy's user with the security plugin's tools.");
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
