/**
 * Index and template housekeeping for the suites, over the REST calls Elasticsearch and OpenSearch share, so a suite
 * runs unchanged on every engine (Elastic's client refuses to talk to OpenSearch). The proxy's own code never needs
 * these; it goes through clients/elasticsearch.ts.
 */
import type { Config } from '../../proxy/src/config';

type EsConfig = Config['elasticsearch'];

async function call(es: EsConfig, method: string, path: string, body?: unknown, allowed: number[] = []): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (es.username && es.password) {
    headers.authorization = `Basic ${Buffer.from(`${es.username}:${es.password}`).toString('base64')}`;
  }
  const response = await fetch(`${es.urls[0]}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok && !allowed.includes(response.status)) {
    throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  }
}

/** Deletes every index matching the patterns (comma-separated wildcards allowed); none matching is fine. */
export function dropIndices(es: EsConfig, patterns: string): Promise<void> {
  return call(es, 'DELETE', `/${patterns}?ignore_unavailable=true&allow_no_indices=true`);
}

/** Deletes a composable index template; an absent one is fine. */
export function dropIndexTemplate(es: EsConfig, name: string): Promise<void> {
  return call(es, 'DELETE', `/_index_template/${name}`, undefined, [404]);
}

export function createIndex(
  es: EsConfig,
  name: string,
  body: { settings?: Record<string, unknown>; mappings?: Record<string, unknown> }
): Promise<void> {
  return call(es, 'PUT', `/${name}`, body);
}
