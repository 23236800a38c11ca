/**
 * Pins the simulator to DreamFactory's wire contract (dreamfactory-contract §2–§4): shapes, status codes, messages.
 */
import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { startSimulator, type Simulator } from './server';

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({
    users: 12,
    admins: 2,
    seed: 7,
    apiKey: 'sim-key',
    jwtSecret: 'sim-secret',
    limits: false,
  });
});

afterAll(() => sim.close());

async function call(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; key?: string | null } = {}
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== null) {
    headers['x-dreamfactory-api-key'] = options.key ?? sim.apiKey;
  }
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${sim.url}/api/v2/${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, text, json: text ? JSON.parse(text) : undefined };
}

const envelope = (status: number, code: number, message: string, context: unknown = null) => ({
  error: { code, context, message, status_code: status },
});

describe('auth', () => {
  it('answers 400 when neither a session token nor an API key is sent', async () => {
    const res = await call('GET', 'system/user', { key: null });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(/^No session token \(JWT\) or API Key detected in request\. /);
    expect(Object.keys(res.json.error)).toEqual(['code', 'context', 'message', 'status_code']);
  });

  it("refuses a wrong API key with DreamFactory's 400 (html-escaped message)", async () => {
    const res = await call('GET', 'system/user', { key: 'wrong' });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(
      envelope(
        400,
        400,
        'No session token (JWT) provided. Please provide a valid JWT using X-DreamFactory-Session-Token request header or &#039;session_token&#039; url query parameter.'
      )
    );
  });

  it('accepts the api_key query parameter', async () => {
    const res = await call('GET', `system/role?api_key=${sim.apiKey}`, { key: null });
    expect(res.status).toBe(200);
  });

  it("mints session tokens with DreamFactory's claims and accepts them as Bearer or header", async () => {
    const token = await sim.mintToken(1);
    const claims = decodeJwt(token);
    const admin = sim.store.users[0];
    expect(claims).toMatchObject({ user_id: 1, sub: createHash('md5').update(admin.email).digest('hex') });
    expect(claims.iss).toBe(`${sim.url}/api/v2/system/admin/session`);
    expect(claims.jti).toHaveLength(16);
    expect(claims.exp! - claims.iat!).toBe(1440 * 60);
    expect(claims.nbf).toBe(claims.iat);
    expect(
      (await call('GET', 'system/user', { key: null, headers: { authorization: `Bearer ${token}` } })).status
    ).toBe(200);
    expect(
      (await call('GET', 'system/user', { key: null, headers: { 'x-dreamfactory-session-token': token } })).status
    ).toBe(200);
  });

  it('forbids a non-admin session on system resources and rejects a forged token', async () => {
    const userToken = await sim.mintToken(sim.store.nonAdmins()[0].id);
    const forbidden = await call('GET', 'system/user', {
      key: null,
      headers: { authorization: `Bearer ${userToken}` },
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.error.code).toBe(403);
    const forged = await call('GET', 'system/user', {
      key: null,
      headers: { authorization: `Bearer ${userToken.slice(0, -4)}AAAA` },
    });
    expect(forged.status).toBe(401);
  });
});

describe('system/user and system/admin', () => {
  it("lists only non-admins, with DreamFactory's fields and never secrets", async () => {
    const res = await call('GET', 'system/user');
    expect(res.json.resource).toHaveLength(12);
    expect(res.json.resource.every((u: { id: number }) => u.id > 2)).toBe(true);
    expect(Object.keys(res.json.resource[0])).toEqual([
      'id',
      'name',
      'username',
      'first_name',
      'last_name',
      'last_login_date',
      'email',
      'is_active',
      'phone',
      'security_question',
      'default_app_id',
      'created_date',
      'last_modified_date',
      'created_by_id',
      'last_modified_by_id',
      'confirmed',
      'expired',
    ]);
    expect(res.text).not.toMatch(/password|is_sys_admin|remember_token/);
    expect(res.json.resource.some((u: { name: string | null }) => u.name === null)).toBe(true);
    expect(res.json.resource[0].created_date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000000Z$/);
  });

  it('lists admins with their real emails at system/admin', async () => {
    const res = await call('GET', 'system/admin?fields=id,email');
    expect(res.json).toEqual({
      resource: [
        { id: 1, email: 'admin1@dreamfactory.example' },
        { id: 2, email: 'admin2@dreamfactory.example' },
      ],
    });
  });

  it('filters, selects fields, pages and counts', async () => {
    const target = sim.store.nonAdmins()[3];
    const fragment = target.email.split('@')[0].slice(2, 7).toUpperCase();
    const like = await call(
      'GET',
      `system/user?fields=id,email&filter=${encodeURIComponent(`(email like '%${fragment}%')`)}`
    );
    expect(like.json.resource).toContainEqual({ id: target.id, email: target.email });

    const inList = await call('GET', `system/user?fields=id&filter=${encodeURIComponent('id in (3,5)')}`);
    expect(inList.json).toEqual({ resource: [{ id: 3 }, { id: 5 }] });

    const both = await call(
      'GET',
      `system/user?fields=id&filter=${encodeURIComponent('(id >= 4) and (is_active=true) or (id = 3)')}`
    );
    expect(both.json.resource[0]).toEqual({ id: 3 });

    const page = await call('GET', 'system/user?fields=id&limit=5&offset=5&include_count=true&order=id%20desc');
    expect(page.json).toEqual({ resource: [9, 8, 7, 6, 5].map((id) => ({ id })), meta: { count: 12 } });

    const skip = await call('GET', 'system/user?fields=id&limit=2&skip=1');
    expect(skip.json).toEqual({ resource: [{ id: 4 }, { id: 5 }] });

    expect((await call('GET', 'system/user?count_only=true')).text).toBe('12');
    expect((await call('GET', 'system/user?ids=4,3&fields=id')).json).toEqual({ resource: [{ id: 4 }, { id: 3 }] });
  });

  it("refuses unknown filter fields with DreamFactory's message", async () => {
    const res = await call('GET', `system/user?filter=${encodeURIComponent("(password like '%a%')")}`);
    expect(res.status).toBe(400);
    expect(res.json).toEqual(envelope(400, 400, 'Invalid or unparsable field in filter request: &#039;password&#039;'));
  });

  it('answers a record by id as a bare object and an admin id on system/user as not found', async () => {
    expect((await call('GET', 'system/user/3?fields=id,email')).json).toEqual({
      id: 3,
      email: sim.store.users[2].email,
    });
    const missing = await call('GET', 'system/user/1');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual(envelope(404, 404, 'Record with identifier &#039;1&#039; not found.'));
    const batch = await call('GET', 'system/user?ids=3,999');
    expect(batch.status).toBe(400);
    expect(batch.json.error).toMatchObject({
      code: 1000,
      message: 'Batch Error: Not all requested records could be retrieved.',
    });
  });

  it('lists roles and services of several types', async () => {
    expect((await call('GET', 'system/role')).json.resource.length).toBeGreaterThan(1);
    const types = (await call('GET', 'system/service?fields=type')).json.resource.map((s: { type: string }) => s.type);
    expect(types).toEqual(expect.arrayContaining(['system', 'sqlite', 'local_file', 'local_email', 'user']));
  });
});

describe('system/limit', () => {
  const dbId = () => sim.store.services.find((s) => s.name === 'db')!.id as number;

  it('creates with 200 and ids only, or full records with fields=*', async () => {
    const created = await call('POST', 'system/limit', {
      body: { resource: [{ name: 'Per user', type: 'instance.user', user_id: 3, rate: '5', period: 'minute' }] },
    });
    expect(created.status).toBe(200);
    expect(created.json).toEqual({ resource: [{ id: expect.any(Number) }] });

    const full = await call('POST', 'system/limit?fields=*', {
      body: { name: 'DB per day', type: 'instance.service', service_id: dbId(), rate: 100, period: 2 },
    });
    expect(full.status).toBe(200);
    expect(full.json.resource[0]).toMatchObject({
      type: 'instance.service',
      key_text: `instance.service:${dbId()}.day`,
      rate: 100,
      period: 'day',
      user_id: null,
      is_active: true,
      verb: null,
    });
  });

  it('keeps the by-id period quirk: minute stays 0, other periods become names', async () => {
    const list = (await call('GET', 'system/limit')).json.resource as Array<{ id: number; period: string }>;
    const minute = list.find((l) => l.period === 'minute')!;
    const day = list.find((l) => l.period === 'day')!;
    expect((await call('GET', `system/limit/${minute.id}`)).json.period).toBe(0);
    expect((await call('GET', `system/limit/${day.id}`)).json.period).toBe('day');
  });

  it("refuses invalid limits with DreamFactory's messages and writes nothing", async () => {
    const before = sim.store.limits.length;
    const rate = await call('POST', 'system/limit', { body: { name: 'x', type: 'instance', rate: 0, period: 'hour' } });
    expect(rate.json).toEqual(envelope(400, 400, 'Limit rate must be an integer. Limit not saved.'));
    const user = await call('POST', 'system/limit', {
      body: { name: "O'Hara", type: 'instance.user', rate: 1, period: 'hour' },
    });
    expect(user.json.error.message).toBe('user_id must be specified with this limit type. Limit: O&#039;Hara');
    const badType = await call('POST', 'system/limit', {
      body: { name: 'x', type: 'instance.app', rate: 1, period: 'hour' },
    });
    expect(badType.json).toEqual(
      envelope(400, 1000, 'Batch Error: Not all requested records could be created.', {
        error: [0],
        resource: [
          {
            code: 400,
            context: { type: ['The selected type is invalid.'] },
            message: 'Invalid data supplied. The selected type is invalid.',
            status_code: 400,
          },
        ],
      })
    );
    const duplicate = await call('POST', 'system/limit', {
      body: { name: 'again', type: 'instance.user', user_id: 3, rate: 9, period: 'minute' },
    });
    expect(duplicate.status).toBe(400);
    expect(duplicate.json.error.message).toBe('A limit already exists with those parameters. No records added.');
    expect(duplicate.json.error.context).toMatchObject({ key_text: 'instance.user:3.minute' });
    expect(sim.store.limits).toHaveLength(before);
  });

  it('patches by id (merged, key recomputed) and answers an unknown id with 400 code 404', async () => {
    const { id } = (
      await call('POST', 'system/limit', {
        body: { name: 'Role', type: 'instance.role', role_id: 1, rate: 10, period: 'hour' },
      })
    ).json.resource[0];
    const patched = await call('PATCH', `system/limit/${id}`, { body: { role_id: 2, is_active: false } });
    expect(patched.json).toEqual({ id });
    expect((await call('GET', `system/limit/${id}`)).json).toMatchObject({
      key_text: 'instance.role:2.hour',
      is_active: false,
      rate: 10,
    });
    const put = await call('PUT', `system/limit?ids=${id}&fields=rate`, { body: { resource: [{ rate: 20 }] } });
    expect(put.json).toEqual({ resource: [{ rate: 20 }] });
    const missing = await call('PATCH', 'system/limit/9999', { body: { rate: 1 } });
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual(envelope(400, 404, 'Record with identifier &#039;9999&#039; not found.'));
  });

  it('deletes by id, by ids and by body list, and refuses a delete naming nothing', async () => {
    const make = async (role: number) =>
      (
        await call('POST', 'system/limit', {
          body: { name: `r${role}`, type: 'instance.role', role_id: role, rate: 1, period: '7-day' },
        })
      ).json.resource[0].id;
    const [a, b, c] = [await make(1), await make(3), await make(4)];
    expect((await call('DELETE', `system/limit/${a}`)).json).toEqual({ id: a });
    expect((await call('DELETE', `system/limit?ids=${b}`)).json).toEqual({ resource: [{ id: b }] });
    expect((await call('DELETE', 'system/limit', { body: { resource: [{ id: c }] } })).json).toEqual({
      resource: [{ id: c }],
    });
    const nothing = await call('DELETE', 'system/limit');
    expect(nothing.status).toBe(400);
    expect(nothing.json.error.message).toBe(
      'No record(s) detected in request. Please make sure record(s) are wrapped in a &#039;resource&#039; tag. Example: {&quot;resource&quot;:[{&quot;record&quot;:1},{&quot;record&quot;:2}]}'
    );
  });
});

describe('system/limit_cache and counting', () => {
  it('moves counters, locks out with 429, resets one limit and flushes all', async () => {
    const [user] = sim.store.nonAdmins().filter((u) => u.is_active);
    const { id } = (
      await call('POST', 'system/limit', {
        body: { name: 'Each', type: 'instance.each_user.service', service_id: 5, rate: 2, period: 'minute' },
      })
    ).json.resource[0];
    const calls = async (n: number) => {
      const response = await fetch(`${sim.url}/_sim/calls`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          calls: Array.from({ length: n }, () => ({ service: 'db', userId: user.id, auth: 'jwt' })),
        }),
      });
      return ((await response.json()) as { results: Array<{ status: number }> }).results.map((r) => r.status);
    };
    expect(await calls(3)).toEqual([200, 200, 429]);

    const listed = await call('GET', 'system/limit?related=limit_cache_by_limit_id');
    const entries = listed.json.resource.find((l: { id: number }) => l.id === id).limit_cache_by_limit_id;
    expect(entries).toHaveLength(sim.store.nonAdmins().filter((u) => u.is_active).length);
    expect(entries).toContainEqual({
      id,
      key: `instance.each_user:${user.id}.service:5.minute`,
      max: 2,
      attempts: 2,
      remaining: 0,
    });

    expect((await call('GET', `system/limit_cache/${id}`)).json).toEqual(entries[0]);
    expect((await call('DELETE', `system/limit_cache/${id}`)).json).toEqual({ id });
    expect(await calls(1)).toEqual([200]);
    expect((await call('DELETE', `system/limit_cache?ids=${id}`)).json).toEqual({ resource: [{ id }] });
    expect(await calls(2)).toEqual([200, 200]);
    expect((await call('DELETE', 'system/limit_cache?allow_delete=true')).json).toEqual({ success: true });
    const all = (await call('GET', 'system/limit_cache')).json.resource as Array<{ attempts: number }>;
    expect(all.every((e) => e.attempts === 0)).toBe(true);
  });

  it('exempts admins and API-key-only calls from each-user limits', async () => {
    const store = sim.store;
    store.flushCounters();
    const limit = store.limits.find((l) => l.type === 'instance.each_user.service')!;
    expect(store.recordCall({ service: 'db', userId: 1, auth: 'jwt' })).toEqual({ status: 200, exceeded: [] });
    for (let i = 0; i < 5; i++) {
      expect(store.recordCall({ service: 'db', userId: 3, auth: 'apiKey' }).status).toBe(200);
    }
    expect(store.cacheEntries(limit).every((e) => e.attempts === 0)).toBe(true);
  });

  it("counts real service calls and answers the one over the rate with DreamFactory's 429", async () => {
    sim.store.flushCounters();
    const user = sim.store.nonAdmins().find((u) => u.is_active)!;
    const { id } = (
      await call('POST', 'system/limit', {
        body: {
          name: 'Files per user',
          type: 'instance.user.service',
          user_id: user.id,
          service_id: 3,
          rate: 2,
          period: 'hour',
          verb: 'GET',
        },
      })
    ).json.resource[0];
    const token = await sim.mintToken(user.id);
    const get = () => call('GET', 'files/reports/q3.pdf', { key: null, headers: { authorization: `Bearer ${token}` } });
    const first = await get();
    expect(first).toMatchObject({ status: 200, json: { resource: [] } });
    expect(
      (await call('PUT', 'files/reports/q3.pdf', { key: null, headers: { authorization: `Bearer ${token}` } })).status
    ).toBe(200);
    await get();
    const response = await fetch(`${sim.url}/api/v2/files/reports/q3.pdf`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(429);
    const body = await response.json();
    expect(body).toEqual({
      error: {
        code: 429,
        context: [
          {
            id,
            name: 'Files per user',
            object: expect.objectContaining({
              id,
              period: 'hour',
              verb: 'GET',
              key_text: `instance.user:${user.id}.service:3.verb:GET.hour`,
            }),
          },
        ],
        message: 'API limit(s) exceeded. ',
        status_code: 429,
      },
    });
    expect(response.headers.get('x-ratelimit-limit')).toBe('2');
    expect(response.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(response.headers.get('retry-after')).toBe(String(3600 * 60));
    expect((await call('GET', 'nosuch/thing')).status).toBe(404);
    await call('DELETE', `system/limit/${id}`);
  });

  it('answers limit_cache errors as DreamFactory does', async () => {
    expect((await call('GET', 'system/limit_cache/9999')).json).toEqual(
      envelope(404, 404, 'Record with identifier &#039;9999&#039; not found.')
    );
    const batch = await call('GET', 'system/limit_cache?ids=9999');
    expect(batch.json.error).toMatchObject({
      code: 1000,
      message: 'Batch Error: Not all requested records could be retrieved.',
    });
    expect((await call('DELETE', 'system/limit_cache')).json).toEqual(
      envelope(400, 400, 'No record(s) detected in request.')
    );
  });

  it('records every request, including refused ones', async () => {
    const before = sim.requests.length;
    await call('POST', 'system/limit', { key: 'wrong', body: { name: 'x' } });
    expect(sim.requests.slice(before)).toEqual([
      { method: 'POST', path: '/api/v2/system/limit', query: {}, body: undefined, status: 400 },
    ]);
  });
});
