/**
 * The composable index template for the daily `<prefix>YYYY.MM.dd` indices. Pure: setup compares it with the installed
 * one and installs it; ingest tests create indices with it.
 *
 * Mapping choices:
 * - Fields the product queries are mapped explicitly, so the first document of a day cannot fix a wrong type.
 * - Free-form objects of DreamFactory's context (request headers and parameters, `platform`) are `flattened`: one
 *   field each whatever their keys, so arbitrary keys cannot exhaust `total_fields.limit` or conflict by type.
 * - Request payload and request/response content can be any JSON (a raw body string, a list of scalars, an object);
 *   `flattened` rejects anything but objects (checked on 8.19), so they are kept in `_source` only (`enabled: false`):
 *   shown with the event, never indexed, never rejected.
 * - Any other string becomes a `keyword` (ignore_above 1024) rather than Elasticsearch's default text + `.keyword`
 *   pair: half the fields, and every value stays aggregatable. Date detection is off so a date-looking string in an
 *   unknown field cannot make the next non-date value fail.
 * - `event.request.method|uri|service` keep a `.keyword` sub-field so dashboards written for Logstash's default
 *   mapping (`event.request.method.keyword`) keep working.
 */

import type { ClusterInfo } from '../clients/search-engine';

export const TEMPLATE_NAME = 'dreamfactory-insights';
const DEFAULT_PREFIX = 'logstash-dreamfactory-';
/** Above Logstash's own `logstash-*` template (200): equal priorities on overlapping patterns are rejected. */
export const TEMPLATE_PRIORITY = 300;
/** Bump whenever the body below changes, so status can tell an old template from the current one. */
export const TEMPLATE_VERSION = 1;
export const MANAGED_BY = 'dreamfactory-insights-proxy';

/**
 * The template's name for an index prefix: `dreamfactory-insights` for the default prefix, suffixed with the prefix
 * otherwise, so proxies with different prefixes on one cluster (staging, production) keep separate templates.
 */
export function templateNameFor(prefix: string): string {
  return prefix === DEFAULT_PREFIX ? TEMPLATE_NAME : `${TEMPLATE_NAME}-${prefix.replace(/[-_.]+$/, '')}`;
}

export interface IndexTemplateOptions {
  replicas?: number;
  shards?: number;
  refreshInterval?: string;
  /** ILM policy to attach (`index.lifecycle.name`); omitted when the proxy enforces retention itself. */
  lifecyclePolicy?: string;
  /** `index.mapping.total_fields.ignore_dynamic_beyond_limit` exists from Elasticsearch 8.14; older nodes and OpenSearch reject it. */
  ignoreDynamicBeyondLimit?: boolean;
  /** Elasticsearch's `flattened` or OpenSearch's `flat_object` (each product refuses the other's). */
  flattenedType?: FlattenedType;
}

export type FlattenedType = 'flattened' | 'flat_object';

/** What the cluster's product and version allow in the template. */
export function templateOptionsFor(
  cluster: Pick<ClusterInfo, 'version' | 'distribution'>
): Pick<IndexTemplateOptions, 'ignoreDynamicBeyondLimit' | 'flattenedType'> {
  if (cluster.distribution === 'opensearch') {
    return { ignoreDynamicBeyondLimit: false, flattenedType: 'flat_object' };
  }
  const [major, minor] = cluster.version.split('.').map(Number);
  return { ignoreDynamicBeyondLimit: major > 8 || (major === 8 && minor >= 14), flattenedType: 'flattened' };
}

export interface IndexTemplateBody {
  index_patterns: string[];
  priority: number;
  version: number;
  _meta: Record<string, unknown>;
  template: {
    settings: Record<string, unknown>;
    mappings: Record<string, unknown>;
  };
}

const KEYWORD_IGNORE_ABOVE = 1024;
const keyword = { type: 'keyword', ignore_above: KEYWORD_IGNORE_ABOVE };
/** keyword plus the `.keyword` multi-field Logstash's default mapping had. */
const keywordWithLegacy = { ...keyword, fields: { keyword: { ...keyword } } };
/** OpenSearch's flat_object takes no ignore_above (it rejects the parameter). */
const FLATTENED: Record<FlattenedType, Record<string, unknown>> = {
  flattened: { type: 'flattened', ignore_above: KEYWORD_IGNORE_ABOVE },
  flat_object: { type: 'flat_object' },
};
const sourceOnly = { type: 'object', enabled: false };

function mappings(flattened: Record<string, unknown>) {
  return {
    dynamic: true,
    date_detection: false,
    numeric_detection: false,
    dynamic_templates: [{ strings_as_keyword: { match_mapping_type: 'string', mapping: { ...keyword } } }],
    properties: {
      '@timestamp': { type: 'date' },
      message: { type: 'text' },
      level: { type: 'integer' },
      level_name: keyword,
      log_source: keyword,
      type: keyword,
      source_hostname: keyword,
      source_host: keyword,
      host: { properties: { name: keyword } },
      user: { properties: { id: keyword, email: keyword, name: keyword } },
      event: {
        properties: {
          request: {
            properties: {
              method: keywordWithLegacy,
              uri: keywordWithLegacy,
              service: keywordWithLegacy,
              path: keyword,
              resource: keyword,
              content_type: keyword,
              api_version: keyword,
              headers: flattened,
              parameters: flattened,
              payload: sourceOnly,
              content: sourceOnly,
            },
          },
          response: {
            properties: {
              status_code: { type: 'integer' },
              status_class: keyword,
              content_type: keyword,
              format: keyword,
              content: sourceOnly,
              headers: flattened,
            },
          },
        },
      },
      // config, session (user, app, role with its services list, ...) and whatever DreamFactory adds later.
      platform: flattened,
    },
  };
}

/** The ILM policy of daily `<prefix>YYYY.MM.dd` indices (none: the proxy enforces retention itself). */
export function lifecycleSettings(prefix: string, policy: string | undefined): Record<string, unknown> {
  if (!policy) {
    return {};
  }
  // Age counts from the day in the name, not from creation, so late or back-filled documents expire on time. The
  // parser wants `…-yyyy.MM.dd`; with a prefix not ending in '-' it would fail index creation, so it is left off.
  return prefix.endsWith('-') ? { 'index.lifecycle.name': policy, 'index.lifecycle.parse_origination_date': true } : { 'index.lifecycle.name': policy };
}

export function buildIndexTemplate(prefix: string, options: IndexTemplateOptions = {}): IndexTemplateBody {
  const settings: Record<string, unknown> = {
    'index.number_of_shards': options.shards ?? 1,
    'index.number_of_replicas': options.replicas ?? 0,
    'index.refresh_interval': options.refreshInterval ?? '5s',
  };
  if (options.ignoreDynamicBeyondLimit ?? true) {
    settings['index.mapping.total_fields.ignore_dynamic_beyond_limit'] = true;
  }
  Object.assign(settings, lifecycleSettings(prefix, options.lifecyclePolicy));
  return {
    index_patterns: [`${prefix}*`],
    priority: TEMPLATE_PRIORITY,
    version: TEMPLATE_VERSION,
    _meta: { managed_by: MANAGED_BY, description: 'DreamFactory Insights daily log indices' },
    template: { settings, mappings: structuredClone(mappings(FLATTENED[options.flattenedType ?? 'flattened'])) },
  };
}
