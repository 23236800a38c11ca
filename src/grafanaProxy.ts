/**
 * What Grafana's datasource proxy makes of the Insights proxy's answers, where the plugin must recognise it. The proxy
 * answers a missing or wrong token with 401, but Grafana never passes a 401 on: it answers 400 with the plain text
 * below, and Grafana's frontend wraps that text as `{ message, error, response }`. The proxy answers 401 for its
 * token and nothing else, so this answer means the datasource's proxy token is wrong (docs/grafana.md).
 */
export const UPSTREAM_AUTH_FAILED = 'Authentication to data source failed';

/** Whether a failed call's status and body are Grafana's report of the proxy refusing the datasource's token. */
export function isProxyTokenRejected(status: number | undefined, data: unknown): boolean {
  const text = typeof data === 'object' && data !== null ? (data as { message?: unknown }).message : data;
  return status === 400 && text === UPSTREAM_AUTH_FAILED;
}
