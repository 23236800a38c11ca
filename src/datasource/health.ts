/** The datasource's "Save & test" verdict from the proxy's per-upstream health report. Pure. */
import type { TestDataSourceResponse } from '@grafana/data';
import { HEALTH_UPSTREAMS, type DatasourceHealthResponse, type HealthUpstream, type UpstreamHealth } from '@shared/datasource-api';
import { isProxyTokenRejected } from '../grafanaProxy';
import { labels } from '../selectors';

const UPSTREAM_LABELS: Record<HealthUpstream, string> = {
  proxy: 'Insights proxy',
  elasticsearch: 'Elasticsearch',
  dreamfactory: 'DreamFactory',
};

function describe(label: string, health: UpstreamHealth | undefined): string {
  if (!health) {
    return `${label}: not reported`;
  }
  // The proxy's message often names the version already.
  const version = health.version && !health.message?.includes(health.version) ? ` (${health.version})` : '';
  const detail = health.message ? `: ${health.message}` : '';
  return `${label}${version} ${health.ok ? 'OK' : 'FAILED'}${detail}`;
}

export function healthVerdict(report: DatasourceHealthResponse): TestDataSourceResponse {
  const entries = HEALTH_UPSTREAMS.map((upstream) => ({
    ok: report[upstream]?.ok === true,
    line: describe(UPSTREAM_LABELS[upstream], report[upstream]),
  }));
  const failed = entries.filter((entry) => !entry.ok);
  if (failed.length) {
    return {
      status: 'error',
      message: failed.map((entry) => entry.line).join('; '),
      details: { message: entries.map((entry) => entry.line).join('\n') },
    };
  }
  return { status: 'success', message: entries.map((entry) => entry.line).join('; ') };
}

/**
 * When no health report came back: the proxy refused the token (which Grafana reports as a 400), Grafana refused the
 * call, or the proxy could not be reached and Grafana's datasource proxy answered instead. Say which.
 */
export function unreachableVerdict(status: number | undefined, detail: string, body?: unknown): TestDataSourceResponse {
  if (isProxyTokenRejected(status, body)) {
    return {
      status: 'error',
      message: labels.proxyTokenRejected,
      details: { message: labels.proxyTokenRejectedDetail },
    };
  }
  if (status === 403) {
    return { status: 'error', message: `Grafana refused the call for your role (HTTP 403): ${detail}` };
  }
  const where = status ? `HTTP ${status}` : 'no response';
  return {
    status: 'error',
    message: `Insights proxy unreachable (${where}): ${detail}. Check the proxy URL and that the proxy runs.`,
  };
}
