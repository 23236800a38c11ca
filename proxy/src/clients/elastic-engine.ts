/**
 * The Elasticsearch family of the search-engine client, on Elastic's official client. The 8.19 client announces
 * `compatible-with=8` in its Accept header; Elasticsearch 9 serves that REST compatibility, so one client covers 8.x
 * and 9.x. It refuses servers that do not identify as Elasticsearch, which is why OpenSearch has its own family.
 */
import { Client, errors, estypes, type TransportResult } from '@elastic/elasticsearch';
import { readFileSync } from 'node:fs';
import type { BulkIngestResponse, ClusterInfo, EsConfig, IndexSummary, SearchEngine } from './search-engine';

export class ElasticEngine implements SearchEngine {
  readonly family = 'elasticsearch' as const;
  readonly raw: Client;

  constructor(readonly config: EsConfig) {
    this.raw = new Client({
      nodes: config.urls,
      auth: config.apiKey
        ? { apiKey: config.apiKey }
        : config.username
          ? { username: config.username, password: config.password ?? '' }
          : undefined,
      tls: config.caFile
        ? { ca: readFileSync(config.caFile), rejectUnauthorized: config.tlsVerify }
        : { rejectUnauthorized: config.tlsVerify },
      requestTimeout: config.requestTimeoutMs,
      // Retries are ours (the sink retries forever with backoff); the client only moves a request that found a node
      // dead to the next node, so one lost node of a cluster costs a retry, not a failed query.
      maxRetries: config.urls.length - 1,
    });
  }

  /** Version and distribution. Falls back to node info where `GET /` is not served (the minimal test distribution). */
  async info(): Promise<ClusterInfo> {
    try {
      const info = await this.raw.info();
      return { version: info.version.number, distribution: 'elasticsearch', clusterName: info.cluster_name };
    } catch (err) {
      if (!(err instanceof errors.ResponseError) || err.statusCode !== 405) {
        throw err;
      }
      const nodes = await this.raw.nodes.info({ node_id: '_local', filter_path: ['nodes.*.version', 'cluster_name'] });
      const first = Object.values(nodes.nodes)[0];
      return { version: first.version, distribution: 'elasticsearch', clusterName: nodes.cluster_name };
    }
  }

  async bulk(operations: estypes.BulkRequest['operations'], refresh?: estypes.Refresh): Promise<estypes.BulkResponse> {
    return this.raw.bulk({ operations, refresh });
  }

  /**
   * A shipper's bulk request: the NDJSON body is sent as given (the sink builds it from stored bytes), and the
   * response is trimmed to what a retry decision needs (per-item status and error, in request order). Abortable so
   * shutdown need not wait.
   */
  async bulkIngest(ndjson: Buffer, signal?: AbortSignal): Promise<BulkIngestResponse> {
    // A Buffer body is passed through unserialised (the client's `operations` would re-encode every line).
    return this.raw.bulk(
      { body: ndjson, filter_path: ['errors', 'items.*.status', 'items.*.error'] } as unknown as estypes.BulkRequest,
      { signal }
    );
  }

  async search<TDoc = unknown>(
    index: string,
    body: Omit<estypes.SearchRequest, 'index'>
  ): Promise<estypes.SearchResponse<TDoc>> {
    return answeredByNode(() =>
      this.raw.search<TDoc>({ index, ignore_unavailable: true, allow_no_indices: true, ...body }, NODE_ANSWERS)
    );
  }

  /** Opens a point in time over `index`, so search_after pages see one consistent view of the data. */
  async openPointInTime(index: string, keepAlive: string): Promise<string> {
    const response = await answeredByNode(() =>
      this.raw.openPointInTime({ index, keep_alive: keepAlive, ignore_unavailable: true }, NODE_ANSWERS)
    );
    return response.id;
  }

  /** A search inside a point in time (the body carries `pit`; such searches name no index). */
  async searchPointInTime<TDoc = unknown>(
    body: Omit<estypes.SearchRequest, 'index'>
  ): Promise<estypes.SearchResponse<TDoc>> {
    return answeredByNode(() => this.raw.search<TDoc>(body, NODE_ANSWERS));
  }

  async refresh(index: string): Promise<void> {
    await this.raw.indices.refresh({ index, ignore_unavailable: true, allow_no_indices: true });
  }

  // --- Setup, retention and status (proxy/src/setup, proxy/src/status) ---

  /** The installed composable template, or undefined when there is none. */
  async getIndexTemplate(name: string): Promise<estypes.IndicesIndexTemplate | undefined> {
    const found = await this.raw.indices.getIndexTemplate({ name }, { ignore: [404] });
    return found.index_templates?.find((t) => t.name === name)?.index_template;
  }

  async putIndexTemplate(name: string, body: Omit<estypes.IndicesPutIndexTemplateRequest, 'name'>): Promise<void> {
    await this.raw.indices.putIndexTemplate({ name, ...body });
  }

  /** False where the cluster has no ILM (OSS-like or minimal distributions answer `_ilm/status` with 400/404/405). */
  async hasIlm(): Promise<boolean> {
    try {
      await this.raw.ilm.getStatus();
      return true;
    } catch (err) {
      if (err instanceof errors.ResponseError && [400, 404, 405].includes(err.statusCode ?? 0)) {
        return false;
      }
      throw err;
    }
  }

  async getIlmPolicy(name: string): Promise<estypes.IlmPolicy | undefined> {
    const found = await this.raw.ilm.getLifecycle({ name }, { ignore: [404] });
    return (found as Record<string, { policy: estypes.IlmPolicy } | undefined>)[name]?.policy;
  }

  async putIlmPolicy(name: string, policy: estypes.IlmPolicy): Promise<void> {
    await this.raw.ilm.putLifecycle({ name, policy });
  }

  /** Indices matching `pattern` with doc count and store size (bytes); none → []. */
  async listIndices(pattern: string): Promise<IndexSummary[]> {
    const rows = await this.raw.cat.indices(
      { index: pattern, format: 'json', bytes: 'b', expand_wildcards: ['open', 'closed'] },
      { ignore: [404] }
    );
    return (Array.isArray(rows) ? rows : []).map((row) => ({
      index: String(row.index),
      docsCount: Number(row['docs.count'] ?? 0),
      storeBytes: Number(row['store.size'] ?? 0),
      health: row.health ?? undefined,
    }));
  }

  async getMappings(pattern: string): Promise<Record<string, estypes.MappingTypeMapping>> {
    const found = await this.raw.indices.getMapping({
      index: pattern,
      allow_no_indices: true,
      ignore_unavailable: true,
    });
    return Object.fromEntries(Object.entries(found).map(([index, value]) => [index, value.mappings]));
  }

  /** Deletes exactly these indices (no wildcards: `action.destructive_requires_name` stays satisfied). */
  async deleteIndices(names: string[]): Promise<void> {
    if (names.length > 0) {
      await this.raw.indices.delete({ index: names, ignore_unavailable: true, expand_wildcards: 'none' });
    }
  }

  async clusterHealth(): Promise<estypes.ClusterHealthResponse> {
    return this.raw.cluster.health({ timeout: '5s' });
  }

  async count(index: string, query?: estypes.QueryDslQueryContainer): Promise<number> {
    const found = await answeredByNode(() =>
      this.raw.count({ index, query, ignore_unavailable: true, allow_no_indices: true }, NODE_ANSWERS)
    );
    return found.count;
  }

  /** Who the configured credentials are; undefined where security is off. */
  async authenticate(): Promise<estypes.SecurityAuthenticateResponse | undefined> {
    try {
      return await this.raw.security.authenticate();
    } catch (err) {
      if (err instanceof errors.ResponseError && isSecurityDisabled(err)) {
        return undefined;
      }
      throw err;
    }
  }

  async hasPrivileges(
    request: Pick<estypes.SecurityHasPrivilegesRequest, 'cluster' | 'index'>
  ): Promise<estypes.SecurityHasPrivilegesResponse> {
    return this.raw.security.hasPrivileges(request);
  }

  async putRole(name: string, role: Omit<estypes.SecurityPutRoleRequest, 'name'>): Promise<void> {
    await this.raw.security.putRole({ name, ...role });
  }

  async userExists(username: string): Promise<boolean> {
    const found = await this.raw.security.getUser({ username: [username] }, { ignore: [404] });
    return Boolean((found as Record<string, unknown>)[username]);
  }

  async putUser(username: string, user: Omit<estypes.SecurityPutUserRequest, 'username'>): Promise<void> {
    await this.raw.security.putUser({ username, ...user });
  }

  async close(): Promise<void> {
    await this.raw.close();
  }
}

/**
 * Security APIs where security is off: not registered at all (Elasticsearch 8's minimal distribution answers 405/404,
 * Elasticsearch 9's answers 400 "no handler found for uri"), or "Security must be explicitly enabled…" (400/500).
 */
export function isSecurityDisabled(err: errors.ResponseError): boolean {
  const body = JSON.stringify(err.body ?? '');
  return (
    [404, 405].includes(err.statusCode ?? 0) ||
    body.includes('Security must be explicitly enabled') ||
    (err.statusCode === 400 && body.includes('no handler found for uri'))
  );
}

/**
 * Elasticsearch itself answers 502/503/504 when shards or another node are missing ("all shards failed", "Node not
 * connected"). The client takes those for a dead node and marks it so — after a node of a cluster dies, the live ones
 * answering about it would all be marked dead and every search would fail with "no living connections". Searches
 * therefore take these statuses as answers (the node is alive), ask again briefly (right after a node is lost the
 * cluster needs a moment to route around it) and then raise them as the client's own ResponseError.
 */
const NODE_ANSWERS: { ignore: number[]; meta: true } = { ignore: [502, 503, 504], meta: true };
const NODE_ANSWER_RETRY_MS = [250, 750];

async function answeredByNode<T>(request: () => Promise<TransportResult<T>>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const result = await request();
    if (result.statusCode === null || result.statusCode < 400) {
      return result.body;
    }
    if (attempt >= NODE_ANSWER_RETRY_MS.length || !NODE_ANSWERS.ignore.includes(result.statusCode)) {
      throw new errors.ResponseError(result as TransportResult);
    }
    await new Promise((resolve) => setTimeout(resolve, NODE_ANSWER_RETRY_MS[attempt]));
  }
}
