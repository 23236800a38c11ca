/**
 * Request validation for `/api/query`. The envelope must be right or the whole request is refused (400); each query
 * is then migrated (`migrateQuery`) and checked on its own, so one bad panel query cannot fail its neighbours.
 */
import { z } from 'zod';
import { DIMENSIONS, STATUS_CLASSES, migrateQuery, type InsightsQuery, type QueryRequest } from '@shared/query';

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
    statusClasses: z.array(z.enum(STATUS_CLASSES as [string, ...string[]])).optional(),
    lucene: z.string().max(10000).optional(),
  })
  .optional();

const dimensionSpec = z.object({
  dimension: z.enum(DIMENSIONS as [string, ...string[]]),
  size: z.number().int().min(1),
  order: z.enum(['count_desc', 'count_asc', 'key_asc', 'key_desc']),
});

const userLabel = z.enum(['email', 'seed']).optional();

/** The migrated query, checked where migrateQuery leaves values as given. */
const migratedSchema = z.discriminatedUnion('queryType', [
  z.looseObject({ queryType: z.literal('activity'), filters: filtersSchema, groupBy: z.array(dimensionSpec), userLabel }),
  z.looseObject({
    queryType: z.literal('timeseries'),
    filters: filtersSchema,
    // null = one total series (an absent splitBy takes the default split in migrateQuery).
    splitBy: dimensionSpec.nullable().optional(),
    interval: z.string().min(1),
    emptyBuckets: z.enum(['null', 'zero']),
    userLabel,
  }),
  z.looseObject({ queryType: z.literal('logs'), filters: filtersSchema, limit: z.number().int().min(1) }),
  z.looseObject({ queryType: z.literal('users') }),
  z.looseObject({ queryType: z.literal('limits'), activeOnly: z.boolean().optional() }),
  z.looseObject({ queryType: z.literal('limitCounters'), limitIds: z.array(z.number().int()).optional() }),
]);

export type ParsedQuery = { ok: true; query: InsightsQuery } | { ok: false; refId: string; error: string };

export function parseQuery(raw: { refId: string; [key: string]: unknown }): ParsedQuery {
  const migrated = migrateQuery(raw as Parameters<typeof migrateQuery>[0]);
  const checked = migratedSchema.safeParse(migrated);
  if (!checked.success) {
    return { ok: false, refId: raw.refId, error: `Invalid query: ${z.prettifyError(checked.error).replace(/\n/g, '; ')}` };
  }
  return { ok: true, query: { ...migrated, ...checked.data } as InsightsQuery };
}

export type RequestEnvelope = z.infer<typeof requestEnvelopeSchema>;

export function toQueryRequest(envelope: RequestEnvelope, queries: InsightsQuery[]): QueryRequest {
  return { ...envelope, queries };
}
