/**
 * Pure: a datasource query and its request context → an Elasticsearch search body. No I/O, so golden tests can pin
 * exactly what we ask Elasticsearch.
 */
import type { estypes } from '@elastic/elasticsearch';
import {
  ANONYMOUS_USER_VALUE,
  ANY_VALUE,
  type ActivityQuery,
  type BucketOrder,
  type DimensionSpec,
  type LogsQuery,
  type QueryFilters,
  type TimeseriesQuery,
} from '@shared/query';
import { DIMENSION_FIELDS, EVENT_FIELDS, MISSING_KEYWORD, MISSING_NUMBER, PROBE_FIELD, TIMESTAMP_FIELD } from './fields';

export type SearchBody = Omit<estypes.SearchRequest, 'index'>;

/** Bad input the user can fix (range, interval, cursor); reported as that query's error. */
export class QueryInputError extends Error {}

export interface TimeRange {
  fromMs: number;
  toMs: number;
}

export interface RequestContext {
  range: TimeRange;
  intervalMs?: number;
  maxDataPoints?: number;
}

export function parseRange(range: { from: string; to: string }): TimeRange {
  const fromMs = Date.parse(range.from);
  const toMs = Date.parse(range.to);
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) {
    throw new QueryInputError(`Invalid time range "${range.from}" to "${range.to}": both ends must be ISO-8601 dates.`);
  }
  if (fromMs > toMs) {
    throw new QueryInputError(`Invalid time range: from (${range.from}) is after to (${range.to}).`);
  }
  return { fromMs, toMs };
}

/** The doctor's probe events (README.md, "Set up Elasticsearch"): in the index, never in an answer. */
const NOT_PROBES: estypes.QueryDslQueryContainer[] = [{ exists: { field: PROBE_FIELD } }];

/** The range and every filter of the query model, as one bool query; the doctor's probes never count. */
export function eventQuery(range: TimeRange, filters: QueryFilters = {}): estypes.QueryDslQueryContainer {
  const filter: estypes.QueryDslQueryContainer[] = [
    { range: { [TIMESTAMP_FIELD]: { gte: range.fromMs, lte: range.toMs, format: 'epoch_millis' } } },
  ];
  const users = nonEmpty(filters.users);
  if (users.length > 0) {
    const ids = users.filter((u) => u !== ANONYMOUS_USER_VALUE);
    const should: estypes.QueryDslQueryContainer[] = [];
    if (ids.length > 0) {
      should.push({ terms: { [EVENT_FIELDS.userId]: ids } });
    }
    if (ids.length < users.length) {
      should.push({ bool: { must_not: [{ exists: { field: EVENT_FIELDS.userId } }] } });
    }
    filter.push(should.length === 1 ? should[0] : { bool: { should, minimum_should_match: 1 } });
  }
  const terms: Array<[string, string[]]> = [
    [EVENT_FIELDS.service, nonEmpty(filters.services)],
    [EVENT_FIELDS.method, nonEmpty(filters.methods).map((m) => m.toUpperCase())],
    [EVENT_FIELDS.statusClass, nonEmpty(filters.statusClasses)],
  ];
  for (const [field, values] of terms) {
    if (values.length > 0) {
      filter.push({ terms: { [field]: values } });
    }
  }
  const must: estypes.QueryDslQueryContainer[] = [];
  if (filters.lucene?.trim()) {
    must.push({ query_string: { query: filters.lucene.trim(), analyze_wildcard: true, default_operator: 'AND' } });
  }
  return { bool: must.length > 0 ? { filter, must, must_not: NOT_PROBES } : { filter, must_not: NOT_PROBES } };
}

/** The filter's values, trimmed; none when empty or when the "All" value is among them. */
export function nonEmpty(values: string[] | undefined): string[] {
  const kept = (values ?? []).map((v) => String(v).trim()).filter((v) => v !== '');
  return kept.includes(ANY_VALUE) ? [] : kept;
}

const ORDERS: Record<BucketOrder, Record<string, estypes.SortOrder>> = {
  count_desc: { _count: 'desc' },
  count_asc: { _count: 'asc' },
  key_asc: { _key: 'asc' },
  key_desc: { _key: 'desc' },
};

export function termsAgg(spec: DimensionSpec): estypes.AggregationsTermsAggregation {
  const { field, numeric } = DIMENSION_FIELDS[spec.dimension];
  return { field, size: spec.size, order: ORDERS[spec.order], missing: numeric ? MISSING_NUMBER : MISSING_KEYWORD };
}

/** Aggregation names per nesting level: `g0` is the outermost `groupBy` dimension. */
export const groupAggName = (level: number) => `g${level}`;

export function buildActivitySearch(ctx: RequestContext, query: ActivityQuery): SearchBody {
  let aggs: Record<string, estypes.AggregationsAggregationContainer> | undefined;
  for (let level = query.groupBy.length - 1; level >= 0; level--) {
    aggs = { [groupAggName(level)]: { terms: termsAgg(query.groupBy[level]), ...(aggs ? { aggs } : {}) } };
  }
  return { size: 0, track_total_hits: true, query: eventQuery(ctx.range, query.filters), ...(aggs ? { aggs } : {}) };
}

// --- timeseries ------------------------------------------------------------------------------------------------

/** ES refuses searches with more than search.max_buckets (65,536 by default) buckets; stay under it. */
export const MAX_TOTAL_BUCKETS = 60000;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 };

/** Intervals `auto` may pick, smallest first. */
const NICE_INTERVALS = ['1s', '2s', '5s', '10s', '15s', '30s', '1m', '2m', '5m', '10m', '15m', '30m', '1h', '2h', '3h', '6h', '12h', '1d', '7d', '30d'];

export function intervalToMs(interval: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(interval.trim());
  if (!match || Number(match[1]) <= 0) {
    throw new QueryInputError(`Invalid interval "${interval}": use auto or a number with ms, s, m, h or d (e.g. 5m).`);
  }
  return Number(match[1]) * UNIT_MS[match[2]];
}

export interface TimeseriesPlan {
  body: SearchBody;
  interval: string;
  intervalMs: number;
}

/** The interval Grafana would pick, widened to the next nice interval and so the search stays under MAX_TOTAL_BUCKETS. */
export function pickInterval(ctx: RequestContext, series: number, requested: string): { interval: string; intervalMs: number } {
  const span = Math.max(ctx.range.toMs - ctx.range.fromMs, 1);
  const floor = Math.ceil((span * series) / MAX_TOTAL_BUCKETS);
  if (requested !== 'auto') {
    const intervalMs = intervalToMs(requested);
    if (intervalMs < floor) {
      throw new QueryInputError(
        `Interval ${requested} gives ${Math.ceil(span / intervalMs)} buckets × ${series} series, more than Elasticsearch allows (${MAX_TOTAL_BUCKETS}); use a larger interval or auto.`
      );
    }
    return { interval: requested.trim(), intervalMs };
  }
  const wanted = Math.max(ctx.intervalMs ?? 0, ctx.maxDataPoints ? span / ctx.maxDataPoints : 0, floor, 1000);
  const nice = NICE_INTERVALS.find((i) => intervalToMs(i) >= wanted);
  if (nice) {
    return { interval: nice, intervalMs: intervalToMs(nice) };
  }
  const days = Math.ceil(wanted / UNIT_MS.d);
  return { interval: `${days}d`, intervalMs: days * UNIT_MS.d };
}

export function buildTimeseriesSearch(ctx: RequestContext, query: TimeseriesQuery): TimeseriesPlan {
  // One total series (for "Other" and the unsplit case) plus one per kept split bucket.
  const series = 1 + (query.splitBy ? query.splitBy.size : 0);
  const { interval, intervalMs } = pickInterval(ctx, series, query.interval);
  const histogram: estypes.AggregationsAggregationContainer = {
    date_histogram: {
      field: TIMESTAMP_FIELD,
      fixed_interval: interval,
      min_doc_count: 0,
      // Empty stretches at either end of the range still get buckets (as nulls), like Grafana's own ES datasource.
      extended_bounds: { min: ctx.range.fromMs, max: ctx.range.toMs },
    },
  };
  const aggs: Record<string, estypes.AggregationsAggregationContainer> = { total: histogram };
  if (query.splitBy) {
    aggs.split = { terms: termsAgg(query.splitBy), aggs: { over_time: histogram } };
  }
  return { body: { size: 0, track_total_hits: true, query: eventQuery(ctx.range, query.filters), aggs }, interval, intervalMs };
}

// --- logs ------------------------------------------------------------------------------------------------------

/**
 * Only these parts of an event leave the proxy: raw events can carry request headers with tokens and API keys
 * (docs/dreamfactory.md#context-and-secrets), so the logs query never asks for the whole `_source`.
 */
export const LOG_SOURCE_FIELDS = [
  TIMESTAMP_FIELD,
  EVENT_FIELDS.message,
  EVENT_FIELDS.level,
  EVENT_FIELDS.levelName,
  EVENT_FIELDS.userId,
  EVENT_FIELDS.userEmail,
  EVENT_FIELDS.method,
  EVENT_FIELDS.uri,
  EVENT_FIELDS.path,
  EVENT_FIELDS.service,
  EVENT_FIELDS.statusCode,
];

export const PIT_KEEP_ALIVE = '5m';

/** What the next page needs: the point in time the first page opened and the last hit's sort values. */
export interface LogsCursor {
  pitId: string;
  searchAfter: estypes.SortResults;
}

/** The wire form is a flat array (QueryRequest.cursor): `[pitId, ...sortValues]`. */
export function encodeCursor(cursor: LogsCursor): unknown[] {
  return [cursor.pitId, ...cursor.searchAfter];
}

export function decodeCursor(raw: unknown[] | undefined): LogsCursor | undefined {
  if (raw === undefined || raw.length === 0) {
    return undefined;
  }
  const [pitId, timestamp, tiebreak, ...extra] = raw;
  // The tiebreak is `_shard_doc` (a number), or `_id` (a string) on OpenSearch before 3.3, which has no `_shard_doc`.
  const validTiebreak = (typeof tiebreak === 'number' && Number.isFinite(tiebreak)) || (typeof tiebreak === 'string' && tiebreak !== '');
  if (typeof pitId !== 'string' || typeof timestamp !== 'number' || !Number.isFinite(timestamp) || !validTiebreak || extra.length > 0) {
    throw new QueryInputError('Invalid logs cursor: pass back meta.custom.nextCursor from the previous page unchanged.');
  }
  return { pitId, searchAfter: [timestamp, tiebreak] };
}

export function buildLogsSearch(ctx: RequestContext, query: LogsQuery, pitId: string, after?: estypes.SortResults): SearchBody {
  return {
    size: query.limit,
    track_total_hits: true,
    query: eventQuery(ctx.range, query.filters),
    _source: LOG_SOURCE_FIELDS,
    // Newest first; _shard_doc makes the order total, so search_after never skips or repeats an event.
    sort: [{ [TIMESTAMP_FIELD]: { order: 'desc' } }, { _shard_doc: { order: 'desc' } }],
    pit: { id: pitId, keep_alive: PIT_KEEP_ALIVE },
    ...(after ? { search_after: after } : {}),
  };
}

/** Distinct values of one field in a range, for template variables. */
export function buildValuesSearch(range: TimeRange | undefined, field: string, size: number, missing?: string): SearchBody {
  return {
    size: 0,
    query: range ? eventQuery(range) : { bool: { must_not: NOT_PROBES } },
    aggs: { values: { terms: { field, size, order: { _key: 'asc' }, ...(missing ? { missing } : {}) } } },
  };
}
