/**
 * Request validation for `/api/query`. The envelope must be right or the whole request is refused (400); each query
 * is then migrated (`migrateQuery`) and checked on its own, so one bad panel query cannot fail its neighbours.
 */
import { z } from 'zod';
import {
  BUCKET_ORDERS,
  DIMENSIONS,
  EMPTY_BUCKETS,
  LIMIT_DIMENSIONS,
  LIMIT_FORECAST_VIEWS,
  LIMIT_TRIPS_FORMATS,
  STATUS_CLASSES,
  USER_LABEL_MODES,
  migrateQuery,
  type ActivityQuery,
  type DimensionSpec,
  type InsightsQuery,
  type LimitCountersQuery,
  type LimitsQuery,
  type LimitForecastQuery,
  type LimitTripsQuery,
  type LimitUsageQuery,
  type LogsQuery,
  type QueryFilters,
  type QueryRequest,
  type TimeseriesQuery,
  type UsersQuery,
} from '@shared/query';

/** Bounded so one request cannot ask for unbounded work. */
const MAX_QUERIES = 50;

export const requestEnvelopeSchema = z.object({
  range: z.object({ from: z.string().min(1), to: z.string().min(1) }),
  queries: z
    .array(z.looseObject({ refId: z.string().min(1).max(200) }))
    .min(1)
    .max(MAX_QUERIES)
    .refine((qs) => new Set(qs.map((q) => q.refId)).size === qs.length, 'refIds must be unique'),
  intervalMs: z.number().positive().optional(),
  maxDataPoints: z.number().int().positive().optional(),
  cursor: z.array(z.union([z.string(), z.number()])).max(10).optional(),
});

const values = z.array(z.coerce.string().max(1000)).max(10000).optional();

const filtersSchema = z
  .object({
    users: values,
    services: values,
    methods: values,
    statusClasses: z.array(z.enum(STATUS_CLASSES)).optional(),
    lucene: z.string().max(10000).optional(),
  })
  .optional() satisfies z.ZodType<QueryFilters | undefined>;

const dimensionSpec = z.object({
  dimension: z.enum(DIMENSIONS),
  size: z.number().int().min(1),
  order: z.enum(BUCKET_ORDERS),
}) satisfies z.ZodType<DimensionSpec>;

const userLabel = z.enum(USER_LABEL_MODES).optional();
const limitIds = z.array(z.number().int()).optional();
const limitDimension = z.enum(LIMIT_DIMENSIONS);
const size = z.number().int().min(1);

/** What migrateQuery always sets; the envelope has checked refId already. */
const common = { refId: z.string(), modelVersion: z.number().optional() };

/**
 * The migrated query, checked where migrateQuery leaves values as given. Loose objects: keys Grafana adds (datasource,
 * hide, …) pass through. The users and limit queries ignore the event filters, so theirs are not checked.
 */
const migratedSchema = z.discriminatedUnion('queryType', [
  z.looseObject({
    ...common,
    queryType: z.literal('activity'),
    filters: filtersSchema,
    groupBy: z.array(dimensionSpec),
    showOther: z.boolean(),
    shareOfTotal: z.boolean(),
    userLabel,
  }) satisfies z.ZodType<ActivityQuery>,
  z.looseObject({
    ...common,
    queryType: z.literal('timeseries'),
    filters: filtersSchema,
    // null = one total series (an absent splitBy takes the default split in migrateQuery).
    splitBy: dimensionSpec.nullable().optional(),
    interval: z.string().min(1),
    emptyBuckets: z.enum(EMPTY_BUCKETS),
    userLabel,
  }) satisfies z.ZodType<TimeseriesQuery>,
  z.looseObject({ ...common, queryType: z.literal('logs'), filters: filtersSchema, limit: z.number().int().min(1) }) satisfies z.ZodType<LogsQuery>,
  z.looseObject({ ...common, queryType: z.literal('users') }) satisfies z.ZodType<UsersQuery>,
  z.looseObject({ ...common, queryType: z.literal('limits'), activeOnly: z.boolean().optional() }) satisfies z.ZodType<LimitsQuery>,
  z.looseObject({ ...common, queryType: z.literal('limitCounters'), limitIds }) satisfies z.ZodType<LimitCountersQuery>,
  z.looseObject({
    ...common,
    queryType: z.literal('limitUsage'),
    filters: filtersSchema,
    limitIds,
    splitBy: limitDimension.nullable(),
    size,
    interval: z.string().min(1),
    userLabel,
  }) satisfies z.ZodType<LimitUsageQuery>,
  z.looseObject({
    ...common,
    queryType: z.literal('limitTrips'),
    filters: filtersSchema,
    limitIds,
    format: z.enum(LIMIT_TRIPS_FORMATS),
    groupBy: limitDimension.nullable(),
    size,
    interval: z.string().min(1),
    userLabel,
  }) satisfies z.ZodType<LimitTripsQuery>,
  z.looseObject({
    ...common,
    queryType: z.literal('limitForecast'),
    filters: filtersSchema,
    limitIds,
    view: z.enum(LIMIT_FORECAST_VIEWS),
    minUsage: z.number().min(0).max(1),
    includeProjected: z.boolean(),
    size,
    userLabel,
  }) satisfies z.ZodType<LimitForecastQuery>,
]);

export type ParsedQuery = { ok: true; query: InsightsQuery } | { ok: false; refId: string; error: string };

export function parseQuery(raw: { refId: string; [key: string]: unknown }): ParsedQuery {
  const migrated = migrateQuery(raw);
  const checked = migratedSchema.safeParse(migrated);
  if (!checked.success) {
    return { ok: false, refId: raw.refId, error: `Invalid query: ${z.prettifyError(checked.error).replace(/\n/g, '; ')}` };
  }
  return { ok: true, query: checked.data };
}

export type RequestEnvelope = z.infer<typeof requestEnvelopeSchema>;

export function toQueryRequest(envelope: RequestEnvelope, queries: InsightsQuery[]): QueryRequest {
  return { ...envelope, queries };
}
