/**
 * Our datasource's routes (src/datasource/plugin.json) under Grafana's datasource-proxy rules: who reaches which proxy
 * URL, and with which write grant. Every route sets the grant itself, so a header the browser sends can never reach
 * the proxy as a grant it was not given.
 */
import pluginJson from '../../../src/datasource/plugin.json';
import { DatasourceInstance, OrgRole, PluginRoute, decideRoute, isOrgRole } from './routes';

const ROUTES = pluginJson.routes as PluginRoute[];
const PROXY = 'http://proxy:3100';
const TOKEN = 'the-proxy-token';
const DS: DatasourceInstance = { url: '', jsonData: { proxyUrl: PROXY }, secureJsonData: { proxyToken: TOKEN } };
const VERBS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Where a call ends up: the proxy URL and the grant it carries, or Grafana's 403. */
function outcome(role: OrgRole, method: string, path: string, headers: Record<string, string> = {}) {
  const decision = decideRoute(ROUTES, { method, proxyPath: path, role, headers }, DS);
  if (decision.kind === 'denied') {
    return 'denied';
  }
  expect(decision.headers['x-insights-token']).toBe(TOKEN);
  return `${decision.target?.toString()} grant=${decision.headers['x-insights-write-grant']}`;
}

test('every route names one verb, a role Grafana knows, the token and a write grant', () => {
  for (const route of ROUTES) {
    const names = (route.headers ?? []).map((header) => header.name.toLowerCase());
    expect([route.path, VERBS.includes(route.method ?? ''), isOrgRole(route.reqRole), names.sort()]).toEqual([
      route.path,
      true,
      true,
      ['x-insights-token', 'x-insights-write-grant'],
    ]);
  }
});

test.each<[OrgRole, string, string, string]>([
  ['Viewer', 'GET', 'api/limits', `${PROXY}/api/limits grant=viewer`],
  ['Viewer', 'POST', 'api/query', `${PROXY}/api/query grant=viewer`],
  ['Viewer', 'POST', 'api/limits', 'denied'],
  ['Viewer', 'DELETE', 'editor/api/limits/1', 'denied'],
  ['Editor', 'POST', 'api/query', `${PROXY}/api/query grant=viewer`],
  ['Editor', 'PATCH', 'editor/api/limits/1', `${PROXY}/api/limits/1 grant=editor`],
  ['Editor', 'PATCH', 'api/limits/1', 'denied'],
  ['Editor', 'POST', 'api/doctor', 'denied'],
  ['Admin', 'POST', 'api/doctor', `${PROXY}/api/doctor grant=admin`],
  ['Admin', 'DELETE', 'api/limit-counters?all=true', `${PROXY}/api/limit-counters?all=true grant=admin`],
])('%s %s %s → %s', (role, method, path, expected) => {
  expect(outcome(role, method, path)).toBe(expected);
});

test('a grant or token the browser sends is replaced by the route’s own', () => {
  const forged = { 'x-insights-write-grant': 'admin', 'x-insights-token': 'guessed' };
  expect(outcome('Viewer', 'GET', 'api/status', forged)).toBe(`${PROXY}/api/status grant=viewer`);
  expect(outcome('Editor', 'POST', 'editor/api/limits', forged)).toBe(`${PROXY}/api/limits grant=editor`);
});
