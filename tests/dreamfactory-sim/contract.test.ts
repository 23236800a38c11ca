/**
 * Pins the simulator to DreamFactory's wire behaviour: shapes, status codes and its literal messages (restated here on
 * purpose, as DreamFactory sends them — `htmlentities(ENT_COMPAT)`: `"` and `&` escaped, `'` not).
 */
import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { startSimulator, type Simulator } from './server';
import { envelope, simClient } from './sim-client';

let sim: Simulator;
const call = simClient(() => sim);

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

const activeUser = () => sim.store.nonAdmins().find((u) => u.is_active)!;

describe('auth (df-core AccessCheck)', () => {
  it('answers 400 when neither a session token nor an API key is sent', async () => {
    const res = await call('GET', 'system/user', { key: null });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(
      envelope(
        400,
        400,
        'No session token (JWT) or API Key detected in request. Please send in X-DreamFactory-Session-Token and/or X-DreamFactory-API-Key request header. You can also use URL query parameters session_token and/or api_key.'
      )
    );
  });

  it('refuses an unknown API key with "No session token (JWT) provided", single quotes left as they are', async () => {
    const res = await call('GET', 'system/user', { key: 'wrong' });
    expect(res.json).toEqual(
      envelope(
        400,
        400,
        "No session token (JWT) provided. Please provide a valid JWT using X-DreamFactory-Session-Token request header or 'session_token' url query parameter."
      )
    );
  });

  it('refuses a non-admin session token without an API key with "No API Key provided"', async () => {
    const token = await sim.mintToken(activeUser().id);
    const res = await call('GET', 'db/_table/contact', { key: null, token });
    expect(res.json).toEqual(
      envelope(
        400,
        400,
        "No API Key provided. Please provide a valid API Key using X-DreamFactory-API-Key request header or 'api_key' url query parameter."
      )
    );
  });

  it('refuses a non-admin session with an unknown API key (no role) and on system resources (403)', async () => {
    const token = await sim.mintToken(activeUser().id);
    expect((await call('GET', 'db/_table/contact', { key: 'wrong', token })).json).toEqual(
      envelope(403, 403, 'Role not found. A role may not be assigned to you or your application.')
    );
    expect((await call('GET', 'system/user/3', { token })).json).toEqual(
      envelope(
        403,
        403,
        "Access Forbidden. GET access to component 'user/3' of service 'system' is not allowed by this user's role."
      )
    );
    expect((await call('GET', 'db/_table/contact', { token })).status).toBe(200);
  });

  it('lets an admin session in without an API key, as Bearer, header or query parameter; rejects a forged one', async () => {
    const token = await sim.mintToken(1);
    expect((await call('GET', 'system/user', { key: null, token })).status).toBe(200);
    const header = await call('GET', 'system/user', { key: null, headers: { 'x-dreamfactory-session-token': token } });
    expect(header.status).toBe(200);
    expect((await call('GET', `system/role?session_token=${token}`, { key: null })).status).toBe(200);
    expect((await call('GET', `system/role?api_key=${sim.apiKey}`, { key: null })).status).toBe(200);
    const forged = await call('GET', 'system/user', { key: null, token: `${token.slice(0, -4)}AAAA` });
    expect(forged.json).toEqual(envelope(401, 401, 'Token Signature could not be verified.'));
  });
});

describe('sessions (POST system/admin/session, POST user/session)', () => {
  it("logs an admin in with DreamFactory's session info and a JWT carrying its claims", async () => {
    const admin = sim.store.adminUsers()[0];
    const res = await call('POST', 'system/admin/session', {
      key: null,
      body: { email: admin.email, password: 'dreamfactory' },
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json)).toEqual([
      'session_token',
      'session_id',
      'id',
      'name',
      'first_name',
      'last_name',
      'email',
      'is_sys_admin',
      'last_login_date',
      'host',
      'token_expiry_date',
    ]);
    expect(res.json).toMatchObject({ id: admin.id, email: admin.email, is_sys_admin: true });
    expect(res.json.session_id).toBe(res.json.session_token);
    expect(res.json.token_expiry_date).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const claims = decodeJwt(res.json.session_token);
    expect(Object.keys(claims).sort()).toEqual(['exp', 'iat', 'iss', 'jti', 'nbf', 'sub', 'user_id']);
    expect(claims).toMatchObject({
      user_id: admin.id,
      sub: createHash('md5').update(admin.email).digest('hex'),
      iss: `${sim.url}/api/v2/system/admin/session`,
    });
    expect(claims.exp! - claims.iat!).toBe(1440 * 60);
    expect(claims.jti).toMatch(/^[A-Za-z0-9]{16}$/);
    expect((await call('GET', 'system/limit', { key: null, token: res.json.session_token })).status).toBe(200);
  });

  it('logs a user in at user/session, with the role the API key’s app gives them', async () => {
    const user = activeUser();
    const res = await call('POST', 'user/session', { body: { email: user.email, password: 'dreamfactory' } });
    expect(res.status).toBe(200);
    const role = sim.store.roles.find((r) => r.id === sim.store.userRoles.get(user.id))!;
    expect(res.json).toMatchObject({ id: user.id, is_sys_admin: false, role: role.name, role_id: role.id });
    expect(decodeJwt(res.json.session_token).iss).toBe(`${sim.url}/api/v2/user/session`);
  });

  it("refuses wrong credentials with DreamFactory's 401 and incomplete ones with its 400s", async () => {
    const user = activeUser();
    const admin = sim.store.adminUsers()[0];
    const invalid = envelope(401, 401, 'Invalid credentials supplied.');
    expect((await call('POST', 'user/session', { body: { email: user.email, password: 'nope' } })).json).toEqual(
      invalid
    );
    // Each login is for its own kind of account.
    expect(
      (await call('POST', 'user/session', { body: { email: admin.email, password: 'dreamfactory' } })).json
    ).toEqual(invalid);
    expect(
      (await call('POST', 'system/admin/session', { body: { email: user.email, password: 'dreamfactory' } })).json
    ).toEqual(invalid);
    expect((await call('POST', 'user/session', { body: { password: 'x' } })).json).toEqual(
      envelope(400, 400, 'Login request is missing required email.')
    );
    expect((await call('POST', 'user/session', { body: { email: user.email } })).json).toEqual(
      envelope(400, 400, 'Login request is missing required password.')
    );
  });
});

describe('system/user, system/admin, system/role, system/service reads', () => {
  it("lists only non-admins, with DreamFactory's fields in its order and never secrets", async () => {
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
    expect((await call('GET', 'system/admin?fields=id,email')).json).toEqual({
      resource: [
        { id: 1, email: 'admin1@dreamfactory.example' },
        { id: 2, email: 'admin2@dreamfactory.example' },
      ],
    });
  });

  it('filters, selects fields, orders, pages and counts', async () => {
    const target = sim.store.nonAdmins()[3];
    const fragment = target.email.split('@')[0].slice(2, 7).toUpperCase();
    const like = await call(
      'GET',
      `system/user?fields=id,email&filter=${encodeURIComponent(`(email like '%${fragment}%')`)}`
    );
    expect(like.json.resource).toContainEqual({ id: target.id, email: target.email });
    expect((await call('GET', `system/user?fields=id&filter=${encodeURIComponent('id in (3,5)')}`)).json).toEqual({
      resource: [{ id: 3 }, { id: 5 }],
    });
    const page = await call('GET', 'system/user?fields=id&limit=5&offset=5&include_count=true&order=id%20desc');
    expect(page.json).toEqual({ resource: [9, 8, 7, 6, 5].map((id) => ({ id })), meta: { count: 12 } });
    expect((await call('GET', 'system/user?fields=id&limit=2&skip=1')).json).toEqual({
      resource: [{ id: 4 }, { id: 5 }],
    });
  });

  it("refuses unknown filter and order fields with DreamFactory's messages", async () => {
    const res = await call('GET', `system/user?filter=${encodeURIComponent("(password like '%a%')")}`);
    expect(res.json).toEqual(envelope(400, 400, "Invalid or unparsable field in filter request: 'password'"));
    const order = await call('GET', 'system/user?order=password');
    expect(order.status).toBe(500);
    expect(order.json.error.message).toMatch(/Unknown column 'password' in 'order clause'/);
  });

  it('answers a record by id as a bare object, an admin id on system/user as not found', async () => {
    expect((await call('GET', 'system/user/3?fields=id,email')).json).toEqual({
      id: 3,
      email: sim.store.users[2].email,
    });
    expect((await call('GET', 'system/user/1')).json).toEqual(
      envelope(404, 404, "Record with identifier '1' not found.")
    );
  });

  it('answers ?ids= in table order, and a missing id as a batch error that stops there unless continue=true', async () => {
    expect((await call('GET', 'system/user?ids=4,3&fields=id')).json).toEqual({ resource: [{ id: 3 }, { id: 4 }] });
    const notFound = { code: 404, context: null, message: "Record with identifier '999' not found.", status_code: 404 };
    const batch = await call('GET', 'system/user?ids=3,999,998&fields=id');
    expect(batch.json).toEqual(
      envelope(400, 1000, 'Batch Error: Not all requested records could be retrieved.', {
        error: [1],
        resource: [{ id: 3 }, notFound],
      })
    );
    const all = await call('GET', 'system/user?ids=999,3,998&fields=id&continue=true');
    expect(all.json.error.context.error).toEqual([0, 2]);
  });

  it('lists roles and services of several types', async () => {
    expect((await call('GET', 'system/role')).json.resource.length).toBeGreaterThan(1);
    const types = (await call('GET', 'system/service?fields=type')).json.resource.map((s: { type: string }) => s.type);
    expect(types).toEqual(expect.arrayContaining(['system', 'sqlite', 'local_file', 'local_email', 'user']));
  });
});

describe('system/limit', () => {
  const dbId = () => sim.store.serviceByName('db')!.id as number;

  it('creates with 200 and ids only, or full records (in column order) with fields=*', async () => {
    const created = await call('POST', 'system/limit', {
      body: { resource: [{ name: 'Per user', type: 'instance.user', user_id: 3, rate: '5', period: 'minute' }] },
    });
    expect(created.status).toBe(200);
    expect(created.json).toEqual({ resource: [{ id: expect.any(Number) }] });

    const full = await call('POST', 'system/limit?fields=*', {
      body: { resource: [{ name: 'DB per day', type: 'instance.service', service_id: dbId(), rate: 100, period: 2 }] },
    });
    expect(Object.keys(full.json.resource[0])).toEqual([
      'id',
      'type',
      'key_text',
      'rate',
      'period',
      'user_id',
      'role_id',
      'service_id',
      'name',
      'description',
      'is_active',
      'created_date',
      'last_modified_date',
      'endpoint',
      'verb',
    ]);
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

  it.each<[string, Record<string, unknown>, string]>([
    ['a rate of 0', { type: 'instance', rate: 0 }, 'Limit rate must be an integer. Limit not saved.'],
    ['a fractional rate', { type: 'instance', rate: '1.5' }, 'Limit rate must be an integer. Limit not saved.'],
    [
      'no user_id',
      { type: 'instance.user' },
      'user_id must be specified with this limit type. Limit: O\'Hara "&quot;" Zo&euml;',
    ],
    [
      'an unknown user',
      { type: 'instance.user', user_id: 999 },
      'user_id does not exist for O\'Hara "&quot;" Zo&euml; limit.',
    ],
    [
      'an unknown user by service',
      { type: 'instance.user.service', user_id: 999, service_id: 5 },
      'No user_id exists for O\'Hara "&quot;" Zo&euml; limit.',
    ],
    [
      'no service by user',
      { type: 'instance.user.service', user_id: 3 },
      'No service exists for O\'Hara "&quot;" Zo&euml; limit.',
    ],
    ['no service', { type: 'instance.each_user.service' }, 'service_id must be specified with this limit type.'],
    [
      'no role',
      { type: 'instance.role' },
      'role_id must be specified with this limit type. Limit: O\'Hara "&quot;" Zo&euml;',
    ],
    [
      'an unknown role',
      { type: 'instance.role', role_id: 99 },
      'No role_id exists for O\'Hara "&quot;" Zo&euml; limit.',
    ],
    [
      'no endpoint by user',
      { type: 'instance.user.service.endpoint', user_id: 3, service_id: 5 },
      'endpoint must be specified with this limit type.',
    ],
    ['a bad verb', { type: 'instance', verb: 'FETCH' }, 'Verb is invalid or not allowed.'],
  ])(
    "refuses %s with DreamFactory's message, htmlentities-escaped, and writes nothing",
    async (_case, fields, wire) => {
      const before = sim.store.limits.length;
      const res = await call('POST', 'system/limit', {
        body: { resource: [{ name: 'O\'Hara "&quot;" Zoë', rate: 1, period: 'hour', ...fields }] },
      });
      // The wire text, with the name's `"` and `&` escaped (`"&quot;"` → `&quot;&amp;quot;&quot;`).
      expect(res.json).toEqual(envelope(400, 400, wire.replaceAll('"&quot;"', '&quot;&amp;quot;&quot;')));
      expect(sim.store.limits).toHaveLength(before);
    }
  );

  it('accepts a negative rate and a missing endpoint where the type allows it, as DreamFactory does', async () => {
    // (On an instance-wide limit a negative rate would lock everyone out at once: no call is ever under it.)
    const negative = await call('POST', 'system/limit?fields=rate', {
      body: { resource: [{ name: 'neg', type: 'instance.user', user_id: 4, rate: -5, period: '7-day' }] },
    });
    expect(negative.json).toEqual({ resource: [{ rate: -5 }] });
    const noEndpoint = await call('POST', 'system/limit?fields=key_text', {
      body: { resource: [{ name: 'ep', type: 'instance.service.endpoint', service_id: 3, rate: 1, period: 'hour' }] },
    });
    expect(noEndpoint.json).toEqual({ resource: [{ key_text: 'instance.service:3.endpoint:.hour' }] });
  });

  it('reports a record failing the model rules as a batch error, keeping the records before it', async () => {
    const before = sim.store.limits.length;
    const res = await call('POST', 'system/limit', {
      body: {
        resource: [
          { name: 'kept', type: 'instance.user', user_id: 5, rate: 1, period: '30-day' },
          { name: 'bad', type: 'instance.app', rate: 1, period: 'fortnight' },
        ],
      },
    });
    expect(res.json).toEqual(
      envelope(400, 1000, 'Batch Error: Not all requested records could be created.', {
        error: [1],
        resource: [
          { id: expect.any(Number) },
          {
            code: 400,
            context: { type: ['The selected type is invalid.'], period: ['The selected period is invalid.'] },
            message: 'Invalid data supplied. The selected type is invalid. The selected period is invalid.',
            status_code: 400,
          },
        ],
      })
    );
    expect(sim.store.limits).toHaveLength(before + 1);
  });

  it('refuses a second limit with the same key, naming the record in the context', async () => {
    const duplicate = await call('POST', 'system/limit', {
      body: { resource: [{ name: 'again', type: 'instance.user', user_id: 3, rate: 9, period: 'minute' }] },
    });
    expect(duplicate.json.error).toMatchObject({
      code: 400,
      message: 'A limit already exists with those parameters. No records added.',
      status_code: 400,
      context: { key_text: 'instance.user:3.minute' },
    });
  });

  it('patches by id (merged, key recomputed) and answers an unknown id with 400 code 404', async () => {
    const { id } = (
      await call('POST', 'system/limit', {
        body: { resource: [{ name: 'Role', type: 'instance.role', role_id: 1, rate: 10, period: 'hour' }] },
      })
    ).json.resource[0];
    expect((await call('PATCH', `system/limit/${id}`, { body: { role_id: 2, is_active: false } })).json).toEqual({
      id,
    });
    expect((await call('GET', `system/limit/${id}`)).json).toMatchObject({
      key_text: 'instance.role:2.hour',
      is_active: false,
      rate: 10,
    });
    const put = await call('PUT', `system/limit?ids=${id}&fields=rate`, { body: { resource: [{ rate: 20 }] } });
    expect(put.json).toEqual({ resource: [{ rate: 20 }] });
    expect((await call('PATCH', 'system/limit/9999', { body: { rate: 1 } })).json).toEqual(
      envelope(400, 404, "Record with identifier '9999' not found.")
    );
  });

  it('deletes by id, by ids and by body list, and refuses a delete naming nothing with the wrapper hint', async () => {
    const make = async (role: number) =>
      (
        await call('POST', 'system/limit', {
          body: { resource: [{ name: `r${role}`, type: 'instance.role', role_id: role, rate: 1, period: '7-day' }] },
        })
      ).json.resource[0].id;
    const [a, b, c] = [await make(1), await make(3), await make(4)];
    expect((await call('DELETE', `system/limit/${a}`)).json).toEqual({ id: a });
    expect((await call('DELETE', `system/limit?ids=${b}`)).json).toEqual({ resource: [{ id: b }] });
    expect((await call('DELETE', 'system/limit', { body: { resource: [{ id: c }] } })).json).toEqual({
      resource: [{ id: c }],
    });
    expect((await call('DELETE', 'system/limit')).json).toEqual(
      envelope(
        400,
        400,
        "No record(s) detected in request. Please make sure record(s) are wrapped in a 'resource' tag. Example: {&quot;resource&quot;:[{&quot;record&quot;:1},{&quot;record&quot;:2}]}"
      )
    );
  });
});

describe('system/limit_cache', () => {
  let limitId: number;
  // A user no other limit of this suite names.
  const lockedUser = () =>
    sim.store
      .nonAdmins()
      .filter((u) => u.is_active)
      .at(-1)!;

  beforeAll(async () => {
    limitId = (
      await call('POST', 'system/limit', {
        body: {
          resource: [{ name: 'Each', type: 'instance.each_user.service', service_id: 5, rate: 2, period: 'minute' }],
        },
      })
    ).json.resource[0].id;
  });

  const fill = () => {
    sim.store.flushCounters();
    return [1, 2, 3].map(() => sim.store.recordCall({ service: 'db', userId: lockedUser().id, auth: 'jwt' }).status);
  };
  const attempts = () => sim.store.cacheEntries(sim.store.limit(limitId)).reduce((sum, e) => sum + e.attempts, 0);

  it('lists one entry per active non-admin user for each-user limits, the locked-out one at its rate', async () => {
    expect(fill()).toEqual([200, 200, 429]);
    const listed = await call('GET', 'system/limit?related=limit_cache_by_limit_id');
    const entries = listed.json.resource.find((l: { id: number }) => l.id === limitId).limit_cache_by_limit_id;
    expect(entries).toHaveLength(sim.store.nonAdmins().filter((u) => u.is_active).length);
    expect(entries).toContainEqual({
      id: limitId,
      key: `instance.each_user:${lockedUser().id}.service:5.minute`,
      max: 2,
      attempts: 2,
      remaining: 0,
    });
    expect((await call('GET', `system/limit_cache/${limitId}`)).json).toEqual(entries[0]);
    expect((await call('GET', `system/limit_cache?ids=${limitId}`)).json).toEqual({ resource: entries });
  });

  it('answers unknown ids: 404 by id, a "could be retrieved" batch error in ?ids=', async () => {
    expect((await call('GET', 'system/limit_cache/9999')).json).toEqual(
      envelope(404, 404, "Record with identifier '9999' not found.")
    );
    expect((await call('GET', 'system/limit_cache?ids=9999')).json).toEqual(
      envelope(400, 1000, 'Batch Error: Not all requested records could be retrieved.', {
        error: [0],
        resource: [{ code: 404, context: null, message: "Record with identifier '9999' not found.", status_code: 404 }],
      })
    );
  });

  it('resets by id (all users at once), and answers an unknown id with 404', async () => {
    fill();
    expect((await call('DELETE', `system/limit_cache/${limitId}`)).json).toEqual({ id: limitId });
    expect(attempts()).toBe(0);
    expect((await call('DELETE', 'system/limit_cache/9999')).json).toEqual(
      envelope(404, 404, "Record with identifier '9999' not found.")
    );
  });

  it('resets ?ids= one by one: an unknown id fails the batch with "could be deleted", after the known ones', async () => {
    fill();
    const res = await call('DELETE', `system/limit_cache?ids=${limitId},9999,9998`);
    expect(res.json).toEqual(
      envelope(400, 1000, 'Batch Error: Not all requested records could be deleted.', {
        error: [1],
        resource: [
          { id: limitId },
          { code: 404, context: null, message: "Record with identifier '9999' not found.", status_code: 404 },
        ],
      })
    );
    expect(attempts()).toBe(0);
    const both = await call('DELETE', 'system/limit_cache?ids=9999,9998&continue=true');
    expect(both.json.error.context.error).toEqual([0, 1]);
    expect((await call('DELETE', `system/limit_cache?ids=${limitId}`)).json).toEqual({ resource: [{ id: limitId }] });
  });

  it('resets the ids of a body list, and reports a record without an id as an empty list', async () => {
    fill();
    expect((await call('DELETE', 'system/limit_cache', { body: { resource: [{ id: limitId }] } })).json).toEqual({
      resource: [{ id: limitId }],
    });
    expect(attempts()).toBe(0);
    expect((await call('DELETE', 'system/limit_cache', { body: { resource: [{ name: 'x' }] } })).json).toEqual({
      resource: [{ resource: [] }],
    });
  });

  it('flushes the whole store only with allow_delete=true, and refuses a delete naming nothing with the hint', async () => {
    const hint = envelope(
      400,
      400,
      "No record(s) detected in request. Please make sure record(s) are wrapped in a 'resource' tag. Example: {&quot;resource&quot;:[{&quot;record&quot;:1},{&quot;record&quot;:2}]}"
    );
    fill();
    expect((await call('DELETE', 'system/limit_cache')).json).toEqual(hint);
    expect((await call('DELETE', 'system/limit_cache?force=true')).json).toEqual(hint);
    expect(attempts()).toBeGreaterThan(0);
    expect((await call('DELETE', 'system/limit_cache?allow_delete=true')).json).toEqual({ success: true });
    expect(attempts()).toBe(0);
  });
});

describe('recording', () => {
  it('records every request, including refused ones', async () => {
    const before = sim.requests.length;
    await call('POST', 'system/limit', { key: 'wrong', body: { name: 'x' } });
    expect(sim.requests.slice(before)).toEqual([
      { method: 'POST', path: '/api/v2/system/limit', query: {}, body: undefined, status: 400 },
    ]);
  });
});
