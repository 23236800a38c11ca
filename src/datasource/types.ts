import { DataSourceJsonData } from '@grafana/data';
import type { InsightsQuery } from '@shared/query';

export type { InsightsQuery };

/** Per-instance settings Viewers can read: only where the proxy is. */
export interface InsightsOptions extends DataSourceJsonData {
  proxyUrl?: string;
}

/** Stored encrypted; Grafana's datasource proxy injects it as `X-Insights-Token` and never returns it. */
export interface InsightsSecureJsonData {
  proxyToken?: string;
}

/** What a template variable of this datasource lists (GET /api/variables/:kind). */
export type VariableKind = 'users' | 'services' | 'methods' | 'endpoints';

export const VARIABLE_KINDS: VariableKind[] = ['users', 'services', 'methods', 'endpoints'];

export interface InsightsVariableQuery {
  refId: string;
  kind: VariableKind;
}

export interface VariableValuesResponse {
  values: Array<{ text: string; value: string }>;
}

export interface UpstreamHealth {
  ok: boolean;
  message?: string;
  version?: string;
}

/** GET /api/datasource-health */
export interface DatasourceHealthResponse {
  proxy: UpstreamHealth;
  elasticsearch: UpstreamHealth;
  dreamfactory: UpstreamHealth;
}

/**
 * What a filter entry holding this value means: no filter on that dimension. The provisioned dashboard sets it as the
 * "All" value of its variables, so "All" does not send every user id to the proxy.
 */
export const ANY_VALUE = '*';
