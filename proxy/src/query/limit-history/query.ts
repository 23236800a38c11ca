/**
 * The limit-history query types as the query engine runs them: one search over the limit indices (query-builder.ts)
 * and how to shape its answer (query-shaper.ts), then the same user enrichment as activity frames.
 */
import type { estypes } from '@elastic/elasticsearch';
import { FRAME_COLUMNS, type FrameJSON, type LimitHistoryQuery, type UserLabelMode } from '@shared/query';
import type { RequestContext, SearchBody } from '../builder';
import type { DirectorySnapshot } from '../../dreamfactory/users';
import { enrichFrames } from '../enrich';
import { buildLimitForecastSearch, buildLimitTripsSearch, buildLimitUsageSearch } from './query-builder';
import { counterSeriesNames, shapeLimitForecast, shapeLimitTrips, shapeLimitUsage } from './query-shaper';

export interface LimitHistoryPlan {
  body: SearchBody;
  shape(response: estypes.SearchResponse): FrameJSON;
}

export function limitHistoryPlan(ctx: RequestContext, query: LimitHistoryQuery): LimitHistoryPlan {
  switch (query.queryType) {
    case 'limitUsage': {
      const plan = buildLimitUsageSearch(ctx, query);
      return { body: plan.body, shape: (response) => shapeLimitUsage(query, response, plan.intervalMs) };
    }
    case 'limitTrips': {
      const plan = buildLimitTripsSearch(ctx, query);
      return {
        body: plan.body,
        shape: (response) => shapeLimitTrips(query, response, 'intervalMs' in plan ? plan.intervalMs : 0),
      };
    }
    case 'limitForecast':
      return { body: buildLimitForecastSearch(ctx, query), shape: (response) => shapeLimitForecast(query, response) };
  }
}

/** Whether the frame names users by id (a column or a series label), i.e. needs the directory. */
export function hasUserIds(frame: FrameJSON): boolean {
  return frame.fields.some(
    (field) => field.name === FRAME_COLUMNS.userId || (field.labels !== undefined && FRAME_COLUMNS.userId in field.labels)
  );
}

export function enrichLimitFrame(
  frame: FrameJSON,
  directory: DirectorySnapshot | undefined,
  mode?: UserLabelMode
): FrameJSON {
  return counterSeriesNames(enrichFrames([frame], directory, mode)[0]);
}
