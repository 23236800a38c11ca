/**
 * The proxy's only door to Elasticsearch. Everything that talks to the cluster goes through this class, so that the
 * rest of the code sees a few typed operations instead of the whole client surface (and OpenSearch can follow).
 */
import { Client, errors, estypes } from '@elastic/elasticsearch';
import { readFileSync } from 'node:fs';
import type { Config } from '../config';

export type EsConfig = Config['elasticsearch'];

export interface ClusterInfo {
  version: string;
  distribution: 'elasticsearch' | 'opensearch';
  clusterName?: string;
}

export class ElasticsearchClient {
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
      // Retries are ours (the sink retries forever with backoff); the client should report failures promptly.
      maxRetries: 0,
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
   * A shipper's bulk request: operations may be pre-serialised JSON strings, and the response is trimmed to what a
   * retry decision needs (per-item status and error, in request order). Abortable so shutdown need not wait.
   */
  async bulkIngest(operations: Array<string | Record<string, unknown>>, signal?: AbortSignal): Promise<estypes.BulkResponse> {
    return this.raw.bulk({ operations, filter_path: ['errors', 'items.*.status', 'items.*.error'] }, { signal });
  }

  async search<TDoc = unknown>(index: string, body: Omit<estypes.SearchRequest, 'index'>): Promise<estypes.SearchResponse<TDoc>> {
    return this.raw.search<TDoc>({ index, ignore_unavailable: true, allow_no_indices: true, ...body });
  }

  async refresh(index: string): Promise<void> {
    await this.raw.indices.refresh({ index, ignore_unavailable: true, allow_no_indices: true });
  }

  async close(): Promise<void> {
    await this.raw.close();
  }
}

export { errors as esErrors };
export type { estypes };
