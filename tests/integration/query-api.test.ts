/**
 * The datasource's endpoints end to end: token, validation, template variables, Save & test health, users and limit
 * tables from the DreamFactory simulator, and clear errors when an upstream is down.
 */
import { DREAMFACTORY_API_KEY_HEADER, PROXY_TOKEN_HEADER } from '@shared/headers';
import { ANONYMOUS_USER_LABEL, ANONYMOUS_USER_VALUE } from '@shared/query';
import { ACTIVITY_DATASET, activityEvents, KEYS } from './query-data';
import { QueryProxy, QueryStack, rowsOf, startQueryProxy, startQueryStack, TOKEN } from './query-harness';

const { RANGE } = ACTIVITY_DATASET;
const auth = { [PROXY_TOKEN_HEADER]: TOKEN };

describe('query API on real Elasticsearch and the DreamFactory simulator', () => {
  const events = activityEvents();
  let stack: QueryStack;
  let proxy: QueryProxy;

  beforeAll(async () => {
    stack = await startQueryStack('query-api', events, { admins: 2, users: 1200, seed: 9 });
    proxy = stack.proxy;
  });

  afterAll(async () => {
    await stack?.close();
  });

  it.each(['POST /api/query', 'GET /api/variables/users', 'GET /api/datasource-health'])('%s needs the proxy token', async (route) => {
    const [method, url] = route.split(' ') as ['GET' | 'POST', string];
    const response = await proxy.app.inject({ method, url, payload: method === 'POST' ? {} : undefined });
    expect(response.statusCode).toBe(401);
  });

  it('refuses a malformed request as a whole, and a bad query on its own', async () => {
    const malformed = await proxy.app.inject({ method: 'POST', url: '/api/query', headers: auth, payload: { queries: [] } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error).toMatch(/^Invalid query request: .*range/);

    const response = await proxy.query({
      range: RANGE,
      queries: [
        { refId: 'bad', queryType: 'activity', groupBy: [], showOther: true, shareOfTotal: false, filters: { statusClasses: ['6xx' as '5xx'] } },
        { refId: 'ok', queryType: 'activity', groupBy: [], showOther: true, shareOfTotal: false },
        { refId: 'hidden', queryType: 'activity', groupBy: [], showOther: true, shareOfTotal: false, hide: true },
      ],
    });
    expect(response.results.bad).toEqual({ frames: [], error: expect.stringMatching(/^Invalid query: .*statusClasses/) });
    expect(rowsOf(response.results.ok.frames[0])).toEqual([{ Calls: events.length }]);
    expect(response.results.hidden).toEqual({ frames: [] });
  });

  it('lists template variable values in the range, users labelled from the directory', async () => {
    const get = (kind: string, query = '') => proxy.app.inject({ method: 'GET', url: `/api/variables/${kind}${query}`, headers: auth });
    const services = await get('services');
    expect(services.json().values).toEqual([...new Set(events.map(KEYS.service))].sort().map((s) => ({ text: s, value: s })));

    const users = (await get('users', `?from=${Date.parse(RANGE.from)}&to=${Date.parse(RANGE.to)}`)).json().values as Array<{ text: string; value: string }>;
    expect(users).toHaveLength(new Set(events.map(KEYS.user)).size);
    expect(users).toContainEqual({ text: ANONYMOUS_USER_LABEL, value: ANONYMOUS_USER_VALUE });
    expect(users).toContainEqual({ text: stack.sim.store.users.find((u) => u.id === 3)!.email, value: '3' });
    expect(users).toContainEqual({ text: `unknown user ${ACTIVITY_DATASET.DELETED_USER}`, value: ACTIVITY_DATASET.DELETED_USER });

    expect((await get('endpoints', '?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z')).json()).toEqual({ values: [] });
    expect((await get('roles')).statusCode).toBe(404);
    expect((await get('methods', '?from=tomorrow')).statusCode).toBe(400);
  });

  it('answers the users table with every user and admin of DreamFactory (> 1000, paged)', async () => {
    const frame = (await proxy.query({ range: RANGE, queries: [{ refId: 'U', queryType: 'users' }] })).results.U.frames[0];
    const rows = rowsOf(frame);
    expect(rows).toHaveLength(1202);
    for (const user of stack.sim.store.users) {
      expect(rows[user.id - 1]).toMatchObject({ ID: user.id, Email: user.email, Admin: stack.sim.store.isAdmin(user.id), Active: user.is_active });
    }
  });

  it('answers the limits and counters tables from DreamFactory', async () => {
    const response = await proxy.query({
      range: RANGE,
      queries: [
        { refId: 'L', queryType: 'limits' },
        { refId: 'C', queryType: 'limitCounters' },
      ],
    });
    const limits = rowsOf(response.results.L.frames[0]);
    expect(limits.map((l) => l.Name)).toEqual(stack.sim.store.limits.map((l) => l.name));
    expect(limits[0]).toMatchObject({ Rate: 10000, Period: 'hour', Active: true, Attempts: expect.any(Number), Max: 10000 });
    const cache = (await fetch(`${stack.sim.url}/api/v2/system/limit_cache`, { headers: { [DREAMFACTORY_API_KEY_HEADER]: stack.sim.apiKey } }).then((r) => r.json())) as {
      resource: unknown[];
    };
    expect(rowsOf(response.results.C.frames[0])).toHaveLength(cache.resource.length);
  });

  it('reports each upstream separately for Save & test', async () => {
    const health = await proxy.app.inject({ method: 'GET', url: '/api/datasource-health', headers: auth });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({
      proxy: { ok: true, version: proxy.parts.proxy.version },
      elasticsearch: { ok: true, version: expect.stringMatching(/^8\./), message: expect.stringContaining(`${events.length.toLocaleString('en-US')} events in ${stack.prefix}*`) },
      dreamfactory: { ok: true, message: 'DreamFactory answered: 1200 non-admin users.' },
    });
  });

  it('says which upstream is down, and still answers what it can', async () => {
    const down = await startQueryProxy(stack.prefix, { url: 'http://127.0.0.1:1', apiKey: 'nope-nope-nope' }, ['http://127.0.0.1:1']);
    try {
      const answer = await down.app.inject({ method: 'GET', url: '/api/datasource-health', headers: auth });
      expect(answer.statusCode).toBe(503);
      const health = answer.json();
      expect(health.proxy.ok).toBe(true);
      expect(health.elasticsearch).toEqual({ ok: false, message: expect.stringMatching(/^Elasticsearch unreachable at http:\/\/127\.0\.0\.1:1: /) });
      expect(health.dreamfactory).toEqual({ ok: false, message: expect.stringMatching(/^DreamFactory is unreachable at http:\/\/127\.0\.0\.1:1: /) });

      const response = await down.query({
        range: RANGE,
        queries: [
          { refId: 'A', queryType: 'activity', groupBy: [], showOther: true, shareOfTotal: false },
          { refId: 'U', queryType: 'users' },
        ],
      });
      expect(response.results.A.error).toMatch(/^Elasticsearch unreachable at http:\/\/127\.0\.0\.1:1: /);
      expect(response.results.U.error).toMatch(/DreamFactory is unreachable at http:\/\/127\.0\.0\.1:1/);
      expect(JSON.stringify(response)).not.toContain('nope-nope-nope');
    } finally {
      await down.close();
    }
  });
});
