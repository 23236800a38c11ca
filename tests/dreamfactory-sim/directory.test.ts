/**
 * Writes to DreamFactory's directory: creating and deleting users, admins, roles and services, and the cascade that
 * deletes the limits (and their counters) naming whatever was deleted.
 */
import { startSimulator, type Simulator } from './server';
import { envelope, simClient } from './sim-client';

let sim: Simulator;
const call = simClient(() => sim);

beforeAll(async () => {
  sim = await startSimulator({ users: 5, admins: 1, seed: 3, limits: false });
});
afterAll(() => sim.close());

describe('creating', () => {
  it('creates users with 201 and ids only (or fields), and they can log in', async () => {
    const res = await call('POST', 'system/user?fields=id,email,name', {
      body: { resource: [{ email: 'new.one@example.com', name: 'New One', password: 's3cret' }] },
    });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ resource: [{ id: expect.any(Number), email: 'new.one@example.com', name: 'New One' }] });
    const login = await call('POST', 'user/session', { body: { email: 'new.one@example.com', password: 's3cret' } });
    expect(login.json.id).toBe(res.json.resource[0].id);
    const admin = await call('POST', 'system/admin', { body: { resource: [{ email: 'boss@example.com' }] } });
    expect(admin.json).toEqual({ resource: [{ id: expect.any(Number) }] });
    expect(sim.store.isAdmin(admin.json.resource[0].id)).toBe(true);
  });

  it('creates roles and services; a new service takes calls', async () => {
    expect((await call('POST', 'system/role', { body: { resource: [{ name: 'Auditors' }] } })).status).toBe(201);
    const svc = await call('POST', 'system/service', {
      body: { resource: [{ name: 'crm', type: 'mysql', label: 'CRM' }] },
    });
    expect(svc.status).toBe(201);
    expect((await call('GET', 'crm/_table/account')).json).toEqual({ resource: [] });
  });

  it('stops a batch at the first invalid record, keeping the ones before it', async () => {
    const res = await call('POST', 'system/user', {
      body: { resource: [{ email: 'first@example.com' }, { name: 'no email' }, { email: 'third@example.com' }] },
    });
    expect(res.json).toEqual(
      envelope(400, 1000, 'Batch Error: Not all requested records could be created.', {
        error: [1],
        resource: [
          { id: expect.any(Number) },
          {
            code: 400,
            context: { email: ['The email field is required.'] },
            message: 'Invalid data supplied. The email field is required.',
            status_code: 400,
          },
        ],
      })
    );
    expect(sim.store.users.some((u) => u.email === 'first@example.com')).toBe(true);
    expect(sim.store.users.some((u) => u.email === 'third@example.com')).toBe(false);
    const twice = await call('POST', 'system/role', { body: { resource: [{ name: 'Auditors' }] } });
    expect(twice.json.error.context.resource[0].message).toBe(
      'Invalid data supplied. The name has already been taken.'
    );
  });
});

describe('deleting', () => {
  const newUser = async (email: string) =>
    (await call('POST', 'system/user', { body: { resource: [{ email }] } })).json.resource[0].id as number;

  it('deletes by id, ?ids=, body list and filter; unknown ids fail the batch and delete nothing', async () => {
    const [a, b, c, d] = [
      await newUser('a@x.example'),
      await newUser('b@x.example'),
      await newUser('c@x.example'),
      await newUser('d@x.example'),
    ];
    expect((await call('DELETE', `system/user/${a}`)).json).toEqual({ id: a });
    expect((await call('DELETE', `system/user?ids=${b}`)).json).toEqual({ resource: [{ id: b }] });
    expect((await call('DELETE', 'system/user', { body: { resource: [{ id: c }] } })).json).toEqual({
      resource: [{ id: c }],
    });
    const missing = await call('DELETE', `system/user?ids=${d},99999`);
    expect(missing.json.error).toMatchObject({
      code: 1000,
      message: 'Batch Error: Not all requested records could be deleted.',
    });
    expect(sim.store.users.some((u) => u.id === d)).toBe(true);
    const filter = encodeURIComponent("email = 'd@x.example'");
    expect((await call('DELETE', `system/user?filter=${filter}`)).json).toEqual({ resource: [{ id: d }] });
    expect((await call('DELETE', 'system/user/99999')).json).toEqual(
      envelope(404, 404, "Record with identifier '99999' not found.")
    );
    expect((await call('DELETE', 'system/user')).json).toEqual(
      envelope(400, 400, 'No filter or records given for delete request.')
    );
  });

  it("deletes a user's, role's and service's limits and their counters with them", async () => {
    const userId = await newUser('limited@x.example');
    const roleId = (await call('POST', 'system/role', { body: { resource: [{ name: 'Temp' }] } })).json.resource[0].id;
    const serviceId = (await call('POST', 'system/service', { body: { resource: [{ name: 'tmp', type: 'sqlite' }] } }))
      .json.resource[0].id;
    const [userLimit, roleLimit, serviceLimit, other] = sim.store.createLimits([
      { name: 'u', type: 'instance.user', user_id: userId, rate: 5, period: 'hour' },
      { name: 'r', type: 'instance.role', role_id: roleId, rate: 5, period: 'hour' },
      { name: 's', type: 'instance.service', service_id: serviceId, rate: 5, period: 'hour' },
      { name: 'o', type: 'instance.service', service_id: 5, rate: 5, period: 'day' },
    ]);
    sim.store.recordCall({ service: 'tmp', userId, auth: 'jwt' });
    expect(sim.store.cacheEntries(userLimit)[0].attempts).toBe(1);

    await call('DELETE', `system/user/${userId}`);
    await call('DELETE', `system/role/${roleId}`);
    await call('DELETE', `system/service/${serviceId}`);
    const ids = sim.store.limits.map((l) => l.id);
    expect(ids).not.toContain(userLimit.id);
    expect(ids).not.toContain(roleLimit.id);
    expect(ids).not.toContain(serviceLimit.id);
    expect(ids).toContain(other.id);
    // The counters went with them: the same key starts from zero for a new limit.
    const [again] = sim.store.createLimits([{ name: 's2', type: 'instance', rate: 5, period: 'minute' }]);
    expect(sim.store.counters.entry(0, userLimit.key_text, 5).attempts).toBe(0);
    expect((await call('GET', `system/limit/${userLimit.id}`)).status).toBe(404);
    sim.store.deleteLimit(again.id);
  });
});
