/**
 * The harness's datasource proxy, one Grafana rule per test (docs/grafana.md names each rule's Grafana source file).
 * If the shim were more lenient than Grafana (longest match, comma-separated methods, a 404 for unrouted paths, the
 * client's headers winning), browser tests would pass with routes a real Grafana rejects.
 */
import {
  DatasourceInstance,
  PluginRoute,
  ProxyRequest,
  UPSTREAM_AUTH_FAILED,
  dataproxyTimeoutMs,
  decideRoute,
  grafanaAnswer,
  proxyFailure,
  renderTemplate,
} from './routes';

const DS: DatasourceInstance = {
  url: '',
  jsonData: { proxyUrl: 'http://proxy:3100' },
  secureJsonData: { token: 's3cret' },
};

function request(method: string, proxyPath: string, extra: Partial<ProxyRequest> = {}): ProxyRequest {
  return { method, proxyPath, role: 'Admin', headers: {}, ...extra };
}

function targetOf(routes: PluginRoute[], req: ProxyRequest, ds = DS): string | undefined {
  const decision = decideRoute(routes, req, ds);
  if (decision.kind !== 'forward') {
    throw new Error(`expected a forward, got ${JSON.stringify(decision)}`);
  }
  return decision.target?.toString();
}

const route = (path: string, url: string, more: Partial<PluginRoute> = {}): PluginRoute => ({ path, url, ...more });

describe('route matching', () => {
  test('the first route in file order whose prefix matches wins, not the longest', () => {
    const routes = [route('api', 'http://first:1/a'), route('api/query', 'http://second:1/b')];
    expect(targetOf(routes, request('GET', 'api/query'))).toBe('http://first:1/a/query');
  });

  test('the prefix is a string prefix of the cleaned path: "api" also matches "apiary", and ../ is resolved', () => {
    const routes = [route('editor/api', 'http://editor:1/api'), route('api', 'http://plain:1/api')];
    expect(targetOf(routes, request('GET', 'apiary'))).toBe('http://plain:1/api/ary');
    expect(targetOf(routes, request('GET', 'api/../editor/api/x'))).toMatch(/^http:\/\/editor:1\//);
  });

  test('a method is one verb compared exactly; "" and "*" match any; a comma list matches nothing', () => {
    const routes = [
      route('a', 'http://post:1/', { method: 'POST' }),
      route('a', 'http://lower:1/', { method: 'get' }),
      route('a', 'http://list:1/', { method: 'GET,PUT' }),
      route('a', 'http://star:1/', { method: '*' }),
    ];
    expect(targetOf(routes, request('POST', 'a'))).toBe('http://post:1/');
    expect(targetOf(routes, request('GET', 'a'))).toBe('http://star:1/');
    expect(targetOf(routes, request('PUT', 'a'))).toBe('http://star:1/');
    expect(targetOf([route('a', 'http://any:1/')], request('DELETE', 'a'))).toBe('http://any:1/');
  });
});

describe('roles', () => {
  test('a denial is a 403 on the first matching route; later routes are not tried', () => {
    const routes = [
      route('api', 'http://admin:1/', { method: 'POST', reqRole: 'Admin' }),
      route('api', 'http://viewer:1/', { method: 'POST', reqRole: 'Viewer' }),
    ];
    expect(decideRoute(routes, request('POST', 'api/limits', { role: 'Editor' }), DS)).toEqual({
      kind: 'denied',
      status: 403,
      body: { message: 'plugin proxy route access denied' },
    });
  });

  test('org roles include the ones below them; None includes nothing', () => {
    const routes = [route('x', 'http://x:1/', { reqRole: 'Editor' })];
    expect(decideRoute(routes, request('GET', 'x', { role: 'Admin' }), DS).kind).toBe('forward');
    expect(decideRoute(routes, request('GET', 'x', { role: 'Editor' }), DS).kind).toBe('forward');
    expect(decideRoute(routes, request('GET', 'x', { role: 'Viewer' }), DS).kind).toBe('denied');
    expect(
      decideRoute([route('x', 'http://x:1/', { reqRole: 'Viewer' })], request('GET', 'x', { role: 'None' }), DS).kind
    ).toBe('denied');
  });

  test('a reqRole Grafana does not know (wrong case, a typo) restricts nothing', () => {
    const routes = [route('x', 'http://x:1/', { reqRole: 'admin' })];
    expect(decideRoute(routes, request('GET', 'x', { role: 'Viewer' }), DS).kind).toBe('forward');
  });
});

describe('forwarding', () => {
  test('the route path is cut from the raw path, the rest joined to the route URL, the query kept', () => {
    const routes = [route('editor/api', '{{ .JsonData.proxyUrl }}/api')];
    expect(targetOf(routes, request('DELETE', 'editor/api/limits/7?all=true'))).toBe(
      'http://proxy:3100/api/limits/7?all=true'
    );
  });

  test("route headers replace the browser's; cookies, Origin, Referer stay behind; X-DS-Authorization moves", () => {
    const routes = [
      route('api', 'http://p:1/api', {
        headers: [
          { name: 'X-Insights-Write-Grant', content: 'viewer' },
          { name: 'X-Insights-Token', content: '{{ .SecureJsonData.token }}' },
        ],
      }),
    ];
    const decision = decideRoute(
      routes,
      request('GET', 'api/status', {
        headers: {
          'x-insights-write-grant': 'admin',
          'x-insights-token': 'forged',
          'content-type': 'application/json',
          cookie: 'grafana_session=abc',
          origin: 'http://grafana',
          referer: 'http://grafana/a',
          'x-ds-authorization': 'Bearer t',
        },
        remoteAddress: '10.0.0.9',
      }),
      DS
    );
    expect(decision).toMatchObject({
      kind: 'forward',
      headers: {
        'x-insights-write-grant': 'viewer',
        'x-insights-token': 's3cret',
        'content-type': 'application/json',
        authorization: 'Bearer t',
        'x-forwarded-for': '10.0.0.9',
      },
    });
    expect(Object.keys(decision.kind === 'forward' ? decision.headers : {})).toEqual(
      expect.not.arrayContaining(['cookie', 'origin', 'referer', 'x-ds-authorization'])
    );
  });

  test('templates: a key missing from JsonData or SecureJsonData prints "<no value>"', () => {
    expect(renderTemplate('{{ .JsonData.absent }}|{{ .SecureJsonData.absent }}|{{.JsonData.proxyUrl}}', DS)).toBe(
      '<no value>|<no value>|http://proxy:3100'
    );
    expect(() => renderTemplate('{{ .JsonData.a | printf "%s" }}', DS)).toThrow(/not modelled/);
  });

  test('a route URL that renders without a scheme or host cannot be forwarded (Grafana answers 502)', () => {
    const routes = [route('api', '{{ .JsonData.proxyUrl }}/api')];
    expect(targetOf(routes, request('GET', 'api/ping'), { ...DS, jsonData: {} })).toBeUndefined();
    expect(targetOf(routes, request('GET', 'api/ping'), { ...DS, jsonData: { proxyUrl: '' } })).toBeUndefined();
    expect(proxyFailure('unreachable')).toEqual({ status: 502, headers: {}, body: '' });
  });

  test("an unmatched path goes to the datasource's own URL without route headers; ours has none, so 502", () => {
    const routes = [
      route('api', 'http://p:1/api', { method: 'GET', headers: [{ name: 'X-Insights-Token', content: 't' }] }),
    ];
    expect(targetOf(routes, request('POST', 'api/query'))).toBeUndefined();
    const elsewhere = decideRoute(routes, request('POST', 'api/query'), { ...DS, url: 'example.internal:8080/base' });
    expect(elsewhere).toMatchObject({ kind: 'forward' });
    expect(
      elsewhere.kind === 'forward' && [elsewhere.target?.toString(), elsewhere.headers['x-insights-token']]
    ).toEqual(['http://example.internal:8080/base/api/query', undefined]);
  });
});

describe('answers', () => {
  test("an upstream 401 becomes Grafana's 400 with a plain-text body; the upstream's body and cookies are gone", () => {
    const answer = grafanaAnswer({
      status: 401,
      headers: { 'content-type': 'application/json', 'set-cookie': 'x=1' },
      body: '{"error":"wrong token"}',
    });
    expect(answer).toEqual({
      status: 400,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': 'sandbox' },
      body: UPSTREAM_AUTH_FAILED,
    });
  });

  test('other answers pass through, minus Set-Cookie, with a sandbox CSP', () => {
    expect(
      grafanaAnswer({ status: 403, headers: { 'content-type': 'application/json', 'set-cookie': 'x=1' }, body: '{}' })
    ).toEqual({
      status: 403,
      headers: { 'content-type': 'application/json', 'content-security-policy': 'sandbox' },
      body: '{}',
    });
  });

  test("the wait for response headers is the datasource-proxy timeout: 30 s, or the datasource's jsonData.timeout; then 504", () => {
    expect(dataproxyTimeoutMs({})).toBe(30_000);
    expect(dataproxyTimeoutMs({ timeout: 60 })).toBe(60_000);
    expect(dataproxyTimeoutMs({ timeout: '5' })).toBe(5_000);
    expect(dataproxyTimeoutMs({ timeout: 0 })).toBe(30_000);
    expect(proxyFailure('timeout')).toEqual({ status: 504, headers: {}, body: '' });
  });
});
