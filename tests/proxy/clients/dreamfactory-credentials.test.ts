/**
 * The proxy's credentials against the simulator: with an API key DreamFactory counts the proxy's own calls against an
 * instance limit and locks it out with everyone else; with an admin login it works in an admin session, which limits
 * never count, so a tripped instance limit can still be read and reset. Refusals say which settings to fix.
 */
import { DreamFactoryClient, DreamFactoryError } from '../../../proxy/src/clients/dreamfactory';
import { startSimulator, type Simulator } from '../../dreamfactory-sim/server';

const PASSWORD = 'correct horse battery';

function client(sim: Simulator, credentials: { apiKey?: string; adminEmail?: string; adminPassword?: string }) {
  return new DreamFactoryClient({ url: sim.url, timeoutMs: 5000, directoryTtlMs: 0, ...credentials });
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (err: unknown) => err as DreamFactoryError
  );

describe('the proxy under an instance limit of 3 calls an hour', () => {
  let sim: Simulator;
  let adminEmail: string;

  beforeEach(async () => {
    sim = await startSimulator({ users: 5, admins: 1, seed: 3, limits: false, password: PASSWORD });
    adminEmail = sim.store.adminUsers()[0].email;
    sim.store.createLimits([{ name: 'Everyone', type: 'instance', rate: 3, period: 'hour' }]);
  });
  afterEach(() => sim.close());

  it('with the API key, is refused with 429 from the 4th call on', async () => {
    const df = client(sim, { apiKey: sim.apiKey });
    for (let i = 0; i < 3; i++) {
      await df.get('system/user', { limit: 1 });
    }
    const refusal = await failure(df.get('system/limit'));
    expect(refusal).toBeInstanceOf(DreamFactoryError);
    expect(refusal?.status).toBe(429);
    expect(refusal?.credentialsRefused).toBe(false);
    expect(df.auth).toBe('api-key');
  });

  it('in an admin session, only its login is counted: after 10 calls it still reads and resets the tripped limit', async () => {
    const df = client(sim, { apiKey: sim.apiKey, adminEmail, adminPassword: PASSWORD });
    const [limit] = sim.store.limits;
    for (let i = 0; i < 10; i++) {
      await df.get('system/user', { limit: 1 });
    }
    // A user trips the limit; the proxy still sees the counter and can clear it.
    const user = sim.store.nonAdmins().find((u) => u.is_active)!;
    const token = await sim.mintToken(user.id);
    const calls = await Promise.all(
      Array.from({ length: 4 }, () =>
        fetch(`${sim.url}/api/v2/db/_table/contact`, {
          headers: { 'x-dreamfactory-api-key': sim.apiKey, 'x-dreamfactory-session-token': token },
        })
      )
    );
    // The admin login itself came before the session existed, so DreamFactory counted it: one call of three.
    expect(calls.map((r) => r.status).sort()).toEqual([200, 200, 429, 429]);
    const cache = await df.get<{ resource: Array<{ attempts: number }> }>(`system/limit_cache`, {
      filter: `limit_id = ${limit.id}`,
    });
    expect(cache.resource.map((entry) => entry.attempts)).toEqual(
      sim.store.cacheEntries(limit).map((entry) => entry.attempts)
    );
    expect(cache.resource[0].attempts).toBeGreaterThanOrEqual(3);
    await df.request('DELETE', `system/limit_cache/${limit.id}`);
    expect(sim.store.cacheEntries(limit).map((entry) => entry.attempts)).toEqual([0]);
    expect(df.auth).toBe('admin-session');
    // One login served every call.
    expect(sim.requests.filter((r) => r.path === '/api/v2/system/admin/session')).toHaveLength(1);
  });
});

describe('admin sessions', () => {
  let sim: Simulator;
  afterEach(() => sim.close());

  it('concurrent first calls share one login', async () => {
    sim = await startSimulator({ users: 3, admins: 1, seed: 5, limits: false, password: PASSWORD });
    const adminEmail = sim.store.adminUsers()[0].email;
    const df = client(sim, { adminEmail, adminPassword: PASSWORD });
    await Promise.all(Array.from({ length: 5 }, () => df.get('system/user', { limit: 1 })));
    expect(sim.requests.filter((r) => r.path === '/api/v2/system/admin/session')).toHaveLength(1);
  });

  it('log in again once when DreamFactory no longer knows the session (a restart with a new JWT secret)', async () => {
    sim = await startSimulator({ users: 3, admins: 1, seed: 5, limits: false, password: PASSWORD });
    const adminEmail = sim.store.adminUsers()[0].email;
    const df = new DreamFactoryClient({
      url: sim.url,
      adminEmail,
      adminPassword: PASSWORD,
      timeoutMs: 5000,
      directoryTtlMs: 0,
    });
    await df.get('system/user', { limit: 1 });
    const port = Number(new URL(sim.url).port);
    await sim.close();
    // Let the client's pooled connection see the close, as it would over a real DreamFactory restart.
    await new Promise((resolve) => setTimeout(resolve, 100));
    sim = await startSimulator({ users: 3, admins: 1, seed: 5, limits: false, password: PASSWORD, port });
    const users = await df.get<{ resource: unknown[] }>('system/user', { limit: 1 });
    expect(users.resource).toHaveLength(1);
    const seen = sim.requests.map((r) => `${r.status} ${r.method} ${r.path}`);
    expect(seen).toEqual([
      '401 GET /api/v2/system/user',
      '200 POST /api/v2/system/admin/session',
      '200 GET /api/v2/system/user',
    ]);
  });

  it('a wrong password is a credentials refusal naming the admin settings, and the password appears nowhere', async () => {
    sim = await startSimulator({ users: 3, admins: 1, seed: 5, limits: false, password: PASSWORD });
    const adminEmail = sim.store.adminUsers()[0].email;
    const df = client(sim, { adminEmail, adminPassword: 'not-the-password' });
    const refusal = await failure(df.get('system/limit'));
    expect(refusal?.credentialsRefused).toBe(true);
    expect(refusal?.message).toBe(`Admin login as ${adminEmail} failed: Invalid credentials supplied.`);
    expect(df.credentialSettings).toBe('DF_ADMIN_EMAIL/DF_ADMIN_PASSWORD');
    expect(JSON.stringify(refusal)).not.toContain('not-the-password');
  });
});

describe("DreamFactory's answer to a wrong API key", () => {
  it('is its 400 "No session token (JWT) provided", recognised as a credentials refusal', async () => {
    const sim = await startSimulator({ users: 3, admins: 1, seed: 5, limits: false });
    try {
      const refusal = await failure(client(sim, { apiKey: 'not-the-key' }).get('system/limit'));
      expect(refusal?.status).toBe(400);
      expect(refusal?.message).toMatch(/^No session token \(JWT\) provided\./);
      expect(refusal?.credentialsRefused).toBe(true);
      // A refusal of what was asked is not one of credentials.
      const invalid = await failure(
        client(sim, { apiKey: sim.apiKey }).request('POST', 'system/limit', {
          body: { resource: [{ name: 'x', type: 'nonsense' }] },
        })
      );
      expect(invalid?.status).toBe(400);
      expect(invalid?.credentialsRefused).toBe(false);
    } finally {
      await sim.close();
    }
  });
});
