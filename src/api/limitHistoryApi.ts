/**
 * The Limits page's view of the limit history: the datasource's limit-history query types, run through the proxy's
 * `/api/query` like a panel runs them, and read into what the page shows (pure readers in limitHistory.ts).
 */
import {
  NEAR_LIMIT_USAGE,
  defaultQuery,
  type FrameJSON,
  type InsightsQuery,
  type LimitForecastQuery,
  type LimitTripsQuery,
  type LimitUsageQuery,
  type QueryResponse,
} from '@shared/query';
import {
  forecastByLimit,
  nearLimitRows,
  readForecastMeta,
  tripsByLimit,
  usageByLimit,
  type LimitHistoryOverview,
  type NearLimits,
} from '../components/limits/history/limitHistory';
import { ProxyClient, ProxyError } from './proxyClient';

const HOUR_MS = 3_600_000;
/** Sparkline resolution: 96 points over 24 hours (15 min), fewer when many limits would exceed the bucket cap. */
export const SPARKLINE_POINTS = 96;
/** More limits than any DreamFactory instance has: one trip count and one forecast row each. */
const EVERY_LIMIT = 10_000;

export class LimitHistoryApi {
  constructor(
    private readonly client: ProxyClient,
    private readonly now: () => number = Date.now
  ) {}

  private async run(hours: number, queries: InsightsQuery[], maxDataPoints?: number): Promise<FrameJSON[]> {
    const to = this.now();
    const range = { from: new Date(to - hours * HOUR_MS).toISOString(), to: new Date(to).toISOString() };
    const response = await this.client.query<QueryResponse>({ range, queries, maxDataPoints });
    return queries.map(({ refId }) => {
      const result = response.results?.[refId];
      if (!result || result.error) {
        throw new ProxyError(result?.error ?? `The Insights proxy returned no result for ${refId}`, 200, result);
      }
      return result.frames[0] ?? { refId, fields: [] };
    });
  }

  /**
   * Per limit: usage over the last 24 h, trips in the last 7 days, and the nearest projected trip now. One usage series
   * per limit: `limitCount` of them (the proxy widens the interval so that many series stay under Elasticsearch's cap).
   */
  async overview(limitCount: number): Promise<LimitHistoryOverview> {
    const usage: LimitUsageQuery = {
      ...(defaultQuery('limitUsage', 'usage') as LimitUsageQuery),
      splitBy: 'limit',
      size: Math.max(limitCount, 1),
      interval: 'auto',
    };
    const forecast: LimitForecastQuery = {
      ...(defaultQuery('limitForecast', 'forecast') as LimitForecastQuery),
      view: 'limits',
      minUsage: 0,
      size: EVERY_LIMIT,
    };
    const trips: LimitTripsQuery = {
      ...(defaultQuery('limitTrips', 'trips') as LimitTripsQuery),
      format: 'counts',
      groupBy: 'limit',
      size: EVERY_LIMIT,
    };
    const [[usageFrame, forecastFrame], [tripsFrame]] = await Promise.all([
      this.run(24, [usage, forecast], SPARKLINE_POINTS),
      this.run(24 * 7, [trips]),
    ]);
    return {
      usage: usageByLimit(usageFrame),
      trips: tripsByLimit(tripsFrame),
      forecast: forecastByLimit(forecastFrame),
      ...readForecastMeta(forecastFrame),
    };
  }

  /** Counters at 80 % or more of their limit, or projected to reach it before their window resets. */
  async nearLimits(): Promise<NearLimits> {
    const query: LimitForecastQuery = {
      ...(defaultQuery('limitForecast', 'near') as LimitForecastQuery),
      minUsage: NEAR_LIMIT_USAGE,
      includeProjected: true,
      size: 500,
    };
    const [frame] = await this.run(1, [query]);
    return { rows: nearLimitRows(frame), ...readForecastMeta(frame) };
  }
}
