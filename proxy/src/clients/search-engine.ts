/**
 * What the proxy needs from a search cluster, whichever product runs it: bulk writes, searches with aggregations,
 * point-in-time paging, index templates, retention, cluster info and health. One implementation per product family
 * (`elastic-engine.ts` on Elastic's client, `opensearch-engine.ts` on OpenSearch's), chosen by `elasticsearch.ts`
 * after asking the cluster what it is. Request and response bodies use Elasticsearch's types: for everything here the
 * two products share the JSON, and each implementation translates where they do not (point in time, security).
 */
import type { estypes } from '@elastic/elasticsearch';
import type { Config } from '../config';

export type EsConfig = Config['elasticsearch'];
export type EngineFamily = 'elasticsearch' | 'opensearch';

export interface ClusterInfo {
  version: string;
  distribution: EngineFamily;
  clusterName?: string;
}

/** A `_bulk` response trimmed to per-item status and error. */
export interface BulkIngestResponse {
  errors: boolean;
  items?: Array<Partial<Record<estypes.BulkOperationType, { status: number; error?: estypes.ErrorCause }>>>;
}

export interface IndexSummary {
  index: string;
  docsCount: number;
  storeBytes: number;
  health?: string;
}

export interface SearchEngine {
  readonly family: EngineFamily;
  info(): Promise<ClusterInfo>;
  bulk(operations: estypes.BulkRequest['operations'], refresh?: estypes.Refresh): Promise<estypes.BulkResponse>;
  /** A shipper's bulk request: a ready NDJSON body sent as given, response trimmed to what a retry decision needs. */
  bulkIngest(ndjson: Buffer, signal?: AbortSignal): Promise<BulkIngestResponse>;
  search<TDoc = unknown>(index: string, body: Omit<estypes.SearchRequest, 'index'>): Promise<estypes.SearchResponse<TDoc>>;
  /** Opens a point in time over `index`; its id goes into `pit.id` of the searches that page through it. */
  openPointInTime(index: string, keepAlive: string): Promise<string>;
  /** A search inside a point in time (the body carries `pit`; such searches name no index). */
  searchPointInTime<TDoc = unknown>(body: Omit<estypes.SearchRequest, 'index'>): Promise<estypes.SearchResponse<TDoc>>;
  refresh(index: string): Promise<void>;
  getIndexTemplate(name: string): Promise<estypes.IndicesIndexTemplate | undefined>;
  putIndexTemplate(name: string, body: Omit<estypes.IndicesPutIndexTemplateRequest, 'name'>): Promise<void>;
  /** False where the cluster has no ILM (OpenSearch never has it; minimal distributions answer 400/404/405). */
  hasIlm(): Promise<boolean>;
  getIlmPolicy(name: string): Promise<estypes.IlmPolicy | undefined>;
  putIlmPolicy(name: string, policy: estypes.IlmPolicy): Promise<void>;
  listIndices(pattern: string): Promise<IndexSummary[]>;
  getMappings(pattern: string): Promise<Record<string, estypes.MappingTypeMapping>>;
  /** Deletes exactly these indices (no wildcards). */
  deleteIndices(names: string[]): Promise<void>;
  clusterHealth(): Promise<estypes.ClusterHealthResponse>;
  count(index: string, query?: estypes.QueryDslQueryContainer): Promise<number>;
  /** Who the configured credentials are; undefined where security is off. */
  authenticate(): Promise<{ username: string } | undefined>;
  hasPrivileges(request: Pick<estypes.SecurityHasPrivilegesRequest, 'cluster' | 'index'>): Promise<estypes.SecurityHasPrivilegesResponse>;
  putRole(name: string, role: Omit<estypes.SecurityPutRoleRequest, 'name'>): Promise<void>;
  userExists(username: string): Promise<boolean>;
  putUser(username: string, user: Omit<estypes.SecurityPutUserRequest, 'username'>): Promise<void>;
  close(): Promise<void>;
}

/** An operation this product family does not offer through the proxy (e.g. Elasticsearch's security API on OpenSearch). */
export class UnsupportedByEngineError extends Error {
  constructor(family: EngineFamily, operation: string, hint: string) {
    super(`${operation} is not available on ${family === 'opensearch' ? 'OpenSearch' : 'Elasticsearch'}: ${hint}`);
    this.name = 'UnsupportedByEngineError';
  }
}

/**
 * Both official clients raise errors with the same names and shapes (`statusCode`, `body`), so the proxy tells them
 * apart by name rather than by class, whichever family threw.
 */
export interface EngineResponseError extends Error {
  statusCode?: number;
  body?: unknown;
}

export function isEngineResponseError(err: unknown): err is EngineResponseError {
  return err instanceof Error && err.name === 'ResponseError';
}

/** Unreachable, refused, reset or no living node: the request got no HTTP answer. */
export function isEngineConnectionError(err: unknown): err is Error {
  return err instanceof Error && (err.name === 'ConnectionError' || err.name === 'NoLivingConnectionsError');
}

export function isEngineTimeout(err: unknown): err is Error {
  return err instanceof Error && err.name === 'TimeoutError';
}

/** Elastic's client refusing a server that does not identify as Elasticsearch. */
export function isProductNotSupported(err: unknown): err is Error {
  return err instanceof Error && err.name === 'ProductNotSupportedError';
}

export type { estypes };
