/**
 * Wire types of the datasource's endpoints besides `/api/query`: template variables (`GET /api/variables/:kind`) and
 * Save & test (`GET /api/datasource-health`). Shared by the proxy, which answers them, and the datasource.
 */
import type { Dimension } from './query';

/** What a template variable of this datasource lists. */
export const VARIABLE_KINDS = ['users', 'services', 'methods', 'endpoints'] as const;

export type VariableKind = (typeof VARIABLE_KINDS)[number];

/** The dimension whose values each variable kind lists. */
export const VARIABLE_DIMENSIONS: Record<VariableKind, Dimension> = {
  users: 'user',
  services: 'service',
  methods: 'method',
  endpoints: 'endpoint',
};

export interface VariableValue {
  text: string;
  value: string;
}

export interface VariableValuesResponse {
  values: VariableValue[];
}

/** The parts Save & test reports on, each on its own. */
export const HEALTH_UPSTREAMS = ['proxy', 'elasticsearch', 'dreamfactory'] as const;

export type HealthUpstream = (typeof HEALTH_UPSTREAMS)[number];

export interface UpstreamHealth {
  ok: boolean;
  message?: string;
  version?: string;
}

export type DatasourceHealthResponse = Record<HealthUpstream, UpstreamHealth>;
