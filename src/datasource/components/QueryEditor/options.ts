/** Option lists of the editor's pickers, built once from the query model's labels. */
import type { ComboboxOption } from '@grafana/ui';
import {
  BucketOrder,
  DIMENSIONS,
  DIMENSION_LABELS,
  Dimension,
  LimitForecastQuery,
  LimitTripsFormat,
  QUERY_TYPE_LABELS,
  QueryType,
  STATUS_CLASSES,
  StatusClass,
  UserLabelMode,
} from '@shared/query';

export const QUERY_TYPE_OPTIONS = (Object.keys(QUERY_TYPE_LABELS) as QueryType[]).map((value) => ({
  label: QUERY_TYPE_LABELS[value],
  value,
}));

export function dimensionOptions(allowed: readonly Dimension[] = DIMENSIONS): Array<ComboboxOption<Dimension>> {
  return allowed.map((value) => ({ label: DIMENSION_LABELS[value], value }));
}

export const ORDER_OPTIONS: Array<ComboboxOption<BucketOrder>> = [
  { label: 'Most calls first', value: 'count_desc' },
  { label: 'Fewest calls first', value: 'count_asc' },
  { label: 'A → Z', value: 'key_asc' },
  { label: 'Z → A', value: 'key_desc' },
];

export const USER_LABEL_OPTIONS: Array<{ label: string; value: UserLabelMode; description: string }> = [
  { label: 'Email', value: 'email', description: 'The user\'s email; events without a user show "anonymous"' },
  {
    label: 'Seed guide',
    value: 'seed',
    description: 'As the Logstash guide: "Admin User" where DreamFactory has no email',
  },
];

export const EMPTY_BUCKET_OPTIONS: Array<{ label: string; value: 'null' | 'zero'; description: string }> = [
  { label: 'Null', value: 'null', description: 'Gaps stay gaps; the panel\'s "No value" decides how they look' },
  { label: 'Zero', value: 'zero', description: 'Empty intervals count as 0 calls' },
];

export const STATUS_CLASS_OPTIONS: Array<ComboboxOption<StatusClass>> = STATUS_CLASSES.map((value) => ({
  label: value,
  value,
}));

export const TRIPS_FORMAT_OPTIONS: Array<{ label: string; value: LimitTripsFormat; description: string }> = [
  { label: 'Table', value: 'table', description: 'One row per trip, newest first' },
  { label: 'Counts', value: 'counts', description: 'Trips per limit, user, service or counter' },
  { label: 'Over time', value: 'timeseries', description: 'Trips per interval' },
];

export const FORECAST_VIEW_OPTIONS: Array<{ label: string; value: LimitForecastQuery['view']; description: string }> = [
  { label: 'Counter', value: 'counters', description: 'Each counter (each-user limits: one per user)' },
  { label: 'Limit', value: 'limits', description: 'Each limit, with its busiest counter and nearest projected trip' },
];
