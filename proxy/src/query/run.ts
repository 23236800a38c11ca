/**
 * Runs a `/api/query` request: each query independently (one failing query does not fail the others), through
 * builder → Elasticsearch → shaper → enrichment, or from DreamFactory for the users and limit tables.
 */
import type { FrameJSON, FrameNotice, InsightsQuery, QueryRequest, QueryResponse, QueryResult, UserLabelMode } from '@shared/query';
import { DreamFactoryError } from '../clients/dreamfactory';
import type { ProxyContext } from '../context';
import {
  RequestContext,
  buildActivitySearch,
  buildLogsSearch,
  buildTimeseriesSearch,
  decodeCursor,
  encodeCursor,
  parseRange,
  PIT_KEEP_ALIVE,
} from './builder';
import { listCounters, listLimits } from '../dreamfactory/limits';
import { UserDirectory } from '../dreamfactory/directory';
import { limitCountersFrame, limitsFrame, usersFrame } from './dreamfactory-frames';
import { enrichFrames } from './enrich';
import { describeError } from './errors';
import { shapeActivity, shapeLogs, shapeTimeseries } from './shaper';
import { partialResultsNotice } from './shards';

export class QueryEngine {
  readonly directory: UserDirectory;

  constructor(private readonly ctx: ProxyContext) {
    this.directory = new UserDirectory(ctx.df, ctx.config.dreamfactory.directoryTtlMs, (lookup, users) => {
      ctx.metrics.directoryLookups.inc({ result: lookup });
      ctx.metrics.directoryUsers.set(users);
    });
  }

  get indexPattern(): string {
    return `${this.ctx.config.elasticsearch.indexPrefix}*`;
  }

  async run(request: QueryRequest): Promise<QueryResponse> {
    const entries = await Promise.all(
      request.queries.map(async (query): Promise<[string, QueryResult]> => [query.refId, query.hide ? { frames: [] } : await this.runOne(request, query)])
    );
    return { results: Object.fromEntries(entries) };
  }

  private async runOne(request: QueryRequest, query: InsightsQuery): Promise<QueryResult> {
    const stop = this.ctx.metrics.queryLatency.startTimer({ type: query.queryType });
    try {
      return { frames: await this.frames(request, query) };
    } catch (err) {
      const { message, expected } = describeError(err, this.ctx.config.elasticsearch.urls);
      // The message only: client errors carry request metadata (auth headers) that must not reach a log line.
      const detail = { refId: query.refId, queryType: query.queryType, error: message };
      this.ctx.logger[expected ? 'info' : 'error'](expected ? detail : { ...detail, stack: (err as Error)?.stack }, 'query failed');
      return { frames: [], error: message };
    } finally {
      stop();
    }
  }

  private async frames(request: QueryRequest, query: InsightsQuery): Promise<FrameJSON[]> {
    switch (query.queryType) {
      case 'activity': {
        const response = await this.ctx.es.search(this.indexPattern, buildActivitySearch(this.requestContext(request), query));
        const frame = withNotice(shapeActivity(query, response), partialResultsNotice(response));
        return query.groupBy.some((spec) => spec.dimension === 'user') ? this.enrich([frame], query.userLabel) : [frame];
      }
      case 'timeseries': {
        const plan = buildTimeseriesSearch(this.requestContext(request), query);
        const response = await this.ctx.es.search(this.indexPattern, plan.body);
        const frame = withNotice(shapeTimeseries(query, response, plan.intervalMs), partialResultsNotice(response));
        return query.splitBy?.dimension === 'user' ? this.enrich([frame], query.userLabel) : [frame];
      }
      case 'logs': {
        const rc = this.requestContext(request);
        const cursor = decodeCursor(request.cursor);
        const pitId = cursor?.pitId ?? (await this.ctx.es.openPointInTime(this.indexPattern, PIT_KEEP_ALIVE));
        const response = await this.ctx.es.searchPointInTime<Record<string, unknown>>(buildLogsSearch(rc, query, pitId, cursor?.searchAfter));
        const page = shapeLogs(query, response);
        const nextCursor = page.lastSort ? encodeCursor({ pitId: response.pit_id ?? pitId, searchAfter: page.lastSort }) : null;
        page.frame.meta = { ...page.frame.meta, custom: { ...page.frame.meta?.custom, nextCursor } };
        return this.enrich([withNotice(page.frame, partialResultsNotice(response))]);
      }
      case 'users': {
        const { snapshot, notice } = await this.directory.read();
        if (!snapshot) {
          throw new DreamFactoryError(503, { message: notice?.text ?? 'DreamFactory user directory unavailable.' }, true);
        }
        return [withNotice(usersFrame(query.refId, snapshot), notice)];
      }
      case 'limits': {
        const limits = await listLimits(this.ctx.df);
        return [limitsFrame(query.refId, query.activeOnly ? limits.filter((l) => l.isActive) : limits)];
      }
      case 'limitCounters': {
        const ids = new Set(query.limitIds ?? []);
        const counters = await listCounters(this.ctx.df);
        return [limitCountersFrame(query.refId, ids.size > 0 ? counters.filter((c) => ids.has(c.limitId)) : counters)];
      }
    }
  }

  private requestContext(request: QueryRequest): RequestContext {
    return { range: parseRange(request.range), intervalMs: request.intervalMs, maxDataPoints: request.maxDataPoints };
  }

  private async enrich(frames: FrameJSON[], mode: UserLabelMode = 'email'): Promise<FrameJSON[]> {
    const { snapshot, notice } = await this.directory.read();
    return enrichFrames(frames, snapshot, mode).map((frame) => withNotice(frame, notice));
  }
}

function withNotice(frame: FrameJSON, notice: FrameNotice | undefined): FrameJSON {
  return notice ? { ...frame, meta: { ...frame.meta, notices: [...(frame.meta?.notices ?? []), notice] } } : frame;
}
