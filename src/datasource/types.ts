import { DataSourceJsonData } from '@grafana/data';
import type { VariableKind } from '@shared/datasource-api';
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

export interface InsightsVariableQuery {
  refId: string;
  kind: VariableKind;
}

