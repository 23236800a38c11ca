/**
 * The proxy's only door to its search cluster, Elasticsearch (8.x, 9.x) or OpenSearch (2.x, 3.x). On first use it
 * asks the cluster what it is and from then on hands every call to that product family's implementation
 * (`elastic-engine.ts`, `opensearch-engine.ts`), so callers see one typed interface and never a product check.
 * While the cluster cannot be reached, each call tries the detection again.
 */
import type { Client } from '@elastic/elasticsearch';
import { ElasticEngine } from './elastic-engine';
import { OpenSearchEngine } from './opensearch-engine';
import { isEngineResponseError, type EngineFamily, type EsConfig, type SearchEngine } from './search-engine';

export type { BulkIngestResponse, ClusterInfo, EngineFamily, EsConfig, IndexSummary, SearchEngine, estypes } from './search-engine';

/**
 * Which product answers at the configured URLs. OpenSearch names itself in `GET /` (`version.distribution`);
 * Elasticsearch does not, but marks every answer with `X-Elastic-Product`, and its minimal distribution refuses
 * `GET /` with 405. A cluster that refuses us (401/403) without saying which it is counts as Elasticsearch, whose
 * client then reports the credential problem.
 */
export async function detectFamily(probe: OpenSearchEngine): Promise<EngineFamily> {
  try {
    return (await probe.rootDistribution()) === 'opensearch' ? 'opensearch' : 'elasticsearch';
  } catch (err) {
    if (isEngineResponseError(err)) {
      return 'elasticsearch';
    }
    throw err;
  }
}

type Method<K extends keyof SearchEngine> = SearchEngine[K] extends (...args: infer A) => infer R ? (...args: A) => R : never;

export class ElasticsearchClient implements Omit<SearchEngine, 'family'> {
  private elastic?: ElasticEngine;
  private opensearch?: OpenSearchEngine;
  private detected?: SearchEngine;

  constructor(readonly config: EsConfig) {}

  /** The product family, once a call has reached the cluster. */
  get family(): EngineFamily | undefined {
    return this.detected?.family;
  }

  /** Elastic's client, for tests that manage Elasticsearch indices directly. */
  get raw(): Client {
    return this.elasticEngine().raw;
  }

  /** The family implementation, detecting the product on first use. */
  async engine(): Promise<SearchEngine> {
    if (!this.detected) {
      const family = await detectFamily(this.openSearchEngine());
      this.detected = family === 'opensearch' ? this.openSearchEngine() : this.elasticEngine();
    }
    return this.detected;
  }

  private elasticEngine(): ElasticEngine {
    this.elastic ??= new ElasticEngine(this.config);
    return this.elastic;
  }

  private openSearchEngine(): OpenSearchEngine {
    this.opensearch ??= new OpenSearchEngine(this.config);
    return this.opensearch;
  }

  private call<K extends keyof SearchEngine>(name: K): Method<K> {
    return (async (...args: unknown[]) => {
      const engine = await this.engine();
      return (engine[name] as (...a: unknown[]) => unknown).apply(engine, args);
    }) as Method<K>;
  }

  info = this.call('info');
  bulk = this.call('bulk');
  bulkIngest = this.call('bulkIngest');
  search: SearchEngine['search'] = (index, body) => this.engine().then((e) => e.search(index, body));
  openPointInTime = this.call('openPointInTime');
  searchPointInTime: SearchEngine['searchPointInTime'] = (body) => this.engine().then((e) => e.searchPointInTime(body));
  refresh = this.call('refresh');
  getIndexTemplate = this.call('getIndexTemplate');
  putIndexTemplate = this.call('putIndexTemplate');
  hasIlm = this.call('hasIlm');
  getIlmPolicy = this.call('getIlmPolicy');
  putIlmPolicy = this.call('putIlmPolicy');
  listIndices = this.call('listIndices');
  getMappings = this.call('getMappings');
  deleteIndices = this.call('deleteIndices');
  clusterHealth = this.call('clusterHealth');
  count = this.call('count');
  authenticate = this.call('authenticate');
  hasPrivileges = this.call('hasPrivileges');
  putRole = this.call('putRole');
  userExists = this.call('userExists');
  putUser = this.call('putUser');

  async close(): Promise<void> {
    await Promise.all([this.elastic?.close(), this.opensearch?.close()]);
  }
}
