/**
 * Runs the datasource's requests: each `/api/query` query on its own (one failing query does not fail the others),
 * through builder → Elasticsearch → shaper → enrichment (events, or the limit history's samples), or from DreamFactory
 * for the users and limit tables; and the template-variable values and Save & test checks, which search the events.
 */
import type { DatasourceHealthResponse, VariableKind, VariableValue } from '@shared/datasource-api';
import type { FrameJSON, FrameNotice, InsightsQuery, QueryRequest, QueryResponse, QueryResult, UserLabelMode } from '@shared/query';
import { DreamFactoryError, type DreamFactoryClient } from '../clients/dreamfactory';
import type { EsConfig } from '../clients/elasticsearch';
import type { SearchFailure } from '../clients/elasticsearch-errors';
import type { DirectoryRead } from '../dreamfactory/directory';
import { checkDreamFactory } from '../dreamfactory/health';
import { listCounters, listLimits } from '../dreamfactory/limits';
import { enrichLimitFrame, hasUserIds, limitHistoryPlan } from './limit-history/query';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { Redactor } from '../redaction';
import {
  RequestContext,
  buildActivitySearch,
  buildLogsSearch,
  buildTimeseriesSearch,
  decodeCursor,
  encodeCursor,
  parseRange,
  PIT_KEEP_ALIVE,
  type TimeRange,
} from './builder';
import { limitCountersFrame, limitsFrame, usersFrame } from './dreamfactory-frames';
import { enrichFrames } from './enrich';
import { explainQueryFailure } from './errors';
import type { EventSearch } from './event-search';
import { dreamFactoryHealth, elasticsearchHealth } from './health';
import { shapeActivity, shapeLogs, shapeTimeseries } from './shaper';
import { partialResultsNotice } from './shards';
import { parseQuery, toQueryRequest, type RequestEnvelope } from './validate';
import { variableValues } from './variables';

export interface QueryEngineDeps {
  search: EventSearch;
  /** Limits and counters for the limit tables, and Save & test's DreamFactory check. */
  df: DreamFactoryClient;
  /** Users and admins for enrichment and the users table. */
  directory: { read(): Promise<DirectoryRead> };
  /** Stored documents the logs query returns pass it, for those indexed before redaction (or with it off). */
  redactor: Pick<Redactor, 'redactInPlace'>;
  elasticsearch: Pick<EsConfig, 'indexPrefix' | 'limitIndexPrefix' | 'urls'>;
  logger: Logger;
  metrics: Pick<Metrics, 'queryLatency'>;
}

/** Save & test's report on each upstream (the proxy adds its own entry). */
export type UpstreamsHealth = Omit<DatasourceHealthResponse, 'proxy'>;

export class QueryEngine {
  constructor(private readonly deps: QueryEngineDeps) {}

  get indexPattern(): string {
    return `${this.deps.elasticsearch.indexPrefix}*`;
  }

  get limitIndexPattern(): string {
    return `${this.deps.elasticsearch.limitIndexPrefix}*`;
  }

  /** A request whose envelope is valid: each query is checked on its own, and an invalid one answers with its error. */
  async answer(envelope: RequestEnvelope): Promise<QueryResponse> {
    const parsed = envelope.queries.map(parseQuery);
    const valid = parsed.flatMap((p) => (p.ok ? [p.query] : []));
    const invalid = parsed.flatMap((p): Array<[string, QueryResult]> => (p.ok ? [] : [[p.refId, { frames: [], error: p.error }]]));
    const answered = valid.length > 0 ? await this.run(toQueryRequest(envelope, valid)) : { results: {} };
    return { results: { ...answered.results, ...Object.fromEntries(invalid) } };
  }

  async run(request: QueryRequest): Promise<QueryResponse> {
    const entries = await Promise.all(
      request.queries.map(async (query): Promise<[string, QueryResult]> => [query.refId, query.hide ? { frames: [] } : await this.runOne(request, query)])
    );
    return { results: Object.fromEntries(entries) };
  }

  variableValues(kind: VariableKind, range: TimeRange | undefined): Promise<VariableValue[]> {
    return variableValues(this.deps.search, this.indexPattern, this.deps.directory, kind, range);
  }

  /** A failed query, variable or check in the one sentence a panel or an editor shows. */
  explainFailure(err: unknown): SearchFailure {
    return explainQueryFailure(err, { es: this.deps.elasticsearch, df: this.deps.df });
  }

  async health(): Promise<UpstreamsHealth> {
    const [elasticsearch, dreamfactory] = await Promise.all([
      elasticsearchHealth(this.deps.search, this.indexPattern, (err) => this.explainFailure(err)),
      checkDreamFactory(this.deps.df).then(dreamFactoryHealth),
    ]);
    return { elasticsearch, dreamfactory };
  }

  private async runOne(request: QueryRequest, query: InsightsQuery): Promise<QueryResult> {
    const stop = this.deps.metrics.queryLatency.startTimer({ type: query.queryType });
    try {
      return { frames: await this.frames(request, query) };
    } catch (err) {
      const { message, expected } = this.explainFailure(err);
      // The message only: client errors carry request metadata (auth headers) that must not reach a log line.
      const detail = { refId: query.refId, queryType: query.queryType, error: message };
      this.deps.logger[expected ? 'info' : 'error'](expected ? detail : { ...detail, stack: (err as Error)?.stack }, 'query failed');
      return { frames: [], error: message };
    } finally {
      stop();
    }
  }

  private async frames(request: QueryRequest, query: InsightsQuery): Promise<FrameJSON[]> {
    switch (query.queryType) {
      case 'activity': {
        const response = await this.deps.search.search(this.indexPattern, buildActivitySearch(this.requestContext(request), query));
        const frame = withNotice(shapeActivity(query, response), partialResultsNotice(response));
        return query.groupBy.some((spec) => spec.dimension === 'user') ? this.enrich([frame], query.userLabel) : [frame];
      }
      case 'timeseries': {
        const plan = buildTimeseriesSearch(this.requestContext(request), query);
        const response = await this.deps.search.search(this.indexPattern, plan.body);
        const frame = withNotice(shapeTimeseries(query, response, plan.intervalMs), partialResultsNotice(response));
        return query.splitBy?.dimension === 'user' ? this.enrich([frame], query.userLabel) : [frame];
      }
      case 'logs': {
        const rc = this.requestContext(request);
        const cursor = decodeCursor(request.cursor);
        const pitId = cursor?.pitId ?? (await this.deps.search.openPointInTime(this.indexPattern, PIT_KEEP_ALIVE));
        const response = await this.deps.search.searchPointInTime<Record<string, unknown>>(buildLogsSearch(rc, query, pitId, cursor?.searchAfter));
        // Documents stored before redaction existed (or with it off) must not carry their secrets to the browser.
        for (const hit of response.hits.hits) {
          this.deps.redactor.redactInPlace(hit._source);
        }
        const page = shapeLogs(query, response);
        const nextCursor = page.lastSort ? encodeCursor({ pitId: response.pit_id ?? pitId, searchAfter: page.lastSort }) : null;
        page.frame.meta = { ...page.frame.meta, custom: { ...page.frame.meta?.custom, nextCursor } };
        return this.enrich([withNotice(page.frame, partialResultsNotice(response))]);
      }
      case 'users': {
        const { snapshot, notice } = await this.deps.directory.read();
        if (!snapshot) {
          throw new DreamFactoryError(503, { message: notice?.text ?? 'DreamFactory user directory unavailable.' }, true);
        }
        return [withNotice(usersFrame(query.refId, snapshot), notice)];
      }
      case 'limits': {
        const limits = await listLimits(this.deps.df);
        return [limitsFrame(query.refId, query.activeOnly ? limits.filter((l) => l.isActive) : limits)];
      }
      case 'limitCounters': {
        const ids = new Set(query.limitIds ?? []);
        const counters = await listCounters(this.deps.df);
        return [limitCountersFrame(query.refId, ids.size > 0 ? counters.filter((c) => ids.has(c.limitId)) : counters)];
      }
      case 'limitUsage':
      case 'limitTrips':
      case 'limitForecast': {
        const plan = limitHistoryPlan(this.requestContext(request), query);
        const response = await this.deps.search.search(this.limitIndexPattern, plan.body);
        const frame = withNotice(plan.shape(response), partialResultsNotice(response));
        if (!hasUserIds(frame)) {
          return [frame];
        }
        const { snapshot, notice } = await this.deps.directory.read();
        return [withNotice(enrichLimitFrame(frame, snapshot, query.userLabel), notice)];
      }
    }
  }

  private requestContext(request: QueryRequest): RequestContext {
    return { range: parseRange(request.range), intervalMs: request.intervalMs, maxDataPoints: request.maxDataPoints };
  }

  private async enrich(frames: FrameJSON[], mode: UserLabelMode = 'email'): Promise<FrameJSON[]> {
    const { snapshot, notice } = await this.deps.directory.read();
    return enrichFrames(frames, snapshot, mode).map((frame) => withNotice(frame, notice));
  }
}

function withNotice(frame: FrameJSON, notice: FrameNotice | undefined): FrameJSON {
  return notice ? { ...frame, meta: { ...frame.meta, notices: [...(frame.meta?.notices ?? []), notice] } } : frame;
}
