/**
 * Pure: a limit-history query (usage over time, trips, near their limits) and its request context → one
 * Elasticsearch search over the limit indices. No scripts (the searches must run on clusters without painless).
 *
 * Filters keep the datasource's variables meaningful here: a value selects the limits that apply to it (see
 * QueryFilters). Per-limit usage without a user filter reads the `limit` documents (one per limit per sample, so a
 * day of 100 limits is 288,000 documents whatever the number of users); anything per user reads `counter` documents.
 */
import type { estypes } from '@elastic/elasticsearch';
import {
  ANONYMOUS_USER_VALUE,
  type LimitDimension,
  type LimitForecastQuery,
  type LimitTripsQuery,
  type LimitUsageQuery,
  type QueryFilters,
} from '@shared/query';
import { nonEmpty, pickInterval, type RequestContext, type SearchBody } from '../builder';
import { MISSING_KEYWORD } from '../fields';
import { LIMIT_DOC_FIELDS as F, type LimitDocumentKind } from '../../limit-history/document';

type Query = estypes.QueryDslQueryContainer;

/** How far back from the range's end "now" may be: the latest sample in the last hour. */
export const FORECAST_LOOKBACK_MS = 3_600_000;
/** A limits view lists every limit; DreamFactory installs have tens, rarely hundreds. */
const MAX_FORECAST_LIMITS = 1000;

const kindIs = (kind: LimitDocumentKind): Query => ({ term: { [F.kind]: kind } });
const inRange = (fromMs: number, toMs: number): Query => ({
  range: { [F.timestamp]: { gte: fromMs, lte: toMs, format: 'epoch_millis' } },
});

/** `field` is one of `values`, or absent (the limit applies to all of them). */
function appliesTo(field: string, values: string[]): Query {
  return {
    bool: {
      should: [{ terms: { [field]: values } }, { bool: { must_not: [{ exists: { field } }] } }],
      minimum_should_match: 1,
    },
  };
}

/** The filters of the query model and `limitIds`, as filter clauses for limit-history documents. */
export function limitFilters(filters: QueryFilters = {}, limitIds: number[] = []): Query[] {
  const clauses: Query[] = [];
  const users = nonEmpty(filters.users);
  if (users.length > 0) {
    const ids = users.filter((u) => u !== ANONYMOUS_USER_VALUE);
    // API-key-only calls are counted only by limits not tied to a user.
    clauses.push(ids.length > 0 ? appliesTo(F.userId, ids) : { bool: { must_not: [{ exists: { field: F.userId } }] } });
  }
  const services = nonEmpty(filters.services);
  if (services.length > 0) {
    clauses.push(appliesTo(F.serviceName, services));
  }
  const methods = nonEmpty(filters.methods).map((m) => m.toUpperCase());
  if (methods.length > 0) {
    clauses.push(appliesTo(F.limitVerb, methods));
  }
  if (limitIds.length > 0) {
    clauses.push({ terms: { [F.limitId]: limitIds } });
  }
  if (filters.lucene?.trim()) {
    clauses.push({ query_string: { query: filters.lucene.trim(), analyze_wildcard: true, default_operator: 'AND' } });
  }
  return clauses;
}

const SPLIT_FIELDS: Record<LimitDimension, string> = {
  limit: F.limitId,
  user: F.userId,
  service: F.serviceName,
  counter: F.counterId,
};

/** What a split bucket's labels are read from: the newest document of the bucket. */
const LABEL_SOURCE = [F.limitId, F.limitName, F.userId, F.serviceName];

function splitTerms(
  dimension: LimitDimension,
  size: number,
  order: Record<string, estypes.SortOrder>
): estypes.AggregationsAggregationContainer {
  return {
    // Limits without a user or a service (they apply to all) get their own bucket.
    terms: {
      field: SPLIT_FIELDS[dimension],
      size,
      order,
      ...(dimension === 'service' || dimension === 'user' ? { missing: MISSING_KEYWORD } : {}),
    },
  };
}

const newest: estypes.AggregationsAggregationContainer = {
  top_hits: { size: 1, sort: [{ [F.timestamp]: { order: 'desc' } }], _source: { includes: LABEL_SOURCE } },
};

function histogram(ctx: RequestContext, interval: string): estypes.AggregationsAggregationContainer {
  return {
    date_histogram: {
      field: F.timestamp,
      fixed_interval: interval,
      min_doc_count: 0,
      extended_bounds: { min: ctx.range.fromMs, max: ctx.range.toMs },
    },
  };
}

/** Intervals in which the sampler read DreamFactory (a limit document exists), and the failed samples. */
function coverageAggs(ctx: RequestContext, interval: string): Record<string, estypes.AggregationsAggregationContainer> {
  return {
    sampled: { filter: kindIs('limit'), aggs: { over_time: histogram(ctx, interval) } },
    gaps: {
      filter: kindIs('gap'),
      aggs: {
        first: { min: { field: F.timestamp } },
        last: { max: { field: F.timestamp } },
        reasons: { terms: { field: 'gap.reason.keyword', size: 3 } },
      },
    },
  };
}

export interface LimitSeriesPlan {
  body: SearchBody;
  interval: string;
  intervalMs: number;
}

/** Which documents usage comes from: limit documents unless a user is filtered or usage is split per user. */
export function usageSource(query: LimitUsageQuery): LimitDocumentKind {
  const perUser = query.splitBy === 'user' || query.splitBy === 'counter' || nonEmpty(query.filters?.users).length > 0;
  return perUser ? 'counter' : 'limit';
}

export function buildLimitUsageSearch(ctx: RequestContext, query: LimitUsageQuery): LimitSeriesPlan {
  const { interval, intervalMs } = pickInterval(ctx, 1 + (query.splitBy ? query.size : 1), query.interval);
  const usage: estypes.AggregationsAggregationContainer = { max: { field: F.usage } };
  const overTime = { ...histogram(ctx, interval), aggs: { usage } };
  const filter = [kindIs(usageSource(query)), ...limitFilters(query.filters, query.limitIds)];
  if (query.splitBy === 'user') {
    filter.push({ exists: { field: F.userId } });
  }
  const inner: Record<string, estypes.AggregationsAggregationContainer> = query.splitBy
    ? {
        split: {
          ...splitTerms(query.splitBy, query.size, { peak: 'desc' }),
          aggs: { peak: usage, newest, over_time: overTime },
        },
      }
    : { over_time: overTime };
  return {
    body: {
      size: 0,
      query: { bool: { filter: [inRange(ctx.range.fromMs, ctx.range.toMs)] } },
      aggs: { usage: { filter: { bool: { filter } }, aggs: inner }, ...coverageAggs(ctx, interval) },
    },
    interval,
    intervalMs,
  };
}

/** Fields a trips table shows (raw documents never leave the proxy whole). */
export const TRIP_SOURCE_FIELDS = [
  F.timestamp,
  F.limitId,
  F.limitName,
  'limit.type_label',
  'limit.period',
  'limit.rate',
  F.userId,
  F.serviceName,
  'counter.attempts',
  'counter.max',
  'previous_sample_at',
];

export function buildLimitTripsSearch(
  ctx: RequestContext,
  query: LimitTripsQuery
): LimitSeriesPlan | { body: SearchBody } {
  const tripFilter: Query = {
    bool: {
      filter: [
        kindIs('counter'),
        { term: { [F.trip]: true } },
        inRange(ctx.range.fromMs, ctx.range.toMs),
        ...limitFilters(query.filters, query.limitIds),
      ],
    },
  };
  if (query.format === 'table') {
    return {
      body: {
        size: query.size,
        track_total_hits: true,
        query: tripFilter,
        _source: TRIP_SOURCE_FIELDS,
        sort: [{ [F.timestamp]: { order: 'desc' } }],
      },
    };
  }
  if (query.format === 'counts') {
    const aggs: Record<string, estypes.AggregationsAggregationContainer> | undefined = query.groupBy
      ? { split: { ...splitTerms(query.groupBy, query.size, { _count: 'desc' }), aggs: { newest } } }
      : undefined;
    return { body: { size: 0, track_total_hits: true, query: tripFilter, ...(aggs ? { aggs } : {}) } };
  }
  const { interval, intervalMs } = pickInterval(ctx, 1 + (query.groupBy ? query.size : 1), query.interval);
  const overTime = histogram(ctx, interval);
  const inner: Record<string, estypes.AggregationsAggregationContainer> = query.groupBy
    ? { split: { ...splitTerms(query.groupBy, query.size, { _count: 'desc' }), aggs: { newest, over_time: overTime } } }
    : { over_time: overTime };
  return {
    body: {
      size: 0,
      query: { bool: { filter: [inRange(ctx.range.fromMs, ctx.range.toMs)] } },
      aggs: { trips: { filter: tripFilter, aggs: inner }, ...coverageAggs(ctx, interval) },
    },
    interval,
    intervalMs,
  };
}

/**
 * The rows as of the latest sample in the hour before the range's end: the newest matching document per counter (or
 * per limit), collapsed; the shaper keeps those from that latest sample (`latest`, over all limit documents).
 */
export function buildLimitForecastSearch(ctx: RequestContext, query: LimitForecastQuery): SearchBody {
  const fromMs = Math.max(ctx.range.fromMs, ctx.range.toMs - FORECAST_LOOKBACK_MS);
  const near: Query[] = [{ range: { [F.usage]: { gte: query.minUsage } } }];
  if (query.includeProjected) {
    near.push({ term: { [F.inWindow]: true } });
  }
  const counters = query.view === 'counters';
  return {
    size: counters ? query.size : MAX_FORECAST_LIMITS,
    query: {
      bool: {
        filter: [
          kindIs(counters ? 'counter' : 'limit'),
          inRange(fromMs, ctx.range.toMs),
          ...limitFilters(query.filters, query.limitIds),
          { bool: { should: near, minimum_should_match: 1 } },
        ],
      },
    },
    collapse: { field: counters ? F.counterId : F.limitId },
    sort: [{ [F.timestamp]: { order: 'desc' } }, { [F.usage]: { order: 'desc' } }],
    aggs: {
      // The latest sample and the latest failed one, whatever the filters: "now" is the same for every row.
      everything: {
        global: {},
        aggs: {
          sampled: {
            filter: { bool: { filter: [kindIs('limit'), inRange(fromMs, ctx.range.toMs)] } },
            aggs: { latest: { max: { field: F.timestamp } } },
          },
          gaps: {
            filter: { bool: { filter: [kindIs('gap'), inRange(fromMs, ctx.range.toMs)] } },
            aggs: {
              newest: {
                top_hits: {
                  size: 1,
                  sort: [{ [F.timestamp]: { order: 'desc' } }],
                  _source: { includes: [F.timestamp, 'gap.reason'] },
                },
              },
            },
          },
        },
      },
    },
  };
}
