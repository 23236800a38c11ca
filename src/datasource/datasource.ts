import {
  CoreApp,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  DataSourceInstanceSettings,
  LegacyMetricFindQueryOptions,
  MetricFindValue,
  ScopedVars,
  TestDataSourceResponse,
  TimeRange,
} from '@grafana/data';
import { getTemplateSrv, TemplateSrv } from '@grafana/runtime';
import {
  HEALTH_UPSTREAMS,
  VARIABLE_KINDS,
  type DatasourceHealthResponse,
  type VariableKind,
  type VariableValue,
  type VariableValuesResponse,
} from '@shared/datasource-api';
import { InsightsQuery, QueryRequest, QueryResponse, defaultQuery } from '@shared/query';
import { datasourceProxyUrl, ProxyClient, ProxyError } from '../api/proxyClient';
import { describeQuery } from './describe';
import { migrate } from './migrate';
import { toQueryResponse } from './frames';
import { healthVerdict, unreachableVerdict } from './health';
import { interpolateQuery, ReplaceFn } from './interpolate';
import { InsightsOptions, InsightsVariableQuery } from './types';
import { InsightsVariableSupport } from './variables';

export class DataSource extends DataSourceApi<InsightsQuery, InsightsOptions> {
  private readonly proxy: ProxyClient;

  constructor(
    private readonly settings: DataSourceInstanceSettings<InsightsOptions>,
    private readonly templateSrv: TemplateSrv = getTemplateSrv()
  ) {
    super(settings);
    this.proxy = new ProxyClient(settings.url ?? datasourceProxyUrl(settings.uid));
    this.variables = new InsightsVariableSupport(this);
  }

  getDefaultQuery(app: CoreApp): Partial<InsightsQuery> {
    // Explore is where people read events; dashboards start from the seed's first panel.
    const { refId, ...query } = defaultQuery(app === CoreApp.Explore ? 'logs' : 'activity');
    return query;
  }

  filterQuery(query: InsightsQuery): boolean {
    return !query.hide;
  }

  getQueryDisplayText(query: InsightsQuery): string {
    return describeQuery(migrate(query));
  }

  interpolateVariablesInQueries(queries: InsightsQuery[], scopedVars: ScopedVars): InsightsQuery[] {
    return queries.map((query) => this.prepare(query, scopedVars));
  }

  async query(request: DataQueryRequest<InsightsQuery>): Promise<DataQueryResponse> {
    const queries = request.targets
      .filter((query) => this.filterQuery(query))
      .map((query) => toWire(this.prepare(query, request.scopedVars)));
    if (!queries.length) {
      return { data: [] };
    }
    const body: QueryRequest = {
      range: { from: request.range.from.toISOString(), to: request.range.to.toISOString() },
      queries,
      intervalMs: request.intervalMs,
      maxDataPoints: request.maxDataPoints,
    };
    const refIds = queries.map((query) => query.refId);
    try {
      const response = await this.proxy.query<QueryResponse>(body, request.requestId);
      return toQueryResponse(response, refIds, { uid: this.uid, name: this.name });
    } catch (err) {
      const { message, status } = err as ProxyError;
      return { data: [], errors: refIds.map((refId) => ({ refId, message: `Insights proxy: ${message}`, status })) };
    }
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    if (!this.settings.jsonData?.proxyUrl) {
      return { status: 'error', message: 'Set the proxy URL, e.g. http://proxy:3100' };
    }
    try {
      return healthVerdict(await this.proxy.get<DatasourceHealthResponse>('datasource-health'));
    } catch (err) {
      const { message, status, body } = err as ProxyError;
      // The proxy answers 503 with its full report when an upstream is down.
      return isHealthReport(body) ? healthVerdict(body) : unreachableVerdict(status, message, body);
    }
  }

  /** Values for template variables and the editor's filter pickers. */
  async metricFindQuery(
    query: InsightsVariableQuery | string,
    options?: LegacyMetricFindQueryOptions
  ): Promise<MetricFindValue[]> {
    const asked = typeof query === 'string' ? query.trim() : query?.kind;
    const kind = VARIABLE_KINDS.find((known) => known === asked);
    if (!kind) {
      throw new Error(`Unknown variable query "${asked}": use one of ${VARIABLE_KINDS.join(', ')}`);
    }
    const values = await this.variableValues(kind, options?.range);
    return values.map(({ text, value }) => ({ text, value }));
  }

  async variableValues(kind: VariableKind, range?: TimeRange): Promise<VariableValue[]> {
    // Without a range the proxy uses its default window.
    const params = range ? { from: range.from.toISOString(), to: range.to.toISOString() } : undefined;
    const response = await this.proxy.get<VariableValuesResponse>(`variables/${kind}`, params);
    return response.values ?? [];
  }

  /** Saved query → current model with variables interpolated (Grafana's own keys such as `datasource` kept). */
  private prepare(query: InsightsQuery, scopedVars: ScopedVars): InsightsQuery {
    const replace: ReplaceFn = (target, vars, format) => this.templateSrv.replace(target, vars, format);
    return interpolateQuery(migrate(query), replace, scopedVars);
  }
}

/** What the proxy needs of a query: Grafana's own keys stay in the browser. */
function toWire(query: InsightsQuery): InsightsQuery {
  const { datasource, key, ...rest } = query as InsightsQuery & { datasource?: unknown; key?: unknown };
  return rest as InsightsQuery;
}

function isHealthReport(body: unknown): body is DatasourceHealthResponse {
  return typeof body === 'object' && body !== null && HEALTH_UPSTREAMS.every((upstream) => upstream in body);
}
