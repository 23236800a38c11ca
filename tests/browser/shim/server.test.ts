/**
 * The shim over real HTTP, in front of a stand-in upstream: what the browser receives when the upstream refuses the
 * token (401), never sends its headers, or cannot be reached, and what the upstream receives.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningShim, startShim } from './server';
import { UPSTREAM_AUTH_FAILED } from './routes';

const DS_TYPE = 'test-insights-datasource';
const PROXY_PREFIX = '/api/datasources/proxy/uid/test-ds';

function startUpstream(): Promise<{ url: string; server: Server; held: ServerResponse[] }> {
  const held: ServerResponse[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/api/unauthorized')) {
      res.writeHead(401, { 'content-type': 'application/json', 'set-cookie': 'upstream=1' });
      res.end('{"error":"Missing or wrong proxy token"}');
    } else if (req.url?.startsWith('/api/never')) {
      // Holds the response until the test ends: headers never come.
      held.push(res);
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ path: req.url, headers: req.headers }));
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, held })
    )
  );
}

describe('the shim in front of an upstream', () => {
  let dir: string;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let shim: RunningShim;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dfi-shim-'));
    upstream = await startUpstream();
    const dist = join(dir, 'dist');
    mkdirSync(join(dist, 'datasource'), { recursive: true });
    writeFileSync(join(dist, 'plugin.json'), JSON.stringify({ id: 'dreamfactory-insights-app', type: 'app' }));
    const headers = [{ name: 'X-Insights-Token', content: '{{ .SecureJsonData.proxyToken }}' }];
    writeFileSync(
      join(dist, 'datasource', 'plugin.json'),
      JSON.stringify({
        id: DS_TYPE,
        routes: [
          { path: 'api', method: 'GET', url: '{{ .JsonData.proxyUrl }}/api', reqRole: 'Viewer', headers },
          { path: 'api', method: 'POST', url: '{{ .JsonData.proxyUrl }}/api', reqRole: 'Admin', headers },
        ],
      })
    );
    mkdirSync(join(dir, 'provisioning', 'datasources'), { recursive: true });
    writeFileSync(
      join(dir, 'provisioning', 'datasources', 'test.yaml'),
      [
        'apiVersion: 1',
        'datasources:',
        '  - name: Test',
        `    type: ${DS_TYPE}`,
        '    uid: test-ds',
        '    jsonData:',
        '      proxyUrl: $UPSTREAM',
        // One second, so the "never answers" case does not hold the suite for Grafana's default 30.
        '      timeout: 1',
        '    secureJsonData:',
        '      proxyToken: $TOKEN',
        '',
      ].join('\n')
    );
    shim = await startShim({
      distDir: dist,
      hostDir: dir,
      provisioningDir: join(dir, 'provisioning'),
      env: { UPSTREAM: upstream.url, TOKEN: 'server-side-token' },
    });
  });

  afterAll(async () => {
    await shim.close();
    upstream.held.forEach((res) => res.destroy());
    await new Promise((resolve) => upstream.server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (method: string, path: string, role = 'Viewer', headers: Record<string, string> = {}) =>
    fetch(`${shim.url}${PROXY_PREFIX}/${path}`, { method, headers: { cookie: `harness_role=${role}`, ...headers } });

  test('the upstream gets the route URL, the token from provisioning, and none of the browser cookies', async () => {
    const response = await call('GET', 'api/ping?x=1', 'Viewer', { 'x-insights-token': 'forged' });
    const seen = (await response.json()) as { path: string; headers: Record<string, string> };
    expect(seen.path).toBe('/api/ping?x=1');
    expect(seen.headers['x-insights-token']).toBe('server-side-token');
    expect(seen.headers.cookie).toBeUndefined();
  });

  test("an upstream 401 reaches the browser as Grafana's 400 with its plain-text message", async () => {
    const response = await call('GET', 'api/unauthorized');
    expect([response.status, response.headers.get('content-type'), response.headers.get('set-cookie')]).toEqual([
      400,
      'text/plain; charset=utf-8',
      null,
    ]);
    expect(await response.text()).toBe(UPSTREAM_AUTH_FAILED);
  });

  test('a route denial is a JSON 403 and nothing reaches the upstream', async () => {
    const response = await call('POST', 'api/unauthorized', 'Editor');
    expect([response.status, await response.json()]).toEqual([403, { message: 'plugin proxy route access denied' }]);
  });

  test('no route: the datasource has no URL of its own, so a 502 with no body', async () => {
    const response = await call('PUT', 'api/limits/1', 'Admin');
    expect([response.status, await response.text()]).toEqual([502, '']);
  });

  test('no response headers within the datasource-proxy timeout: a 504 with no body', async () => {
    const response = await call('GET', 'api/never');
    expect([response.status, await response.text()]).toEqual([504, '']);
  });
});
