/**
 * The limit relay end to end: proxy (Fastify inject) → DreamFactory simulator (real HTTP on 127.0.0.1).
 */
import type { FastifyInstance } from 'fastify';
import type { LimitInput, LimitType, LimitView, RelayError } from '@shared/limits-api';
import { PROXY_TOKEN_HEADER, WRITE_GRANTS, WRITE_GRANT_HEADER } from '@shared/headers';
import { startSimulator, type Simulator } from '../../dreamfactory-sim/server';
import { loadConfig, type ConfigInput } from '../../../proxy/src/config';
import { buildProxyServer, createProxyParts, type ProxyParts } from '../../../proxy/src/compose';
import { createLogger } from '../../../proxy/src/logger';

const TOKEN = 'limits-relay-test-token';

let sim: Simulator;
const proxies: Array<{ app: FastifyInstance; parts: ProxyParts }> = [];

async function startProxy(overrides: ConfigInput = {}): Promise<FastifyInstance> {
  const config = loadConfig({}, { apiToken: TOKEN, dreamfactory: { url: sim.url, apiKey: sim.apiKey }, ...overrides });
  const parts = createProxyParts(config, createLogger('silent'));
  const app = await buildProxyServer(parts);
  proxies.push({ app, parts });
  return app;
}

let proxy: FastifyInstance;

beforeAll(async () => {
  sim = await startSimulator({ users: 15, admins: 2, seed: 3, limits: false });
  proxy = await startProxy();
});

afterAll(async () => {
  for (const { app, parts } of proxies) {
    await app.close();
    await parts.es.close();
  }
  await sim.close();
});

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

async function relay<T = unknown>(
  method: Method,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
  app = proxy
) {
  const response = await app.inject({
    method,
    url: `/api${url}`,
    payload: body as object,
    headers: { [PROXY_TOKEN_HEADER]: TOKEN, ...headers },
  });
  return { status: response.statusCode, body: response.json() as T };
}

/** Writes (anything but GET) the simulator received since `mark` on DreamFactory's limit endpoints. */
const limitWritesSince = (mark: number) =>
  sim.requests.slice(mark).filter((r) => r.method !== 'GET' && r.path.startsWith('/api/v2/system/limit'));

/** A non-admin user with a role, and the ids every type can use. */
function fixtures() {
  const user = sim.store.nonAdmins().find((u) => u.is_active && sim.store.userRoles.has(u.id))!;
  const db = sim.store.services.find((s) => s.name === 'db')!;
  return {
    user,
    roleId: sim.store.userRoles.get(user.id)!,
    serviceId: db.id as number,
    serviceName: db.name as string,
  };
}

/**
 * DreamFactory counts the proxy's own API-key calls against instance-wide limits (only admin sessions are exempt), so
 * an instance limit needs room for the relay's reads.
 */
const rateFor = (type: LimitType) => (type === 'instance' ? 30 : 3);

/** One valid input per type, with the names the relay should resolve. */
function validInput(type: LimitType, period: LimitInput['period']): LimitInput {
  const { user, roleId, serviceId } = fixtures();
  const needs = {
    user_id: type.startsWith('instance.user') ? user.id : null,
    role_id: type === 'instance.role' ? roleId : null,
    service_id: type.includes('service') ? serviceId : null,
    endpoint: type.includes('endpoint') ? '/_table/contact/' : null,
  };
  return {
    name: `Limit for ${type}`,
    description: 'relay test',
    type,
    rate: rateFor(type),
    period,
    verb: null,
    is_active: true,
    ...needs,
  };
}

const TYPES: Array<[LimitType, LimitInput['period']]> = [
  ['instance', 'minute'],
  ['instance.user', 'hour'],
  ['instance.each_user', 'day'],
  ['instance.service', '7-day'],
  ['instance.role', '30-day'],
  ['instance.user.service', 'minute'],
  ['instance.each_user.service', 'hour'],
  ['instance.service.endpoint', 'day'],
  ['instance.user.service.endpoint', 'minute'],
  ['instance.each_user.service.endpoint', 'minute'],
];

describe.each(TYPES)('limit type %s', (type, period) => {
  it('creates, reads back, edits, counts, resets, deactivates and deletes through the proxy', async () => {
    const { user, roleId, serviceName } = fixtures();
    const input = validInput(type, period);

    const created = await relay<LimitView>('POST', '/limits', input);
    expect(created.status).toBe(201);
    const limit = created.body;
    expect(limit).toMatchObject({ name: input.name, type, rate: input.rate, period, isActive: true, verb: null });
    expect(limit.typeLabel).not.toBe(type);
    if (input.user_id) {
      expect(limit.userName).toBe(user.name ?? user.email);
    }
    if (input.role_id) {
      expect(limit.roleId).toBe(roleId);
      expect(limit.roleName).toBeTruthy();
    }
    if (input.service_id) {
      expect(limit.serviceName).toBe(serviceName);
    }
    if (input.endpoint) {
      expect(limit.endpoint).toBe('_table/contact');
    }

    const read = await relay<LimitView>('GET', `/limits/${limit.id}`);
    expect(read.status).toBe(200);
    // An instance-wide limit's counter has meanwhile counted the relay's own calls.
    expect(read.body).toEqual(type === 'instance' ? { ...limit, counters: expect.any(Array) } : limit);

    const rate = input.rate - 1;
    const edited = await relay<LimitView>('PATCH', `/limits/${limit.id}`, { rate, name: `${input.name} (edited)` });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      id: limit.id,
      rate,
      name: `${input.name} (edited)`,
      period,
      keyText: limit.keyText,
    });

    // Calls until the counter is full, then one more: refused.
    const call = {
      userId: user.id,
      service: serviceName,
      verb: 'GET',
      endpoint: '_table/contact',
      auth: 'jwt' as const,
    };
    const userKey = (key: string) => !key.includes('each_user') || key.includes(`each_user:${user.id}.`);
    const left = sim.store.cacheEntries(sim.store.limit(limit.id)).find((e) => userKey(e.key))!.remaining;
    if (type === 'instance') {
      expect(left).toBeLessThan(rate); // the relay's own calls
    } else {
      expect(left).toBe(rate);
    }
    expect(Array.from({ length: left + 1 }, () => sim.store.recordCall(call).status)).toEqual([
      ...Array<number>(left).fill(200),
      429,
    ]);
    if (type === 'instance') {
      // The relay's own calls count too: while an instance-wide limit is locked out, DreamFactory refuses the relay.
      const locked = await relay<RelayError>('GET', `/limit-counters?limitId=${limit.id}`);
      expect(locked.body).toMatchObject({ source: 'dreamfactory', dfCode: 429 });
      sim.store.clearCounters(sim.store.limit(limit.id));
    } else {
      const counters = await relay<{
        counters: Array<{ limitId: number; attempts: number; max: number; remaining: number }>;
      }>('GET', `/limit-counters?limitId=${limit.id}`);
      expect(counters.body.counters.length).toBeGreaterThan(0);
      expect(counters.body.counters).toContainEqual(
        expect.objectContaining({ limitId: limit.id, attempts: rate, max: rate, remaining: 0 })
      );
    }

    const reset = await relay('DELETE', `/limit-counters/${limit.id}`);
    expect(reset).toEqual({ status: 200, body: { limitId: limit.id } });
    const afterReset = await relay<{ counters: Array<{ attempts: number }> }>(
      'GET',
      `/limit-counters?limitId=${limit.id}`
    );
    // (An instance-wide limit has counted this very read: its two requests to DreamFactory.)
    const ownReads = type === 'instance' ? 2 : 0;
    expect(afterReset.body.counters.every((c) => c.attempts <= ownReads)).toBe(true);

    const deactivated = await relay<LimitView>('PATCH', `/limits/${limit.id}`, { is_active: false });
    expect(deactivated.body.isActive).toBe(false);
    const counted = () => sim.store.cacheEntries(sim.store.limit(limit.id)).map((e) => e.attempts);
    const before = counted();
    expect(sim.store.recordCall(call).status).toBe(200);
    expect(counted()).toEqual(before);

    expect(await relay('DELETE', `/limits/${limit.id}`)).toEqual({ status: 200, body: { id: limit.id } });
    const gone = await relay<RelayError>('GET', `/limits/${limit.id}`);
    expect(gone).toEqual({
      status: 404,
      body: {
        error: `Record with identifier '${limit.id}' not found.`,
        source: 'dreamfactory',
        dfCode: 404,
        dfContext: null,
      },
    });
  });

  it("refuses an invalid limit with DreamFactory's message before DreamFactory sees a write", async () => {
    const input = validInput(type, period);
    const needed = (['user_id', 'role_id', 'service_id'] as const).find((f) => input[f] !== null);
    const invalid = needed ? { ...input, [needed]: null } : { ...input, rate: 0 };
    const expected = needed
      ? {
          user_id: `user_id must be specified with this limit type. Limit: ${input.name}`,
          role_id: `role_id must be specified with this limit type. Limit: ${input.name}`,
          service_id: 'service_id must be specified with this limit type.',
        }[needed]
      : 'Limit rate must be an integer. Limit not saved.';
    const mark = sim.requests.length;
    const refused = await relay<RelayError>('POST', '/limits', invalid);
    expect(refused).toEqual({ status: 400, body: { error: expected, field: needed ?? 'rate', source: 'validation' } });
    expect(sim.requests.length).toBe(mark);
  });
});

describe('validation against DreamFactory', () => {
  it('checks ids exist (reading only) and names the field', async () => {
    const mark = sim.requests.length;
    const refused = await relay<RelayError>('POST', '/limits', {
      ...validInput('instance.user', 'day'),
      user_id: 9999,
      name: "O'Hara",
    });
    expect(refused).toEqual({
      status: 400,
      body: { error: "user_id does not exist for O'Hara limit.", field: 'user_id', source: 'validation' },
    });
    expect(sim.requests.length).toBeGreaterThan(mark);
    expect(limitWritesSince(mark)).toEqual([]);
  });

  it('validates an edit merged into the stored record', async () => {
    const created = (await relay<LimitView>('POST', '/limits', validInput('instance.service', 'hour'))).body;
    const mark = sim.requests.length;
    const refused = await relay<RelayError>('PATCH', `/limits/${created.id}`, {
      type: 'instance.user.service.endpoint',
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ field: 'user_id', source: 'validation' });
    const badPeriod = await relay<RelayError>('PATCH', `/limits/${created.id}`, { period: 'fortnight' });
    expect(badPeriod.body).toEqual({
      error: 'Invalid data supplied. The selected period is invalid.',
      field: 'period',
      source: 'validation',
    });
    expect(limitWritesSince(mark)).toEqual([]);
    await relay('DELETE', `/limits/${created.id}`);
  });

  it("relays DreamFactory's own refusals with its status and message", async () => {
    const input = validInput('instance.role', 'minute');
    const first = await relay<LimitView>('POST', '/limits', input);
    const duplicate = await relay<RelayError>('POST', '/limits', { ...input, name: 'twin' });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body).toMatchObject({
      error: 'A limit already exists with those parameters. No records added.',
      source: 'dreamfactory',
      dfCode: 400,
    });
    await relay('DELETE', `/limits/${first.body.id}`);
  });

  it('answers malformed bodies and ids with clear 400s', async () => {
    const mark = sim.requests.length;
    const typo = await relay<RelayError>('POST', '/limits', { ...validInput('instance', 'day'), rat: 5 });
    expect(typo.status).toBe(400);
    expect(typo.body.error).toMatch(/^Invalid limit: .*rat/);
    const wrongType = await relay<RelayError>('POST', '/limits', {
      ...validInput('instance', 'day'),
      is_active: 'yes',
    });
    expect(wrongType.body).toMatchObject({ field: 'is_active', source: 'validation' });
    const notJson = await proxy.inject({
      method: 'POST',
      url: '/api/limits',
      payload: '{"name":',
      headers: { [PROXY_TOKEN_HEADER]: TOKEN, 'content-type': 'application/json' },
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json()).toMatchObject({
      error: expect.stringMatching(/^Invalid JSON body: /),
      source: 'validation',
    });
    expect((await relay<RelayError>('GET', '/limits/abc')).status).toBe(400);
    expect((await relay<RelayError>('POST', '/limits/bulk', { action: 'explode', ids: [1] })).status).toBe(400);
    expect(sim.requests.length).toBe(mark);
  });
});

describe('lists, bulk, counters and directory', () => {
  it('lists limits with names and counters, and applies bulk actions per id', async () => {
    const a = (await relay<LimitView>('POST', '/limits', validInput('instance', 'hour'))).body;
    const b = (await relay<LimitView>('POST', '/limits', validInput('instance.each_user', 'hour'))).body;
    const list = await relay<{ limits: LimitView[] }>('GET', '/limits');
    expect(list.body.limits.map((l) => l.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    const eachUser = list.body.limits.find((l) => l.id === b.id)!;
    expect(eachUser.counters).toHaveLength(sim.store.nonAdmins().filter((u) => u.is_active).length);

    const deactivated = await relay('POST', '/limits/bulk', { action: 'deactivate', ids: [a.id, 9999, b.id] });
    expect(deactivated.body).toEqual({
      done: [a.id, b.id],
      failed: [{ id: 9999, error: "Record with identifier '9999' not found." }],
    });
    expect(sim.store.limit(a.id).is_active).toBe(false);

    const removed = await relay('POST', '/limits/bulk', { action: 'delete', ids: [a.id, b.id] });
    expect(removed.body).toEqual({ done: [a.id, b.id], failed: [] });
  });

  it('flushes every counter only when asked with all=true', async () => {
    const limit = (await relay<LimitView>('POST', '/limits', validInput('instance.user', 'day'))).body;
    sim.store.recordCall({ service: 'db', userId: fixtures().user.id, auth: 'jwt' });
    expect((await relay<RelayError>('DELETE', '/limit-counters')).status).toBe(400);
    expect(sim.store.cacheEntries(sim.store.limit(limit.id))[0].attempts).toBe(1);
    expect(await relay('DELETE', '/limit-counters?all=true')).toEqual({ status: 200, body: { flushed: true } });
    expect(sim.store.cacheEntries(sim.store.limit(limit.id))[0].attempts).toBe(0);
    await relay('DELETE', `/limits/${limit.id}`);
  });

  it('lists every user (admins too, nameless ones by email), role and service', async () => {
    const users = await relay<{ entries: Array<{ id: number; label: string; detail?: string }> }>(
      'GET',
      '/directory/users'
    );
    expect(users.body.entries).toHaveLength(sim.store.users.length);
    const nameless = sim.store.users.find((u) => u.name === null)!;
    expect(users.body.entries).toContainEqual({ id: nameless.id, label: nameless.email, detail: nameless.email });
    expect(users.body.entries[0].detail).toMatch(/\(admin\)$/);
    const services = await relay<{ entries: Array<{ label: string; detail?: string }> }>('GET', '/directory/services');
    expect(services.body.entries).toContainEqual({ id: expect.any(Number), label: 'db', detail: 'sqlite' });
    expect((await relay('GET', '/directory/roles')).body).toMatchObject({ entries: expect.any(Array) });
    expect((await relay('GET', '/directory/apps')).status).toBe(400);
  });
});

describe('permissions and failures', () => {
  it('refuses writes granted to Editors unless the proxy allows Editors', async () => {
    const mark = sim.requests.length;
    const refused = await relay<RelayError>('POST', '/limits', validInput('instance', '7-day'), {
      [WRITE_GRANT_HEADER]: WRITE_GRANTS.editor,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.source).toBe('permission');
    expect(sim.requests.length).toBe(mark);
    // Reading stays open to the Viewer route.
    expect((await relay('GET', '/limits', undefined, { [WRITE_GRANT_HEADER]: WRITE_GRANTS.editor })).status).toBe(200);

    const editorProxy = await startProxy({ limitWriteRole: 'Editor' });
    const allowed = await relay<LimitView>(
      'POST',
      '/limits',
      validInput('instance', '7-day'),
      { [WRITE_GRANT_HEADER]: WRITE_GRANTS.editor },
      editorProxy
    );
    expect(allowed.status).toBe(201);
    const viaAdmin = await relay('DELETE', `/limits/${allowed.body.id}`, undefined, {
      [WRITE_GRANT_HEADER]: WRITE_GRANTS.admin,
    });
    expect(viaAdmin.status).toBe(200);
  });

  it('answers 502 with a clear message when DreamFactory cannot be reached', async () => {
    const down = await startProxy({ dreamfactory: { url: 'http://127.0.0.1:1', apiKey: 'k', timeoutMs: 2000 } });
    const res = await relay<RelayError>('GET', '/limits', undefined, {}, down);
    expect(res.status).toBe(502);
    expect(res.body.source).toBe('unreachable');
    expect(res.body.error).toMatch(
      /^DreamFactory could not be reached, nothing was changed\. DreamFactory is unreachable at http:\/\/127\.0\.0\.1:1/
    );
    const write = await relay<RelayError>('POST', '/limits', validInput('instance', 'day'), {}, down);
    expect(write.status).toBe(502);
  });

  it('accepts a body-less DELETE that still says content-type: application/json (as browsers may send it)', async () => {
    const limit = (await relay<LimitView>('POST', '/limits', validInput('instance', 'hour'))).body;
    const response = await proxy.inject({
      method: 'DELETE',
      url: `/api/limits/${limit.id}`,
      headers: { [PROXY_TOKEN_HEADER]: TOKEN, 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: limit.id });
  });

  it('requires the proxy token', async () => {
    const response = await proxy.inject({ method: 'GET', url: '/api/limits' });
    expect(response.statusCode).toBe(401);
  });
});
