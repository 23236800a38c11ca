/**
 * Deterministic DreamFactory-like events for the query tests and the query benchmark, plus the helpers that load them
 * into real Elasticsearch with the product's own index template, and an independent counter over the raw events.
 */
import { ANONYMOUS_USER_VALUE } from '@shared/query';
import type { ElasticsearchClient } from '../../proxy/src/clients/elasticsearch';
import { buildIndexTemplate, templateOptionsFor } from '../../proxy/src/setup/index-template';
import { prng } from '../dreamfactory-sim/prng';

export interface GeneratedEvent {
  '@timestamp': string;
  user?: { id: string; email?: string };
  event: {
    request: { method: string; path: string; uri: string; service: string; resource: string };
    response: { status_code: number; status_class: string };
  };
  level: number;
  level_name: string;
  message: string;
  source_hostname: string;
  host: { name: string };
  log_source: string;
}

export interface GenerateOptions {
  count: number;
  seed: number;
  startMs: number;
  spanMs: number;
  /** Users that make calls, most active first (weights fall off like real traffic). */
  userIds: string[];
  /** Share of events with no user (API-key-only calls). */
  anonymousShare?: number;
  /** Distinct timestamps to use; few values force ties that paging must break. */
  distinctTimestamps?: number;
}


const SERVICES: Record<string, string[]> = {
  db: ['_table/contacts', '_table/orders', '_table/products', '_schema', '_proc/report'],
  files: ['images/logo.png', 'docs/readme.txt', ''],
  email: ['', 'templates'],
  system: ['user', 'role', 'service', 'limit', 'environment'],
  user: ['session', 'profile', 'password'],
  mysql: ['_table/customers', '_table/invoices', '_table/items'],
};
const METHODS = ['GET', 'GET', 'GET', 'GET', 'POST', 'POST', 'PUT', 'PATCH', 'DELETE'];
const STATUSES = [200, 200, 200, 200, 200, 200, 201, 204, 400, 401, 404, 404, 429, 500];
const LEVEL_NAMES = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'];

export function generateEvents(options: GenerateOptions): GeneratedEvent[] {
  const random = prng(options.seed);
  const serviceNames = Object.keys(SERVICES);
  const pickFrom = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  // Skewed user choice: the first users make most calls, the tail a few each.
  const pickUser = () => options.userIds[Math.min(options.userIds.length - 1, Math.floor(options.userIds.length * random() ** 2.5))];
  const events: GeneratedEvent[] = [];
  for (let i = 0; i < options.count; i++) {
    const slot = options.distinctTimestamps ? Math.floor(random() * options.distinctTimestamps) / options.distinctTimestamps : random();
    const timestamp = new Date(options.startMs + Math.floor(slot * options.spanMs)).toISOString();
    const service = pickFrom(serviceNames);
    const resource = pickFrom(SERVICES[service]);
    const method = pickFrom(METHODS);
    const status = pickFrom(STATUSES);
    const level = status >= 500 ? 3 : status >= 400 ? 4 : 6;
    const path = `/api/v2/${service}${resource ? `/${resource}` : ''}`;
    const anonymous = random() < (options.anonymousShare ?? 0.1);
    const userId = anonymous ? undefined : pickUser();
    events.push({
      '@timestamp': timestamp,
      ...(userId ? { user: { id: userId } } : {}),
      event: {
        request: { method, path, uri: `${path}?limit=${1 + (i % 5)}`, service, resource },
        response: { status_code: status, status_class: `${Math.floor(status / 100)}xx` },
      },
      level,
      level_name: LEVEL_NAMES[level],
      message: `${method} ${path} -> ${status}`,
      source_hostname: `df-${1 + (i % 2)}`,
      host: { name: `df-${1 + (i % 2)}` },
      log_source: 'gelf',
    });
  }
  return events;
}

/**
 * The activity suites' data set: two days, users that DreamFactory knows (admins 1-2, users 3-1202 in the simulator
 * and in the goldens' directory), one it no longer knows and anonymous calls. The goldens are recorded from it.
 */
export const ACTIVITY_DATASET = (() => {
  const START = Date.parse('2026-11-20T00:00:00Z');
  const SPAN = 2 * 86400000;
  const DELETED_USER = '99999';
  return {
    START,
    SPAN,
    RANGE: { from: new Date(START).toISOString(), to: new Date(START + SPAN - 1).toISOString() },
    DELETED_USER,
    ACTIVE: ['3', '1', '1105', '4', '2', DELETED_USER, ...Array.from({ length: 36 }, (_, i) => String(5 + i)), '1100', '1150', '1202'],
  };
})();

export function activityEvents(): GeneratedEvent[] {
  const { START, SPAN, ACTIVE } = ACTIVITY_DATASET;
  return generateEvents({ count: 4000, seed: 42, startMs: START, spanMs: SPAN, userIds: ACTIVE });
}

/**
 * Installs the product's index template for `<prefix>*` as setup would for this engine, so tests query exactly the
 * mapping production has. Its name is `<prefix>template`.
 */
export async function installTemplate(es: ElasticsearchClient, prefix: string): Promise<void> {
  const options = templateOptionsFor(await es.info());
  await es.putIndexTemplate(`${prefix}template`, buildIndexTemplate(prefix, { refreshInterval: '-1', ...options }));
}

export const dailyIndex = (prefix: string, timestamp: string) => `${prefix}${timestamp.slice(0, 10).replace(/-/g, '.')}`;

/** Bulk-loads events into daily indices, `concurrency` requests in flight; throws on any item error. */
export async function indexEvents(es: ElasticsearchClient, prefix: string, events: GeneratedEvent[], batch = 5000, concurrency = 2): Promise<void> {
  const batches: GeneratedEvent[][] = [];
  for (let i = 0; i < events.length; i += batch) {
    batches.push(events.slice(i, i + batch));
  }
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const docs = batches[next++];
      const response = await es.bulk(docs.flatMap((doc) => [{ create: { _index: dailyIndex(prefix, doc['@timestamp']) } }, doc]));
      if (response.errors) {
        const first = response.items.find((item) => item.create?.error)?.create?.error;
        throw new Error(`bulk load failed: ${JSON.stringify(first)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await es.refresh(`${prefix}*`);
}

/** Key used for events without a user in independent counts: the user id the query model gives "no user". */
export const NO_USER = ANONYMOUS_USER_VALUE;

export type KeyFn = (event: GeneratedEvent) => string;

export const KEYS: Record<string, KeyFn> = {
  user: (e) => e.user?.id ?? NO_USER,
  method: (e) => e.event.request.method,
  endpoint: (e) => e.event.request.path,
  service: (e) => e.event.request.service,
  statusClass: (e) => e.event.response.status_class,
  statusCode: (e) => String(e.event.response.status_code),
};

/** Independent count over the raw events: composite key (joined by ' | ') → calls. */
export function countBy(events: GeneratedEvent[], keys: KeyFn[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const event of events) {
    const key = keys.map((k) => k(event)).join(' | ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
