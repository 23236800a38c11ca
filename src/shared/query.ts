/**
 * The datasource's query model, shared by the editor (browser) and the proxy (which runs it). A discriminated union on
 * `queryType`; saved queries of any older shape go through `migrateQuery` before use.
 *
 * Pure TypeScript with no imports, so that both the plugin bundle and the Node proxy can use it.
 */

export const QUERY_MODEL_VERSION = 1;

export const QUERY_TYPES = [
  'activity',
  'timeseries',
  'logs',
  'users',
  'limits',
  'limitCounters',
  'limitUsage',
  'limitTrips',
  'limitForecast',
] as const;

export type QueryType = (typeof QUERY_TYPES)[number];

/** What a call can be grouped by. Each maps to one keyword field in the index (see the proxy's query builder). */
export const DIMENSIONS = ['user', 'method', 'endpoint', 'service', 'resource', 'statusCode', 'statusClass', 'level'] as const;

export type Dimension = (typeof DIMENSIONS)[number];

export const DIMENSION_LABELS: Record<Dimension, string> = {
  user: 'User',
  method: 'Method',
  endpoint: 'Endpoint',
  service: 'Service',
  resource: 'Resource',
  statusCode: 'Status code',
  statusClass: 'Status class',
  level: 'Level',
};

export const BUCKET_ORDERS = ['count_desc', 'count_asc', 'key_asc', 'key_desc'] as const;

export type BucketOrder = (typeof BUCKET_ORDERS)[number];

export interface DimensionSpec {
  dimension: Dimension;
  /** Most buckets kept for this dimension (per parent bucket); the rest is folded into an "Other" row. */
  size: number;
  order: BucketOrder;
}

export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

export type StatusClass = (typeof STATUS_CLASSES)[number];

/**
 * A filter entry holding this value means no filter on that dimension. The provisioned dashboard sets it as the "All"
 * value of its variables, so "All" does not send every user id to the proxy.
 */
export const ANY_VALUE = '*';

/** A `users` filter entry selecting the calls made without a user (API key only). */
export const ANONYMOUS_USER_VALUE = 'anonymous';

/**
 * Filters every query type understands (the users, limits and limit counters queries ignore them). On limit history,
 * a value selects the limits that apply to it: users = each-user counters of those users plus limits not tied to a
 * user; services and methods likewise (a limit without a service or verb applies to all); status classes do not apply.
 */
export interface QueryFilters {
  /** User ids as strings (template variables interpolate to strings); ANONYMOUS_USER_VALUE selects events with no user. */
  users?: string[];
  services?: string[];
  methods?: string[];
  statusClasses?: StatusClass[];
  /** Lucene query string over the raw events, e.g. `event.request.resource:_table*`. */
  lucene?: string;
}

/** How an event's user is labelled in frames. `seed` reproduces the seed guide ("Admin User" for admins). */
export const USER_LABEL_MODES = ['email', 'seed'] as const;

export type UserLabelMode = (typeof USER_LABEL_MODES)[number];

/** What a time series' empty buckets hold: real nulls (the panel's "No value" decides) or explicit zeros. */
export const EMPTY_BUCKETS = ['null', 'zero'] as const;

export type EmptyBuckets = (typeof EMPTY_BUCKETS)[number];

interface QueryBase {
  refId: string;
  hide?: boolean;
  /** Version of the model this query was saved with; set by migrateQuery. */
  modelVersion?: number;
  filters?: QueryFilters;
}

export interface ActivityQuery extends QueryBase {
  queryType: 'activity';
  /** Ordered: the first dimension is the outer grouping. Empty = one total row. */
  groupBy: DimensionSpec[];
  /** Add an explicit "Other" row for calls in buckets that were cut. */
  showOther: boolean;
  /** Add a "Share" column (fraction of all calls in the range). */
  shareOfTotal: boolean;
  userLabel?: UserLabelMode;
}

export interface TimeseriesQuery extends QueryBase {
  queryType: 'timeseries';
  /** One series per bucket of this dimension (top `size`); `null` = one total series (absent = the default split). */
  splitBy?: DimensionSpec | null;
  /** `auto` derives the interval from the panel; otherwise an ES fixed interval like `1m`, `1h`. */
  interval: string;
  /** Real nulls by default. */
  emptyBuckets: EmptyBuckets;
  userLabel?: UserLabelMode;
}

export interface LogsQuery extends QueryBase {
  queryType: 'logs';
  /** Events per page (newest first). Paging past 10,000 uses search_after cursors. */
  limit: number;
}

export interface UsersQuery extends QueryBase {
  queryType: 'users';
}

export interface LimitsQuery extends QueryBase {
  queryType: 'limits';
  activeOnly?: boolean;
}

export interface LimitCountersQuery extends QueryBase {
  queryType: 'limitCounters';
  /** Restrict to these limit ids; empty = every limit. */
  limitIds?: number[];
}

/** What limit history is split or grouped by: a limit, a user, a service, or one counter (a limit × a user). */
export const LIMIT_DIMENSIONS = ['limit', 'user', 'service', 'counter'] as const;

export type LimitDimension = (typeof LIMIT_DIMENSIONS)[number];

export const LIMIT_DIMENSION_LABELS: Record<LimitDimension, string> = {
  limit: 'Limit',
  user: 'User',
  service: 'Service',
  counter: 'Counter (limit × user)',
};

interface LimitHistoryBase extends QueryBase {
  /** Only these DreamFactory limit ids; empty = every limit. */
  limitIds?: number[];
  userLabel?: UserLabelMode;
}

/** Usage (attempts / max, 0–1) over time, from the limit sampler's history; the highest usage in each interval. */
export interface LimitUsageQuery extends LimitHistoryBase {
  queryType: 'limitUsage';
  /** One series per limit, user, service or counter (the `size` highest peaks); null = the highest of all. */
  splitBy: LimitDimension | null;
  size: number;
  /** `auto` or a fixed interval like `5m`. */
  interval: string;
}

export const LIMIT_TRIPS_FORMATS = ['table', 'counts', 'timeseries'] as const;

export type LimitTripsFormat = (typeof LIMIT_TRIPS_FORMATS)[number];

export const LIMIT_FORECAST_VIEWS = ['counters', 'limits'] as const;

export type LimitForecastView = (typeof LIMIT_FORECAST_VIEWS)[number];

/** Trips: a counter reaching its maximum (the next call gets 429), counted once per window. */
export interface LimitTripsQuery extends LimitHistoryBase {
  queryType: 'limitTrips';
  /** `table`: one row per trip, newest first; `counts`: trips per group; `timeseries`: trips per interval. */
  format: LimitTripsFormat;
  /** Groups of `counts` and series of `timeseries`; null = all trips together. */
  groupBy: LimitDimension | null;
  /** Rows (table) or groups kept. */
  size: number;
  interval: string;
}

/** Counters (or limits) as of the latest sample, near their maximum now or projected to reach it in this window. */
export interface LimitForecastQuery extends LimitHistoryBase {
  queryType: 'limitForecast';
  /** `counters`: one row per counter; `limits`: one row per limit (its busiest counter, its nearest projected trip). */
  view: LimitForecastView;
  /** Rows at or above this share of their maximum (0–1). */
  minUsage: number;
  /** Also rows projected to reach their maximum before their window resets. */
  includeProjected: boolean;
  size: number;
}

export type LimitHistoryQuery = LimitUsageQuery | LimitTripsQuery | LimitForecastQuery;

export type InsightsQuery =
  ActivityQuery | TimeseriesQuery | LogsQuery | UsersQuery | LimitsQuery | LimitCountersQuery | LimitHistoryQuery;

/** `meta.custom` of limit forecast frames. */
export type LimitForecastMeta = {
  /** The sample the rows are from (ISO); absent when there was no sample in the hour before the range's end. */
  sampledAt?: string;
  /** How projections are made, for showing next to them. */
  projectionMethod: string;
};

export const QUERY_TYPE_LABELS: Record<QueryType, string> = {
  activity: 'Activity (calls grouped)',
  timeseries: 'Calls over time',
  logs: 'Events (logs)',
  users: 'Users',
  limits: 'Limits',
  limitCounters: 'Limit counters',
  limitUsage: 'Limit usage over time',
  limitTrips: 'Limit trips',
  limitForecast: 'Near their limits',
};

export const DEFAULT_DIMENSION_SIZE = 50;

export function dimension(dimensionName: Dimension, size = DEFAULT_DIMENSION_SIZE, order: BucketOrder = 'count_desc'): DimensionSpec {
  return { dimension: dimensionName, size, order };
}

/** The seed guide's three panels, as one query each. */
export const ACTIVITY_PRESETS = {
  callsByUser: { label: 'Total API calls by user', groupBy: [dimension('user', 100)] },
  apisByUser: { label: 'APIs accessed by each user', groupBy: [dimension('user', 100), dimension('method', 10), dimension('endpoint', 100)] },
  servicesByUser: { label: 'User access to specific services', groupBy: [dimension('user', 100), dimension('service', 50), dimension('method', 10)] },
} as const;

export type ActivityPreset = keyof typeof ACTIVITY_PRESETS;

export function defaultQuery(queryType: QueryType = 'activity', refId = 'A'): InsightsQuery {
  const base = { refId, modelVersion: QUERY_MODEL_VERSION };
  switch (queryType) {
    case 'activity':
      return { ...base, queryType, groupBy: [...ACTIVITY_PRESETS.callsByUser.groupBy], showOther: true, shareOfTotal: false };
    case 'timeseries':
      return { ...base, queryType, splitBy: dimension('user', 10), interval: 'auto', emptyBuckets: 'null' };
    case 'logs':
      return { ...base, queryType, limit: 100 };
    case 'users':
      return { ...base, queryType };
    case 'limits':
      return { ...base, queryType };
    case 'limitCounters':
      return { ...base, queryType };
    case 'limitUsage':
      return { ...base, queryType, splitBy: 'limit', size: 10, interval: 'auto' };
    case 'limitTrips':
      return { ...base, queryType, format: 'table', groupBy: 'limit', size: 100, interval: 'auto' };
    case 'limitForecast':
      return { ...base, queryType, view: 'counters', minUsage: NEAR_LIMIT_USAGE, includeProjected: true, size: 100 };
  }
}

/** "Near their limits": at or above 80 % of the maximum. */
export const NEAR_LIMIT_USAGE = 0.8;

/**
 * Brings any saved query (older versions, partial objects from dashboards or the API) to the current model: unknown
 * query types fall back to activity, missing fields take their defaults, and sizes are clamped to sane bounds.
 */
export function migrateQuery(raw: Partial<InsightsQuery> & { refId?: string; [key: string]: unknown }): InsightsQuery {
  const queryType = QUERY_TYPES.includes(raw.queryType as QueryType) ? (raw.queryType as QueryType) : 'activity';
  const defaults = defaultQuery(queryType, raw.refId ?? 'A');
  const merged = { ...defaults, ...raw, queryType, modelVersion: QUERY_MODEL_VERSION } as InsightsQuery;
  if (merged.queryType === 'activity') {
    merged.groupBy = (Array.isArray(merged.groupBy) ? merged.groupBy : defaults.queryType === 'activity' ? defaults.groupBy : [])
      .filter((spec) => DIMENSIONS.includes(spec?.dimension))
      .map((spec) => ({ dimension: spec.dimension, size: clampSize(spec.size), order: spec.order ?? 'count_desc' }));
  }
  if (merged.queryType === 'timeseries' && merged.splitBy) {
    merged.splitBy = { ...merged.splitBy, size: clampSize(merged.splitBy.size) };
  }
  if (merged.queryType === 'logs') {
    merged.limit = Math.min(Math.max(Math.trunc(Number(merged.limit) || 100), 1), 5000);
  }
  if (merged.queryType === 'limitUsage' || merged.queryType === 'limitTrips' || merged.queryType === 'limitForecast') {
    merged.size = clampSize(merged.size);
  }
  if (merged.queryType === 'limitForecast') {
    const share = Number(merged.minUsage);
    merged.minUsage = Number.isFinite(share) ? Math.min(Math.max(share, 0), 1) : NEAR_LIMIT_USAGE;
  }
  return merged;
}

export const MAX_DIMENSION_SIZE = 10000;

function clampSize(size: unknown): number {
  const n = Math.trunc(Number(size));
  return Number.isFinite(n) && n > 0 ? Math.min(n, MAX_DIMENSION_SIZE) : DEFAULT_DIMENSION_SIZE;
}

// ---------------------------------------------------------------------------------------------------------------
// Wire format between the datasource and the proxy (POST /api/query).

export interface QueryRequest {
  /** ISO-8601 range, already resolved from Grafana's time picker. */
  range: { from: string; to: string };
  /** Queries with template variables already interpolated. */
  queries: InsightsQuery[];
  intervalMs?: number;
  maxDataPoints?: number;
  /** Logs paging: the cursor returned as `meta.custom.nextCursor` by the previous page. */
  cursor?: unknown[];
}

/**
 * Column names of the activity and time-series frames (tables) and the label names of their series, as the datasource
 * and the dashboard read them. Until enrichment a user is only a DreamFactory id in `userId`; enrichment adds
 * `user` (what people read: the email by default), `userEmail` and `name`.
 */
export const FRAME_COLUMNS = {
  userId: 'User ID',
  user: DIMENSION_LABELS.user,
  userEmail: 'User Email',
  name: 'Name',
  calls: 'Calls',
  share: 'Share',
  time: 'Time',
} as const;

/** Column and value names of the limit history frames, read by the app pages. */
export const LIMIT_HISTORY_FIELDS = {
  time: FRAME_COLUMNS.time,
  usage: 'Usage',
  trips: 'Trips',
  limitId: 'Limit ID',
  limit: 'Limit',
  type: 'Type',
  period: 'Period',
  rate: 'Rate',
  service: 'Service',
  attempts: 'Attempts',
  max: 'Max',
  lockedOut: 'Locked out',
  atMaxSince: 'At max since',
  ratePerHour: 'Calls per hour',
  projectedTrip: 'Projected trip',
  inWindow: 'Trips in this window',
  projectedFor: 'Projected for',
  windowEndsBy: 'Window ends by',
  previousSample: 'Previous sample',
  counters: 'Counters',
  countersInUse: 'In use',
  countersAtMax: 'At max',
} as const;

/** The row or series that sums the buckets a dimension's size cut off. */
export const OTHER_LABEL = 'Other';

/** How calls without a user read in the `user` column (their `userId` is null). */
export const ANONYMOUS_USER_LABEL = 'anonymous (API key only)';

export type FieldTypeName = 'string' | 'number' | 'time' | 'boolean' | 'other';

export interface FrameField {
  name: string;
  type: FieldTypeName;
  values: unknown[];
  config?: { displayName?: string; unit?: string; links?: Array<{ title: string; url: string }>; custom?: Record<string, unknown> };
  labels?: Record<string, string>;
}

export interface FrameNotice {
  severity: 'info' | 'warning' | 'error';
  text: string;
}

/** A Grafana data frame in plain JSON (what `toDataFrame` accepts). */
export interface FrameJSON {
  name?: string;
  refId: string;
  fields: FrameField[];
  meta?: {
    notices?: FrameNotice[];
    preferredVisualisationType?: 'table' | 'logs' | 'graph';
    /** Grafana's data-plane frame type; `log-lines` makes the logs panel read the `labels` field per line. */
    type?: 'log-lines';
    custom?: Record<string, unknown>;
  };
}

export interface QueryResult {
  frames: FrameJSON[];
  /** Set when this query failed; other queries of the same request still answer. */
  error?: string;
}

export interface QueryResponse {
  results: Record<string, QueryResult>;
}
