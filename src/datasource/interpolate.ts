/**
 * Template-variable interpolation of saved queries. Pure: takes Grafana's `replace` (TemplateSrv.replace) as an
 * argument so that the rules can be tested without Grafana.
 */
import type { ScopedVars } from '@grafana/data';
import { ANY_VALUE, InsightsQuery, QueryFilters, STATUS_CLASSES, StatusClass } from '@shared/query';

export type ReplaceFn = (
  target: string,
  scopedVars?: ScopedVars,
  format?: string | ((value: unknown) => string)
) => string;

// Joins a multi-value variable's values so that they can be split back into separate filter entries afterwards.
const SEPARATOR = '\u001f';

function joinValues(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(SEPARATOR) : String(value ?? '');
}

/**
 * Each entry may be a literal or a variable (`$user`, multi-value or not); the result is the flat, de-duplicated list
 * of values. `undefined` means "no filter": the list was empty or held the "any" value.
 */
export function interpolateList(
  values: string[] | undefined,
  replace: ReplaceFn,
  scopedVars?: ScopedVars
): string[] | undefined {
  if (!values?.length) {
    return undefined;
  }
  const expanded = values
    .flatMap((entry) => replace(entry, scopedVars, joinValues).split(SEPARATOR))
    .map((value) => value.trim())
    .filter((value) => value !== '');
  if (!expanded.length || expanded.includes(ANY_VALUE)) {
    return undefined;
  }
  return [...new Set(expanded)];
}

export function interpolateFilters(
  filters: QueryFilters | undefined,
  replace: ReplaceFn,
  scopedVars?: ScopedVars
): QueryFilters | undefined {
  if (!filters) {
    return undefined;
  }
  const statusClasses = interpolateList(filters.statusClasses, replace, scopedVars)?.filter(
    (value): value is StatusClass => STATUS_CLASSES.includes(value as StatusClass)
  );
  const lucene = filters.lucene ? replace(filters.lucene, scopedVars, 'lucene').trim() : '';
  const result: QueryFilters = {
    users: interpolateList(filters.users, replace, scopedVars),
    services: interpolateList(filters.services, replace, scopedVars),
    methods: interpolateList(filters.methods, replace, scopedVars)?.map((method) => method.toUpperCase()),
    statusClasses: statusClasses?.length ? statusClasses : undefined,
    lucene: lucene || undefined,
  };
  // Drop absent filters so that the request carries only what narrows the query.
  return Object.fromEntries(Object.entries(result).filter(([, value]) => value !== undefined)) as QueryFilters;
}

export function interpolateQuery(query: InsightsQuery, replace: ReplaceFn, scopedVars?: ScopedVars): InsightsQuery {
  const filters = interpolateFilters(query.filters, replace, scopedVars);
  const interpolated = { ...query, filters } as InsightsQuery;
  if (
    interpolated.queryType === 'timeseries' ||
    interpolated.queryType === 'limitUsage' ||
    interpolated.queryType === 'limitTrips'
  ) {
    interpolated.interval = replace(interpolated.interval, scopedVars) || 'auto';
  }
  return interpolated;
}
