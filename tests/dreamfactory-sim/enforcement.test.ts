/**
 * df.evaluate_limits as DreamFactory runs it: which limits count a call, which refuse it, and the precedence between
 * them (a user's limit over the matching each-user limit, a verb limit over its verb-less twin — both still count).
 */
import { startSimulator, type Simulator } from './server';
import { simClient } from './sim-client';
import { SimStore, type SimCall } from './store';

/** A store with users 2… (user 1 is the admin) and these limits; services: 3 = files, 5 = db. */
function storeWith(limits: Array<Record<string, unknown>>): SimStore {
  const store = new SimStore({ users: 6, admins: 1, seed: 4, limits: false });
  store.nonAdmins().forEach((u) => (u.is_active = true));
  store.createLimits(limits.map((l, i) => ({ name: `limit ${i}`, period: 'hour', ...l })));
  return store;
}

const statuses = (store: SimStore, call: SimCall, n: number) =>
  Array.from({ length: n }, () => store.recordCall({ auth: 'jwt', ...call }).status);
const counted = (store: SimStore, id: number) => store.cacheEntries(store.limit(id)).map((e) => e.attempts);

describe("a user's limit overrides the matching each-user limit for that user", () => {
  it.each<[string, string, Record<string, unknown>, SimCall]>([
    ['instance.user', 'instance.each_user', {}, { service: 'db' }],
    ['instance.user.service', 'instance.each_user.service', { service_id: 5 }, { service: 'db' }],
    [
      'instance.user.service.endpoint',
      'instance.each_user.service.endpoint',
      { service_id: 5, endpoint: '_table/contact' },
      { service: 'db', endpoint: '_table/contact' },
    ],
  ])('%s over %s: both count, only the user limit refuses', (userType, eachType, scope, call) => {
    const store = storeWith([
      { type: userType, user_id: 3, rate: 5, ...scope },
      { type: eachType, rate: 2, ...scope },
    ]);
    const [userLimit, eachLimit] = store.limits;
    // User 3: the each-user limit trips at the 3rd call but is overridden; the user limit refuses the 6th.
    expect(statuses(store, { ...call, userId: 3 }, 6)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(store.counters.isLockedOut(eachLimit.key_text.replace('each_user:', 'each_user:3'))).toBe(true);
    expect(counted(store, userLimit.id)).toEqual([5]);
    // User 4 has no limit of their own: the each-user limit refuses their 3rd call.
    expect(statuses(store, { ...call, userId: 4 }, 3)).toEqual([200, 200, 429]);
    const refused = store.recordCall({ ...call, userId: 4, auth: 'jwt' });
    expect(refused.exceeded).toEqual([eachLimit.id]);
  });

  it('compares the user only: a user-by-service limit on another service overrides it too, as in DreamFactory', () => {
    const store = storeWith([
      { type: 'instance.user.service', user_id: 3, service_id: 3, rate: 100 },
      { type: 'instance.each_user.service', service_id: 5, rate: 1 },
    ]);
    expect(statuses(store, { service: 'db', userId: 3 }, 3)).toEqual([200, 200, 200]);
    expect(statuses(store, { service: 'db', userId: 4 }, 2)).toEqual([200, 429]);
  });
});

describe('a verb limit overrides its verb-less twin for that verb', () => {
  it('GET calls are refused by the GET limit only; other verbs by the verb-less limit', () => {
    const store = storeWith([
      { type: 'instance.service', service_id: 5, rate: 2 },
      { type: 'instance.service', service_id: 5, rate: 4, verb: 'GET' },
    ]);
    const [plain, get] = store.limits;
    expect(statuses(store, { service: 'db', userId: 3, verb: 'GET' }, 5)).toEqual([200, 200, 200, 200, 429]);
    expect(store.counters.isLockedOut(plain.key_text)).toBe(true);
    expect(store.recordCall({ service: 'db', userId: 3, verb: 'GET' }).exceeded).toEqual([get.id]);
    store.flushCounters();
    expect(statuses(store, { service: 'db', userId: 3, verb: 'POST' }, 3)).toEqual([200, 200, 429]);
    expect(counted(store, get.id)).toEqual([0]);
  });

  it('needs the same type and period, not the same service (DreamFactory compares no ids here)', () => {
    const otherService = storeWith([
      { type: 'instance.service', service_id: 5, rate: 1 },
      { type: 'instance.service', service_id: 3, rate: 100, verb: 'GET' },
    ]);
    expect(statuses(otherService, { service: 'db', userId: 3, verb: 'GET' }, 3)).toEqual([200, 200, 200]);
    const otherPeriod = storeWith([
      { type: 'instance.service', service_id: 5, rate: 1 },
      { type: 'instance.service', service_id: 5, rate: 100, verb: 'GET', period: 'day' },
    ]);
    expect(statuses(otherPeriod, { service: 'db', userId: 3, verb: 'GET' }, 2)).toEqual([200, 429]);
  });
});

describe('what counts', () => {
  it('counts API-key calls against instance limits but not against each-user limits', () => {
    const store = storeWith([
      { type: 'instance', rate: 10 },
      { type: 'instance.each_user', rate: 10 },
    ]);
    const [instance, each] = store.limits;
    statuses(store, { service: 'system', auth: 'apiKey' }, 3);
    expect(counted(store, instance.id)).toEqual([3]);
    expect(counted(store, each.id).every((n) => n === 0)).toBe(true);
  });

  it('exempts admins, and ignores inactive limits', () => {
    const store = storeWith([
      { type: 'instance', rate: 1 },
      { type: 'instance.each_user', rate: 1, is_active: false },
    ]);
    expect(statuses(store, { service: 'db', userId: 1 }, 3)).toEqual([200, 200, 200]);
    expect(statuses(store, { service: 'db', userId: 3 }, 2)).toEqual([200, 429]);
    expect(counted(store, store.limits[1].id).every((n) => n === 0)).toBe(true);
  });

  it('still counts a refused call against the limits it is not over', () => {
    const store = storeWith([
      { type: 'instance.user', user_id: 3, rate: 1 },
      { type: 'instance', rate: 10 },
    ]);
    expect(statuses(store, { service: 'db', userId: 3 }, 3)).toEqual([200, 429, 429]);
    expect(counted(store, store.limits[1].id)).toEqual([3]);
  });

  it.each<[string | null, string, boolean]>([
    ['_table/contact', '_table/contact', true],
    ['_table/contact', '_table/contact/5', false],
    ['_table/*', '_table/orders/7', true],
    ['_table/*', '_schema', false],
    [null, '', true],
    [null, '_table/contact', false],
  ])('an endpoint limit on %j counts a call to %j: %s', (endpoint, resource, counts) => {
    const store = storeWith([{ type: 'instance.service.endpoint', service_id: 5, endpoint, rate: 10 }]);
    store.recordCall({ service: 'db', userId: 3, endpoint: resource, auth: 'jwt' });
    expect(counted(store, store.limits[0].id)).toEqual([counts ? 1 : 0]);
  });

  it('locks out for one full period from the refused call, then starts a new window', () => {
    let now = Date.UTC(2025, 0, 1);
    const store = new SimStore({ users: 2, admins: 1, limits: false, now: () => now });
    store.createLimits([{ name: 'u', type: 'instance.user', user_id: 2, rate: 1, period: 'minute' }]);
    const call = { service: 'db', userId: 2, auth: 'jwt' as const };
    expect([store.recordCall(call).status, store.recordCall(call).status]).toEqual([200, 429]);
    now += 59_000;
    expect(store.recordCall(call).status).toBe(429);
    now += 2_000;
    expect(store.recordCall(call).status).toBe(200);
  });
});

describe("DreamFactory's 429 over HTTP", () => {
  let sim: Simulator;
  const call = simClient(() => sim);
  beforeAll(async () => {
    sim = await startSimulator({ users: 4, admins: 1, seed: 2, limits: false });
  });
  afterAll(() => sim.close());

  it('sends rate-limit headers on the 429 only, describing the last active limit evaluated', async () => {
    const user = sim.store.nonAdmins().find((u) => u.is_active)!;
    const [refusing] = sim.store.createLimits([
      {
        name: 'Files per user',
        type: 'instance.user.service',
        user_id: user.id,
        service_id: 3,
        rate: 2,
        period: 'hour',
        verb: 'GET',
      },
      { name: 'Unrelated', type: 'instance.role', role_id: 4, rate: 7, period: 'day' },
    ]);
    const token = await sim.mintToken(user.id);
    const get = () => call('GET', 'files/reports/q3.pdf', { token });
    for (const response of [await get(), await get()]) {
      expect(response.status).toBe(200);
      const names: string[] = [];
      response.headers.forEach((_value, name) => names.push(name));
      expect(names.filter((h) => /ratelimit|retry-after/i.test(h))).toEqual([]);
    }
    const refused = await get();
    expect(refused.status).toBe(429);
    expect(refused.json).toEqual({
      error: {
        code: 429,
        context: [
          {
            id: refusing.id,
            name: 'Files per user',
            object: expect.objectContaining({
              id: refusing.id,
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
    // The headers describe "Unrelated" (the last active limit), not the limit that refused.
    expect(refused.headers.get('x-ratelimit-limit')).toBe('7');
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('7');
    expect(refused.headers.get('retry-after')).toBe('0');
    expect((await call('GET', 'nosuch/thing')).status).toBe(404);
  });
});
