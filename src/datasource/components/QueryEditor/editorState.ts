/** Query edits as pure functions, so the editor's components stay thin and the rules are unit-tested. */
import {
  ACTIVITY_PRESETS,
  ActivityPreset,
  DIMENSIONS,
  Dimension,
  DimensionSpec,
  InsightsQuery,
  QueryType,
  TimeseriesQuery,
  defaultQuery,
  dimension,
} from '@shared/query';

export const EVENT_QUERY_TYPES: QueryType[] = ['activity', 'timeseries', 'logs'];
export const LIMIT_HISTORY_QUERY_TYPES: QueryType[] = ['limitUsage', 'limitTrips', 'limitForecast'];
/** Query types that take the users, services, methods and Lucene filters (the dashboard's variables). */
export const FILTERED_QUERY_TYPES: QueryType[] = [...EVENT_QUERY_TYPES, ...LIMIT_HISTORY_QUERY_TYPES];

export function isEventQuery(query: InsightsQuery): boolean {
  return EVENT_QUERY_TYPES.includes(query.queryType);
}

export function takesFilters(query: InsightsQuery): boolean {
  return FILTERED_QUERY_TYPES.includes(query.queryType);
}

/** A fresh query of the new type that keeps the row's identity and, between filtered queries, its filters. */
export function changeQueryType(query: InsightsQuery, queryType: QueryType): InsightsQuery {
  const next = defaultQuery(queryType, query.refId);
  const keepFilters = FILTERED_QUERY_TYPES.includes(queryType) && query.filters;
  return {
    ...next,
    ...(query.hide !== undefined && { hide: query.hide }),
    ...(keepFilters && { filters: query.filters }),
  };
}

/** Copies, so that editing a row never mutates the shared preset. */
export function presetGroupBy(preset: ActivityPreset): DimensionSpec[] {
  return ACTIVITY_PRESETS[preset].groupBy.map((spec) => ({ ...spec }));
}

/** The preset whose dimensions (in order) the grouping follows, if any. */
export function matchingPreset(groupBy: DimensionSpec[]): ActivityPreset | undefined {
  const key = groupBy.map((spec) => spec.dimension).join('/');
  return (Object.keys(ACTIVITY_PRESETS) as ActivityPreset[]).find(
    (preset) => ACTIVITY_PRESETS[preset].groupBy.map((spec) => spec.dimension).join('/') === key
  );
}

/** Dimensions the row at `index` may switch to: its own and the ones no other row uses. */
export function availableDimensions(groupBy: DimensionSpec[], index?: number): Dimension[] {
  const taken = new Set(groupBy.filter((_, i) => i !== index).map((spec) => spec.dimension));
  return DIMENSIONS.filter((name) => !taken.has(name));
}

/** Appends the first unused dimension as the innermost grouping; unchanged when every dimension is used. */
export function addDimension(groupBy: DimensionSpec[]): DimensionSpec[] {
  const [next] = availableDimensions(groupBy);
  return next ? [...groupBy, dimension(next)] : groupBy;
}

export function removeDimension(groupBy: DimensionSpec[], index: number): DimensionSpec[] {
  return groupBy.filter((_, i) => i !== index);
}

/** Swaps the row with its neighbour above (`-1`) or below (`1`); out-of-range moves change nothing. */
export function moveDimension(groupBy: DimensionSpec[], index: number, delta: -1 | 1): DimensionSpec[] {
  const target = index + delta;
  if (index < 0 || index >= groupBy.length || target < 0 || target >= groupBy.length) {
    return groupBy;
  }
  const next = [...groupBy];
  [next[index], next[target]] = [next[target], next[index]];
  return next;
}

export function updateDimension(
  groupBy: DimensionSpec[],
  index: number,
  patch: Partial<DimensionSpec>
): DimensionSpec[] {
  return groupBy.map((spec, i) => (i === index ? { ...spec, ...patch } : spec));
}

/**
 * Splits the series by a dimension (keeping the previous size and order) or not at all. "Not at all" is stored as
 * null, not left out: migrateQuery gives a query without splitBy the default split by user, and the proxy reads null
 * as one total series.
 */
export function setSplit(query: TimeseriesQuery, split: Dimension | undefined): TimeseriesQuery {
  if (!split) {
    return { ...query, splitBy: null };
  }
  return { ...query, splitBy: dimension(split, query.splitBy?.size ?? 10, query.splitBy?.order) };
}

/** A typed size: whole and at least 1 (the upper bound is migrateQuery's). Empty or invalid input keeps `fallback`. */
export function parseSize(text: string, fallback: number): number {
  const n = Math.trunc(Number(text));
  return Number.isFinite(n) && n >= 1 ? n : fallback;
}

/** A typed percentage (0–100) as a share (0–1); empty or invalid input keeps `fallback`. */
export function parsePercent(text: string, fallback: number): number {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? Math.min(Math.max(n, 0), 100) / 100 : fallback;
}
