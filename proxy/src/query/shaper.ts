/**
 * Pure: an Elasticsearch response → Grafana frames. User cells still hold DreamFactory user ids (in the `User ID`
 * column or label); enrich.ts turns them into names and emails.
 */
import type { estypes } from '@elastic/elasticsearch';
import {
  DIMENSION_LABELS,
  FRAME_COLUMNS,
  OTHER_LABEL,
  type ActivityQuery,
  type Dimension,
  type FrameField,
  type FrameJSON,
  type FrameNotice,
  type LogsQuery,
  type TimeseriesQuery,
} from '@shared/query';
import { groupAggName } from './builder';
import { EVENT_FIELDS, LEVEL_NAMES, MISSING_KEYWORD, MISSING_NUMBER } from './fields';

/** User cell of an "Other" row or series; never a DreamFactory id (those are integers). */
export const OTHER_USER = '__other__';
/** User cell of events without a user (the terms `missing` bucket). */
export const ANONYMOUS_USER = MISSING_KEYWORD;
export const NONE_LABEL = '(none)';

interface TermsBucket {
  key: string | number;
  doc_count: number;
  [sub: string]: unknown;
}

interface TermsResult {
  buckets: TermsBucket[];
  sum_other_doc_count?: number;
}

interface HistogramResult {
  buckets: Array<{ key: number; doc_count: number }>;
}

export function totalHits(response: estypes.SearchResponse): number {
  const total = response.hits.total;
  return typeof total === 'number' ? total : (total?.value ?? 0);
}

/** What a dimension's bucket key reads as in a frame. */
export function keyCell(dimension: Dimension, key: string | number): string {
  if (dimension === 'user') {
    return String(key);
  }
  if (key === MISSING_KEYWORD || key === MISSING_NUMBER) {
    return NONE_LABEL;
  }
  if (dimension === 'level') {
    return LEVEL_NAMES[Number(key)] ?? String(key);
  }
  return String(key);
}

const columnName = (dimension: Dimension) => (dimension === 'user' ? FRAME_COLUMNS.userId : DIMENSION_LABELS[dimension]);
const otherCell = (dimension: Dimension) => (dimension === 'user' ? OTHER_USER : OTHER_LABEL);

interface Cut {
  calls: number;
  groups: number;
}

export function shapeActivity(query: ActivityQuery, response: estypes.SearchResponse): FrameJSON {
  const dims = query.groupBy.map((spec) => spec.dimension);
  const total = totalHits(response);
  const rows: Array<{ cells: Array<string | null>; calls: number }> = [];
  const cuts: Cut[] = dims.map(() => ({ calls: 0, groups: 0 }));

  const walk = (result: TermsResult | undefined, level: number, parent: Array<string | null>) => {
    for (const bucket of result?.buckets ?? []) {
      const cells = [...parent, keyCell(dims[level], bucket.key)];
      if (level === dims.length - 1) {
        rows.push({ cells, calls: bucket.doc_count });
      } else {
        walk(bucket[groupAggName(level + 1)] as TermsResult | undefined, level + 1, cells);
      }
    }
    const other = result?.sum_other_doc_count ?? 0;
    if (other > 0) {
      cuts[level].calls += other;
      cuts[level].groups += 1;
      if (query.showOther) {
        const blanks = dims.slice(level + 1).map(() => null);
        rows.push({ cells: [...parent, otherCell(dims[level]), ...blanks], calls: other });
      }
    }
  };

  if (dims.length === 0) {
    if (total > 0) {
      rows.push({ cells: [], calls: total });
    }
  } else {
    walk(response.aggregations?.[groupAggName(0)] as TermsResult | undefined, 0, []);
  }

  const fields: FrameField[] = dims.map((dimension, i) => ({
    name: columnName(dimension),
    type: 'string',
    values: rows.map((row) => row.cells[i]),
  }));
  fields.push({ name: FRAME_COLUMNS.calls, type: 'number', values: rows.map((row) => row.calls) });
  if (query.shareOfTotal) {
    fields.push({ name: FRAME_COLUMNS.share, type: 'number', values: rows.map((row) => row.calls / total), config: { unit: 'percentunit' } });
  }
  const notices = cuts.flatMap((cut, level) => (cut.calls > 0 ? [cutNotice(query, level, cut)] : []));
  return {
    refId: query.refId,
    name: query.refId,
    fields,
    meta: { preferredVisualisationType: 'table', custom: { totalCalls: total }, ...(notices.length > 0 ? { notices } : {}) },
  };
}

function cutNotice(query: ActivityQuery, level: number, cut: Cut): FrameNotice {
  const spec = query.groupBy[level];
  const label = DIMENSION_LABELS[spec.dimension];
  const scope = level === 0 ? '' : ` per ${DIMENSION_LABELS[query.groupBy[level - 1].dimension].toLowerCase()}`;
  const where = query.showOther ? 'they are shown as "Other" rows' : 'they are not shown (turn on "Show other" to see them)';
  return {
    severity: 'warning',
    text: `${label} was cut to the top ${spec.size}${scope}: ${cut.calls.toLocaleString('en-US')} calls in ${cut.groups} group(s) fell outside; ${where}. Raise the ${label.toLowerCase()} size to see them.`,
  };
}

// --- timeseries ------------------------------------------------------------------------------------------------

export function shapeTimeseries(query: TimeseriesQuery, response: estypes.SearchResponse, intervalMs: number): FrameJSON {
  const empty = query.emptyBuckets === 'zero' ? 0 : null;
  const cell = (count: number) => (count > 0 ? count : empty);
  const total = (response.aggregations?.total as HistogramResult | undefined)?.buckets ?? [];
  const times = total.map((b) => b.key);
  const fields: FrameField[] = [{ name: FRAME_COLUMNS.time, type: 'time', values: times, config: { custom: { intervalMs } } }];
  const notices: FrameNotice[] = [];

  if (!query.splitBy) {
    fields.push({ name: FRAME_COLUMNS.calls, type: 'number', values: total.map((b) => cell(b.doc_count)) });
  } else {
    const dimension = query.splitBy.dimension;
    const labelName = columnName(dimension);
    const split = response.aggregations?.split as TermsResult | undefined;
    const kept = times.map(() => 0);
    for (const bucket of split?.buckets ?? []) {
      const byTime = new Map(((bucket.over_time as HistogramResult | undefined)?.buckets ?? []).map((b) => [b.key, b.doc_count]));
      const counts = times.map((t) => byTime.get(t) ?? 0);
      counts.forEach((c, i) => (kept[i] += c));
      const key = keyCell(dimension, bucket.key);
      fields.push(seriesField(labelName, key, counts.map(cell)));
    }
    const other = split?.sum_other_doc_count ?? 0;
    if (other > 0) {
      fields.push(seriesField(labelName, otherCell(dimension), total.map((b, i) => cell(b.doc_count - kept[i]))));
      const label = DIMENSION_LABELS[dimension];
      notices.push({
        severity: 'warning',
        text: `Only the top ${query.splitBy.size} ${label.toLowerCase()} series are drawn; ${other.toLocaleString('en-US')} calls are summed in the "Other" series. Raise the split size to see them.`,
      });
    }
  }
  return {
    refId: query.refId,
    name: query.refId,
    fields,
    meta: { preferredVisualisationType: 'graph', custom: { intervalMs }, ...(notices.length > 0 ? { notices } : {}) },
  };
}

function seriesField(labelName: string, key: string, values: Array<number | null>): FrameField {
  const display = key === OTHER_USER ? OTHER_LABEL : key;
  return { name: FRAME_COLUMNS.calls, type: 'number', values, labels: { [labelName]: key }, config: { displayName: display } };
}

// --- logs ------------------------------------------------------------------------------------------------------

/** Label carrying the raw user id of a log line until enrichment adds `user`. */
export const LOG_USER_ID_LABEL = 'user_id';

export interface LogsPage {
  frame: FrameJSON;
  /** Sort values of the last hit when the page was full (more may follow). */
  lastSort?: estypes.SortResults;
}

type EventSource = Record<string, unknown>;

/** Reads a dotted path from a source document, whether ES stored it nested or with dotted keys. */
export function pick(source: EventSource | undefined, path: string): unknown {
  if (!source) {
    return undefined;
  }
  if (path in source) {
    return source[path];
  }
  const dot = path.indexOf('.');
  if (dot < 0) {
    return undefined;
  }
  const head = source[path.slice(0, dot)];
  return head && typeof head === 'object' ? pick(head as EventSource, path.slice(dot + 1)) : undefined;
}

const text = (value: unknown): string | undefined => (value === undefined || value === null || value === '' ? undefined : String(value));

export function shapeLogs(query: LogsQuery, response: estypes.SearchResponse<EventSource>): LogsPage {
  const hits = response.hits.hits;
  const timestamps: number[] = [];
  const bodies: string[] = [];
  const severities: Array<string | null> = [];
  const ids: string[] = [];
  const labels: Array<Record<string, string>> = [];
  for (const hit of hits) {
    const src = hit._source;
    timestamps.push(Number(hit.sort?.[0] ?? Date.parse(String(pick(src, '@timestamp')))));
    bodies.push(text(pick(src, EVENT_FIELDS.message)) ?? '');
    const level = pick(src, EVENT_FIELDS.level);
    severities.push((text(pick(src, EVENT_FIELDS.levelName)) ?? LEVEL_NAMES[Number(level)] ?? null)?.toLowerCase() ?? null);
    ids.push(`${hit._index}/${hit._id}`);
    const line: Record<string, string> = {};
    const entries: Array<[string, unknown]> = [
      [LOG_USER_ID_LABEL, pick(src, EVENT_FIELDS.userId)],
      ['email', pick(src, EVENT_FIELDS.userEmail)],
      ['method', pick(src, EVENT_FIELDS.method)],
      ['uri', pick(src, EVENT_FIELDS.uri) ?? pick(src, EVENT_FIELDS.path)],
      ['status', pick(src, EVENT_FIELDS.statusCode)],
      ['service', pick(src, EVENT_FIELDS.service)],
    ];
    for (const [name, value] of entries) {
      const v = text(value);
      if (v !== undefined) {
        line[name] = v;
      }
    }
    labels.push(line);
  }
  const full = hits.length === query.limit && hits.length > 0;
  return {
    frame: {
      refId: query.refId,
      name: query.refId,
      fields: [
        { name: 'timestamp', type: 'time', values: timestamps },
        { name: 'body', type: 'string', values: bodies },
        { name: 'severity', type: 'string', values: severities },
        { name: 'id', type: 'string', values: ids },
        { name: 'labels', type: 'other', values: labels },
      ],
      meta: { type: 'log-lines', preferredVisualisationType: 'logs', custom: { total: totalHits(response), pageSize: query.limit } },
    },
    lastSort: full ? hits[hits.length - 1].sort : undefined,
  };
}
