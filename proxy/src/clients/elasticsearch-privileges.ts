/**
 * The Elasticsearch privileges the proxy needs, in one place: setup checks them, explains a 403 with them, and
 * `--create-users` grants exactly them.
 */
import type { EsConfig } from './elasticsearch';

export interface PrivilegeSet {
  cluster: string[];
  indices: Array<{ names: string[]; privileges: string[] }>;
}

/**
 * The proxy writes and creates the daily event and limit-history indices and the dead-letter index, reads them
 * (queries, doctor, status), deletes expired daily indices (proxy-mode retention) and installs its templates and,
 * with ILM, its policy.
 */
export function proxyPrivileges(es: Pick<EsConfig, 'indexPrefix' | 'limitIndexPrefix' | 'deadLetterIndex'>, ilm: boolean): PrivilegeSet {
  return {
    cluster: ['monitor', 'manage_index_templates', ...(ilm ? ['manage_ilm'] : [])],
    indices: [
      {
        names: [`${es.indexPrefix}*`, `${es.limitIndexPrefix}*`, es.deadLetterIndex],
        privileges: ['create_index', 'write', 'read', 'view_index_metadata', 'monitor', 'delete_index'],
      },
    ],
  };
}

/**
 * For a query-only credential: the Grafana Elasticsearch datasources provisioned next to ours for alerting
 * (provisioning/datasources/dreamfactory-insights-elasticsearch.yaml). Grafana's datasource reads the cluster version (`monitor`) and the
 * index mappings (`view_index_metadata`), and searches (`read`).
 */
export function readerPrivileges(es: Pick<EsConfig, 'indexPrefix' | 'limitIndexPrefix'>): PrivilegeSet {
  return { cluster: ['monitor'], indices: [{ names: [`${es.indexPrefix}*`, `${es.limitIndexPrefix}*`], privileges: ['read', 'view_index_metadata'] }] };
}

export function describePrivileges(set: PrivilegeSet): string {
  const indices = set.indices.map((i) => `${i.privileges.join(', ')} on ${i.names.join(', ')}`).join('; ');
  return `cluster: ${set.cluster.join(', ') || 'none'}; indices: ${indices}`;
}
