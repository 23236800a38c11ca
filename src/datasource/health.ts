/** The datasource's "Save & test" verdict from the proxy's per-upstream health report. Pure. */
import type { TestDataSourceResponse } from '@grafana/data';
import { HEALTH_UPSTREAMS, type DatasourceHealthResponse, type HealthUpstream, type UpstreamHealth } from '@shared/datasource-api';

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

/** When the proxy itself cannot be reached, Grafana's datasource proxy answers instead; say which hop failed. */
export function unreachableVerdict(status: number | undefined, detail: string): TestDataSourceResponse {
  if (status === 401 || status === 403) {
    return {
      status: 'error',
      message: `The Insights proxy refused the token (${status}): check that "Proxy token" equals the proxy's PROXY_TOKEN`,
    };
  }
  const where = status ? `HTTP ${status}` : 'no response';
  return {
    status: 'error',
    message: `Insights proxy unreachable (${where}): ${detail}. Check the proxy URL and that the proxy runs.`,
  };
}
