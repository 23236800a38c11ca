/**
 * The one table from the query model's dimensions to the index's fields (the ingest pipeline writes them, the index
 * template maps them). Builder, shaper and the variables endpoint all read it from here.
 */
import type { Dimension } from '@shared/query';

export const TIMESTAMP_FIELD = '@timestamp';

export interface DimensionField {
  field: string;
  /** Integer fields need a numeric `missing` value; keyword fields a string one. */
  numeric: boolean;
}

export const DIMENSION_FIELDS: Record<Dimension, DimensionField> = {
  user: { field: 'user.id', numeric: false },
  method: { field: 'event.request.method', numeric: false },
  endpoint: { field: 'event.request.path', numeric: false },
  service: { field: 'event.request.service', numeric: false },
  resource: { field: 'event.request.resource', numeric: false },
  statusCode: { field: 'event.response.status_code', numeric: true },
  statusClass: { field: 'event.response.status_class', numeric: false },
  level: { field: 'level', numeric: true },
};

/** Fields the event filters and the logs frame read. */
export const EVENT_FIELDS = {
  userId: 'user.id',
  userEmail: 'user.email',
  service: 'event.request.service',
  method: 'event.request.method',
  statusClass: 'event.response.status_class',
  statusCode: 'event.response.status_code',
  uri: 'event.request.uri',
  path: 'event.request.path',
  level: 'level',
  levelName: 'level_name',
  message: 'message',
} as const;

/**
 * Set only on the doctor's probe events (the probe's id): every activity query excludes documents that have it, so
 * running the doctor leaves no trace in dashboards (README.md, "Set up Elasticsearch").
 */
export const PROBE_FIELD = 'insights_probe';

/**
 * The key ES reports for events that lack the field (terms `missing`), so they are counted instead of dropped.
 * Not a value any real event carries: user ids are DreamFactory integers, status codes and levels are >= 0.
 */
export const MISSING_KEYWORD = '__none__';
export const MISSING_NUMBER = -1;

/** GELF/syslog level names (docs/dreamfactory.md#levels). */
export const LEVEL_NAMES = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'];
