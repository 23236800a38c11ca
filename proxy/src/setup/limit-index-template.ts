/**
 * The composable index template of the limit sampler's daily `<limit prefix>YYYY.MM.dd` indices. Pure; `proxy setup`
 * installs it next to the event template, with the same retention (the same ILM policy where there is ILM).
 *
 * Every field of the documents (document.ts) is mapped explicitly and `dynamic` is off: a field added by a newer
 * proxy before its template is installed stays in `_source` instead of being guessed.
 */
import { lifecycleSettings, MANAGED_BY, TEMPLATE_PRIORITY, type IndexTemplateBody } from './index-template';

const DEFAULT_PREFIX = 'dreamfactory-limits-';
const TEMPLATE_NAME = 'dreamfactory-insights-limits';
/** Bump whenever the body below changes. */
export const LIMIT_TEMPLATE_VERSION = 1;

/** `dreamfactory-insights-limits` for the default prefix, suffixed with the prefix otherwise (one per prefix). */
export function limitTemplateNameFor(prefix: string): string {
  return prefix === DEFAULT_PREFIX ? TEMPLATE_NAME : `${TEMPLATE_NAME}-${prefix.replace(/[-_.]+$/, '')}`;
}

const keyword = { type: 'keyword', ignore_above: 1024 };
const date = { type: 'date' };
const long = { type: 'long' };
const integer = { type: 'integer' };
const bool = { type: 'boolean' };
const double = { type: 'double' };
const object = (properties: Record<string, unknown>) => ({ properties });

const projection = { rate_per_hour: double, trips_at: date, in_window: bool };

const MAPPINGS = {
  dynamic: false,
  properties: {
    '@timestamp': date,
    kind: keyword,
    limit: object({
      id: integer,
      name: keyword,
      type: keyword,
      type_label: keyword,
      period: keyword,
      period_seconds: long,
      rate: long,
      active: bool,
      verb: keyword,
      endpoint: keyword,
      key: keyword,
    }),
    user: object({ id: keyword, name: keyword, email: keyword }),
    role: object({ id: integer, name: keyword }),
    service: object({ id: integer, name: keyword }),
    usage: double,
    counter: object({
      id: keyword,
      key: keyword,
      attempts: long,
      max: long,
      remaining: long,
      locked_out: bool,
      at_max_since: date,
    }),
    trip: bool,
    window: object({ change: keyword, started_after: date, started_by: date, ends_by: date }),
    projection: object({ ...projection, key: keyword, user_id: keyword, user_label: keyword }),
    previous_sample_at: date,
    counters: object({ total: integer, in_use: integer, at_max: integer, tripped: integer }),
    busiest: object({ key: keyword, user_id: keyword, user_label: keyword }),
    gap: object({ reason: { type: 'text', fields: { keyword } }, last_sample_at: date }),
  },
};

export interface LimitTemplateOptions {
  /** The event indices' ILM policy (same retention); omitted when the proxy enforces retention itself. */
  lifecyclePolicy?: string;
  /** Replica copies of each shard, as for the event indices (ES_INDEX_REPLICAS). */
  replicas?: number;
}

export function buildLimitIndexTemplate(prefix: string, options: LimitTemplateOptions = {}): IndexTemplateBody {
  const settings: Record<string, unknown> = {
    'index.number_of_shards': 1,
    'index.number_of_replicas': options.replicas ?? 0,
    'index.refresh_interval': '5s',
    ...lifecycleSettings(prefix, options.lifecyclePolicy),
  };
  return {
    index_patterns: [`${prefix}*`],
    priority: TEMPLATE_PRIORITY,
    version: LIMIT_TEMPLATE_VERSION,
    _meta: { managed_by: MANAGED_BY, description: 'DreamFactory Insights limit usage samples' },
    template: { settings, mappings: structuredClone(MAPPINGS) },
  };
}
