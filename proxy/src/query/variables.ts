/**
 * Template-variable values (`GET /api/variables/:kind`): the distinct users, services, methods or endpoints seen in a
 * range, users named from the DreamFactory directory and sorted by that name.
 */
import { VARIABLE_DIMENSIONS, type VariableKind, type VariableValue } from '@shared/datasource-api';
import { ANONYMOUS_USER_LABEL, ANONYMOUS_USER_VALUE } from '@shared/query';
import type { DirectoryRead } from '../dreamfactory/directory';
import { buildValuesSearch, parseRange, type TimeRange } from './builder';
import { describeUser } from './enrich';
import type { EventSearch } from './event-search';
import { DIMENSION_FIELDS, MISSING_KEYWORD } from './fields';

const MAX_VARIABLE_VALUES = 10000;

/** Grafana sends ranges as epoch ms (`${__from}`) or ISO; no range means all time. */
export function parseVariableRange(from: string | undefined, to: string | undefined): TimeRange | undefined {
  if (!from && !to) {
    return undefined;
  }
  const iso = (value: string | undefined, fallback: number) =>
    value === undefined || value === '' ? new Date(fallback).toISOString() : /^\d+$/.test(value) ? new Date(Number(value)).toISOString() : value;
  return parseRange({ from: iso(from, 0), to: iso(to, Date.now()) });
}

export async function variableValues(
  search: EventSearch,
  indexPattern: string,
  directory: { read(): Promise<DirectoryRead> },
  kind: VariableKind,
  range: TimeRange | undefined
): Promise<VariableValue[]> {
  const dimension = VARIABLE_DIMENSIONS[kind];
  const isUser = dimension === 'user';
  const body = buildValuesSearch(range, DIMENSION_FIELDS[dimension].field, MAX_VARIABLE_VALUES, isUser ? MISSING_KEYWORD : undefined);
  const response = await search.search(indexPattern, body);
  const keys = ((response.aggregations?.values as { buckets: Array<{ key: string | number }> } | undefined)?.buckets ?? []).map((b) => String(b.key));
  if (!isUser) {
    return keys.map((key) => ({ text: key, value: key }));
  }
  const { snapshot } = await directory.read();
  return keys
    .map((key) => (key === MISSING_KEYWORD ? { text: ANONYMOUS_USER_LABEL, value: ANONYMOUS_USER_VALUE } : { text: describeUser(key, snapshot).label ?? key, value: key }))
    .sort((a, b) => a.text.localeCompare(b.text));
}
