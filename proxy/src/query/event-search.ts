import type { estypes } from '@elastic/elasticsearch';
import type { ClusterInfo } from '../clients/elasticsearch';
import type { SearchBody } from './builder';

/**
 * What the query engine needs of Elasticsearch: the cluster's identity (Save & test), searches, and point-in-time
 * paging for logs. The proxy's Elasticsearch client is one; the golden tests replay recorded answers through another.
 */
export interface EventSearch {
  info(): Promise<ClusterInfo>;
  search<TDoc = unknown>(index: string, body: SearchBody): Promise<estypes.SearchResponse<TDoc>>;
  openPointInTime(index: string, keepAlive: string): Promise<string>;
  searchPointInTime<TDoc = unknown>(body: SearchBody): Promise<estypes.SearchResponse<TDoc>>;
}
