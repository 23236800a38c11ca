/**
 * Pure: Elasticsearch responses of the limit-history searches (query-builder.ts) → Grafana frames. User cells and
 * labels still hold DreamFactory user ids (`User ID`); the query engine enriches them like activity frames.
 *
 * An interval the sampler did not cover (it was off, or DreamFactory could not be read) is null, never 0; a notice
 * says why when the sampler recorded a gap.
 */
import type { estypes } from '@elastic/elasticsearch';
import {
  FRAME_COLUMNS,
  LIMIT_HISTORY_FIELDS as C,
  type FrameField,
  type FrameJSON,
  type FrameNotice,
  type LimitDimension,
  type LimitForecastMeta,
  type LimitForecastQuery,
  type LimitTripsQuery,
  type LimitUsageQuery,
} from '@shared/query';
import { MISSING_KEYWORD } from '../fields';
import { pick, totalHits } from '../shaper';
import { PROJECTION_METHOD } from '../../limit-history/counter-state';
import type { CounterDocument, LimitDocument } from '../../limit-history/document';

interface HistogramBucket {
  key: number;
  doc_count: number;
  usage?: { value: number | null };
}

interface SplitBucket {
  key: string | number;
  doc_count: number;
  peak?: { value: number | null };
  newest?: { hits: { hits: Array<{ _source?: Record<string, unknown> }> } };
  over_time?: { buckets: HistogramBucket[] };
}

interface SplitResult {
  buckets: SplitBucket[];
  sum_other_doc_count?: number;
}

type Aggs = Record<string, unknown> | undefined;

const NOT_PER_USER = 'Not per user';
const ALL_SERVICES = 'All services';

/** Intervals with at least one successful sample. */
function sampledIntervals(aggs: Aggs): Set<number> {
  const buckets =
    (aggs?.sampled as { over_time?: { buckets: HistogramBucket[] } } | undefined)?.over_time?.buckets ?? [];
  return new Set(buckets.filter((b) => b.doc_count > 0).map((b) => b.key));
}

/** Why some intervals are empty: the sampler's gap documents, or no samples at all. */
function coverageNotices(aggs: Aggs, sampled: Set<number>): FrameNotice[] {
  const gaps = aggs?.gaps as
    | {
        doc_count: number;
        first?: { value_as_string?: string };
        last?: { value_as_string?: string };
        reasons?: { buckets: Array<{ key: string }> };
      }
    | undefined;
  const notices: FrameNotice[] = [];
  if (gaps && gaps.doc_count > 0) {
    const reasons = (gaps.reasons?.buckets ?? []).map((b) => b.key).join('; ');
    notices.push({
      severity: 'warning',
      text: `DreamFactory could not be read for ${gaps.doc_count} limit sample(s) between ${gaps.first?.value_as_string} and ${gaps.last?.value_as_string} (${reasons}). Those intervals are empty, not zero.`,
    });
  } else if (sampled.size === 0) {
    notices.push({
      severity: 'info',
      text: 'No limit samples in this range. The proxy samples DreamFactory’s limit counters every LIMIT_SAMPLE_SECONDS (0 turns it off).',
    });
  }
  return notices;
}

function newestSource(bucket: SplitBucket): Record<string, unknown> | undefined {
  return bucket.newest?.hits.hits[0]?._source;
}

const text = (value: unknown): string | null =>
  value === undefined || value === null || value === '' ? null : String(value);

/** Labels and display name of one series; `User ID` labels are turned into names by enrichment. */
function seriesLabels(
  dimension: LimitDimension,
  bucket: SplitBucket
): { labels: Record<string, string>; displayName?: string } {
  const source = newestSource(bucket);
  const limitName = text(pick(source, 'limit.name')) ?? `Limit ${bucket.key}`;
  const missing = bucket.key === MISSING_KEYWORD;
  switch (dimension) {
    case 'limit':
      return { labels: { [C.limit]: limitName, [C.limitId]: String(bucket.key) }, displayName: limitName };
    case 'user':
      return missing
        ? { labels: { User: NOT_PER_USER }, displayName: NOT_PER_USER }
        : { labels: { [FRAME_COLUMNS.userId]: String(bucket.key) } };
    case 'service':
      return missing
        ? { labels: { [C.service]: ALL_SERVICES }, displayName: ALL_SERVICES }
        : { labels: { [C.service]: String(bucket.key) }, displayName: String(bucket.key) };
    case 'counter': {
      const user = text(pick(source, 'user.id'));
      return { labels: { [C.limit]: limitName, ...(user ? { [FRAME_COLUMNS.userId]: user } : {}) }, displayName: limitName };
    }
  }
}

function cutNotice(
  split: SplitResult | undefined,
  dimension: LimitDimension,
  size: number,
  measure: string
): FrameNotice[] {
  if (!split?.sum_other_doc_count) {
    return [];
  }
  return [
    {
      severity: 'info',
      text: `Only the ${size} ${dimension === 'counter' ? 'counters' : `${dimension}s`} with ${measure} are shown; raise the size to see more.`,
    },
  ];
}

function timeField(times: number[], intervalMs: number): FrameField {
  return { name: C.time, type: 'time', values: times, config: { custom: { intervalMs } } };
}

function seriesFrame(refId: string, fields: FrameField[], intervalMs: number, notices: FrameNotice[]): FrameJSON {
  return {
    refId,
    name: refId,
    fields,
    meta: { preferredVisualisationType: 'graph', custom: { intervalMs }, ...(notices.length > 0 ? { notices } : {}) },
  };
}

/** The times of the range's intervals (every histogram has the same buckets). */
function intervalTimes(aggs: Aggs): number[] {
  return ((aggs?.sampled as { over_time?: { buckets: HistogramBucket[] } } | undefined)?.over_time?.buckets ?? []).map(
    (b) => b.key
  );
}

interface SeriesSpec {
  /** The `usage` or `trips` aggregation: one histogram, or one per split bucket. */
  container?: { split?: SplitResult; over_time?: { buckets: HistogramBucket[] } };
  split: { dimension: LimitDimension; size: number; measure: string } | null;
  /** The value of an interval that has documents. */
  valueOf: (bucket: HistogramBucket) => number | null;
  field: (values: Array<number | null>, labels?: Record<string, string>, displayName?: string) => FrameField;
}

/** One series (or one per split bucket) over the range's intervals: 0 where sampled and empty, null where not sampled. */
function seriesFrameOf(refId: string, aggs: Aggs, intervalMs: number, spec: SeriesSpec): FrameJSON {
  const sampled = sampledIntervals(aggs);
  const times = intervalTimes(aggs);
  const values = (buckets: HistogramBucket[] = []) => {
    const byTime = new Map(buckets.filter((b) => b.doc_count > 0).map((b) => [b.key, spec.valueOf(b)]));
    return times.map((t) => byTime.get(t) ?? (sampled.has(t) ? 0 : null));
  };
  const fields: FrameField[] = [timeField(times, intervalMs)];
  if (!spec.split) {
    fields.push(spec.field(values(spec.container?.over_time?.buckets)));
  } else {
    for (const bucket of spec.container?.split?.buckets ?? []) {
      const { labels, displayName } = seriesLabels(spec.split.dimension, bucket);
      fields.push(spec.field(values(bucket.over_time?.buckets), labels, displayName));
    }
  }
  const notices = [
    ...coverageNotices(aggs, sampled),
    ...(spec.split ? cutNotice(spec.container?.split, spec.split.dimension, spec.split.size, spec.split.measure) : []),
  ];
  return seriesFrame(refId, fields, intervalMs, notices);
}

export function shapeLimitUsage(
  query: LimitUsageQuery,
  response: estypes.SearchResponse,
  intervalMs: number
): FrameJSON {
  const aggs = response.aggregations as Aggs;
  return seriesFrameOf(query.refId, aggs, intervalMs, {
    container: aggs?.usage as SeriesSpec['container'],
    split: query.splitBy ? { dimension: query.splitBy, size: query.size, measure: 'the highest usage' } : null,
    valueOf: (bucket) => bucket.usage?.value ?? null,
    field: (values, labels, displayName = labels ? undefined : 'Highest usage') => ({
      name: C.usage,
      type: 'number',
      values,
      ...(labels ? { labels } : {}),
      config: { unit: 'percentunit', ...(displayName ? { displayName } : {}) },
    }),
  });
}

/** Per dimension, the table columns that name a group. */
function groupColumns(dimension: LimitDimension, buckets: SplitBucket[]): FrameField[] {
  const cells = buckets.map((b) => ({ bucket: b, source: newestSource(b), missing: b.key === MISSING_KEYWORD }));
  const limitColumns: FrameField[] = [
    { name: C.limitId, type: 'number', values: cells.map((c) => Number(pick(c.source, 'limit.id') ?? c.bucket.key)) },
    { name: C.limit, type: 'string', values: cells.map((c) => text(pick(c.source, 'limit.name'))) },
  ];
  const userColumn = (values: Array<string | null>): FrameField => ({ name: FRAME_COLUMNS.userId, type: 'string', values });
  switch (dimension) {
    case 'limit':
      return limitColumns;
    case 'user':
      return [userColumn(cells.map((c) => (c.missing ? null : String(c.bucket.key))))];
    case 'service':
      return [
        {
          name: C.service,
          type: 'string',
          values: cells.map((c) => (c.missing ? ALL_SERVICES : String(c.bucket.key))),
        },
      ];
    case 'counter':
      return [...limitColumns, userColumn(cells.map((c) => text(pick(c.source, 'user.id'))))];
  }
}

const table = (
  refId: string,
  fields: FrameField[],
  notices: FrameNotice[] = [],
  custom?: Record<string, unknown>
): FrameJSON => ({
  refId,
  name: refId,
  fields,
  meta: {
    preferredVisualisationType: 'table',
    ...(notices.length > 0 ? { notices } : {}),
    ...(custom ? { custom } : {}),
  },
});

const timeOf = (value: unknown): number | null => (typeof value === 'string' ? Date.parse(value) : null);

export function shapeLimitTrips(query: LimitTripsQuery, response: estypes.SearchResponse, intervalMs = 0): FrameJSON {
  if (query.format === 'table') {
    const docs = response.hits.hits.map((hit) => (hit._source ?? {}) as Record<string, unknown>);
    const total = totalHits(response);
    const column = (
      name: string,
      type: FrameField['type'],
      path: string,
      read: (v: unknown) => unknown = (v) => v ?? null
    ): FrameField => ({
      name,
      type,
      values: docs.map((doc) => read(pick(doc, path))),
    });
    const notices: FrameNotice[] =
      total > docs.length
        ? [{ severity: 'info', text: `Showing the ${docs.length} newest of ${total} trips in this range.` }]
        : [];
    return table(
      query.refId,
      [
        column(C.time, 'time', '@timestamp', timeOf),
        column(C.limitId, 'number', 'limit.id'),
        column(C.limit, 'string', 'limit.name'),
        column(C.type, 'string', 'limit.type_label'),
        column(C.period, 'string', 'limit.period'),
        column(C.rate, 'number', 'limit.rate'),
        column(FRAME_COLUMNS.userId, 'string', 'user.id', text),
        column(C.service, 'string', 'service.name'),
        column(C.attempts, 'number', 'counter.attempts'),
        column(C.max, 'number', 'counter.max'),
        column(C.previousSample, 'time', 'previous_sample_at', timeOf),
      ],
      notices
    );
  }
  const aggs = response.aggregations as Aggs;
  if (query.format === 'counts') {
    if (!query.groupBy) {
      return table(query.refId, [{ name: C.trips, type: 'number', values: [totalHits(response)] }]);
    }
    const split = aggs?.split as SplitResult | undefined;
    const buckets = split?.buckets ?? [];
    return table(
      query.refId,
      [
        ...groupColumns(query.groupBy, buckets),
        { name: C.trips, type: 'number', values: buckets.map((b) => b.doc_count) },
      ],
      cutNotice(split, query.groupBy, query.size, 'the most trips')
    );
  }
  return seriesFrameOf(query.refId, aggs, intervalMs, {
    container: aggs?.trips as SeriesSpec['container'],
    split: query.groupBy ? { dimension: query.groupBy, size: query.size, measure: 'the most trips' } : null,
    valueOf: (bucket) => bucket.doc_count,
    field: (values, labels, displayName) => ({
      name: C.trips,
      type: 'number',
      values,
      ...(labels ? { labels } : {}),
      ...(displayName ? { config: { displayName } } : {}),
    }),
  });
}

/** Most urgent first: at the maximum, then the soonest projected trip in this window, then the highest usage. */
function urgency(a: ForecastRow, b: ForecastRow): number {
  const atMax = (row: ForecastRow) => (row.usage >= 1 ? 0 : row.tripsAt !== null && row.inWindow ? 1 : 2);
  return atMax(a) - atMax(b) || (a.tripsAt ?? 0) - (b.tripsAt ?? 0) || b.usage - a.usage || a.key.localeCompare(b.key);
}

interface ForecastRow {
  key: string;
  usage: number;
  tripsAt: number | null;
  inWindow: boolean;
  doc: CounterDocument | LimitDocument;
}

interface ForecastAggs {
  sampled?: { latest?: { value: number | null } };
  gaps?: { newest?: { hits: { hits: Array<{ _source?: { '@timestamp'?: string; gap?: { reason?: string } } }> } } };
}

/** Why "now" is older than it should be: DreamFactory has failed since the latest sample, or nothing was sampled. */
function forecastNotices(aggs: ForecastAggs | undefined, sampledAt: number | null): FrameNotice[] {
  if (sampledAt === null) {
    return [
      {
        severity: 'info',
        text: 'No limit sample in the hour before the end of this range, so nothing can be said about “now”.',
      },
    ];
  }
  const gap = aggs?.gaps?.newest?.hits.hits[0]?._source;
  const gapAt = timeOf(gap?.['@timestamp']);
  if (gapAt !== null && gapAt > sampledAt) {
    return [
      {
        severity: 'warning',
        text: `DreamFactory could not be read at ${gap!['@timestamp']} (${gap!.gap?.reason}); these rows are from the last successful sample, ${new Date(sampledAt).toISOString()}.`,
      },
    ];
  }
  return [];
}

export function shapeLimitForecast(query: LimitForecastQuery, response: estypes.SearchResponse): FrameJSON {
  const aggs = response.aggregations?.everything as ForecastAggs | undefined;
  const sampledAt = aggs?.sampled?.latest?.value ?? null;
  const docs = response.hits.hits
    .map((hit) => hit._source as CounterDocument | LimitDocument)
    .filter((doc) => sampledAt !== null && Date.parse(doc['@timestamp']) === sampledAt);
  const rows: ForecastRow[] = docs
    .map((doc) => ({
      key: doc.kind === 'counter' ? doc.counter.id : String(doc.limit.id),
      usage: doc.usage,
      tripsAt: timeOf(doc.projection?.trips_at),
      inWindow: doc.projection?.in_window ?? false,
      doc,
    }))
    .sort(urgency);
  const meta: LimitForecastMeta = {
    projectionMethod: PROJECTION_METHOD,
    ...(sampledAt !== null ? { sampledAt: new Date(sampledAt).toISOString() } : {}),
  };
  const notices = forecastNotices(aggs, sampledAt);
  const column = <T>(name: string, type: FrameField['type'], read: (row: ForecastRow) => T): FrameField => ({
    name,
    type,
    values: rows.map(read),
  });
  const projection = [
    column(C.ratePerHour, 'number', (r) => r.doc.projection?.rate_per_hour ?? null),
    column(C.projectedTrip, 'time', (r) => r.tripsAt),
    column(C.inWindow, 'boolean', (r) => r.inWindow),
  ];
  const limit = [
    column(C.limitId, 'number', (r) => r.doc.limit.id),
    column(C.limit, 'string', (r) => r.doc.limit.name),
  ];
  const usage = { ...column(C.usage, 'number', (r) => r.usage), config: { unit: 'percentunit' } };
  if (query.view === 'counters') {
    const counter = (r: ForecastRow) => (r.doc as CounterDocument).counter;
    return table(
      query.refId,
      [
        column(C.time, 'time', (r) => Date.parse(r.doc['@timestamp'])),
        ...limit,
        column(FRAME_COLUMNS.userId, 'string', (r) => r.doc.user?.id ?? null),
        column(C.service, 'string', (r) => r.doc.service?.name ?? null),
        column(C.attempts, 'number', (r) => counter(r).attempts),
        column(C.max, 'number', (r) => counter(r).max),
        usage,
        column(C.lockedOut, 'boolean', (r) => counter(r).locked_out),
        column(C.atMaxSince, 'time', (r) => timeOf(counter(r).at_max_since)),
        ...projection,
        column(C.windowEndsBy, 'time', (r) => timeOf((r.doc as CounterDocument).window.ends_by)),
      ],
      notices,
      meta
    );
  }
  const limitDoc = (r: ForecastRow) => r.doc as LimitDocument;
  return table(
    query.refId,
    [
      ...limit,
      column(C.type, 'string', (r) => r.doc.limit.type_label),
      column(C.period, 'string', (r) => r.doc.limit.period),
      column(C.rate, 'number', (r) => r.doc.limit.rate),
      column(C.service, 'string', (r) => r.doc.service?.name ?? null),
      column(C.counters, 'number', (r) => limitDoc(r).counters.total),
      column(C.countersInUse, 'number', (r) => limitDoc(r).counters.in_use),
      column(C.countersAtMax, 'number', (r) => limitDoc(r).counters.at_max),
      usage,
      // The busiest counter's user (each-user limits), else the limit's own user.
      column(FRAME_COLUMNS.userId, 'string', (r) => limitDoc(r).busiest?.user_id ?? r.doc.user?.id ?? null),
      ...projection,
      // Each-user limits: whose counter the projection is about (as of the sample).
      column(C.projectedFor, 'string', (r) => limitDoc(r).projection?.user_label ?? null),
    ],
    notices,
    meta
  );
}

/** After enrichment: counter series read "limit · user" (enrichment names them after the user alone). */
export function counterSeriesNames(frame: FrameJSON): FrameJSON {
  return {
    ...frame,
    fields: frame.fields.map((field) =>
      field.labels?.[C.limit] && field.labels.User
        ? { ...field, config: { ...field.config, displayName: `${field.labels[C.limit]} · ${field.labels.User}` } }
        : field
    ),
  };
}
