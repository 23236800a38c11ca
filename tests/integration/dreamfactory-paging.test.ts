/**
 * The proxy against a DreamFactory that caps every list page (its DB_MAX_RECORDS_RETURNED, here 100 and 1000) and has
 * thousands of users: the user picker, the limits and counters lists, the users table and the activity enrichment
 * each find every record exactly once — also when users are added and removed while the proxy pages through them.
 */
import { PROXY_TOKEN_HEADER } from '@shared/headers';
import { dimension, type ActivityQuery } from '@shared/query';
import type { DirectoryResponse, LimitCountersResponse, LimitsResponse } from '@shared/limits-api';
import { startSimulator, type Simulator } from '../dreamfactory-sim/server';
import { startFaultProxy, type RunningFaultProxy } from './faults-http';
import { generateEvents } from './query-data';
import { rowsOf, startQueryProxy, startQueryStack, TOKEN, type QueryProxy, type QueryStack } from './query-harness';

const USERS = 2600;
const ADMINS = 2;
const LIMITS = 250;
const START = Date.UTC(2026, 0, 5);
const RANGE = { from: new Date(START).toISOString(), to: new Date(START + 86400000).toISOString() };
/** Callers from the first page, the middle and the very end of the user list. */
const CALLERS = ['1', '3', '150', '999', '1001', '2001', '2599', '2602'];
const byUser: ActivityQuery = {
  refId: 'A',
  queryType: 'activity',
  groupBy: [dimension('user', 100)],
  showOther: false,
  shareOfTotal: false,
};

async function relay<T>(proxy: QueryProxy, url: string): Promise<T> {
  const response = await proxy.app.inject({ method: 'GET', url, headers: { [PROXY_TOKEN_HEADER]: TOKEN } });
  expect(response.statusCode).toBe(200);
  return response.json() as T;
}

describe.each([100, 1000])('a DreamFactory answering at most %i records per page', (cap) => {
  let stack: QueryStack;

  beforeAll(async () => {
    const events = generateEvents({ count: 400, seed: 31, startMs: START, spanMs: 86400000, userIds: CALLERS });
    stack = await startQueryStack(`df-paging-${cap}`, events, {
      users: USERS,
      admins: ADMINS,
      seed: 5,
      limits: false,
      maxRecordsReturned: cap,
    });
    const { store } = stack.sim;
    store.createLimits([
      ...store
        .nonAdmins()
        .slice(0, LIMITS - 1)
        .map((u) => ({ name: `user ${u.id}`, type: 'instance.user', user_id: u.id, rate: 100, period: 'hour' })),
      { name: 'each user', type: 'instance.each_user', rate: 100, period: 'day' },
    ]);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('offers every user and admin in the picker, each once', async () => {
    const mark = stack.sim.requests.length;
    const { entries } = await relay<DirectoryResponse>(stack.proxy, '/api/directory/users');
    expect(entries.map((e) => e.id)).toEqual(stack.sim.store.users.map((u) => u.id).sort((a, b) => a - b));
    const pages = stack.sim.requests.slice(mark).filter((r) => r.path === '/api/v2/system/user');
    expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(USERS / cap));
  });

  it('lists every limit, and names every counter', async () => {
    const { limits } = await relay<LimitsResponse>(stack.proxy, '/api/limits');
    expect(limits.map((l) => l.id).sort((a, b) => a - b)).toEqual(stack.sim.store.limits.map((l) => l.id));
    const eachUser = limits.find((l) => l.name === 'each user')!;
    expect(eachUser.counters).toHaveLength(stack.sim.store.nonAdmins().filter((u) => u.is_active).length);

    const { counters } = await relay<LimitCountersResponse>(stack.proxy, '/api/limit-counters');
    const expected = stack.sim.store.limits.flatMap((l) => stack.sim.store.cacheEntries(l));
    expect(counters).toHaveLength(expected.length);
    expect(counters.every((c) => c.limitName !== undefined)).toBe(true);
  });

  it('answers the users table with every user and admin, and labels callers from every page', async () => {
    const { results } = await stack.proxy.query({
      range: RANGE,
      queries: [{ refId: 'U', queryType: 'users' }, byUser],
    });
    const users = rowsOf(results.U.frames[0]);
    expect(users.map((r) => r.ID)).toEqual(stack.sim.store.users.map((u) => u.id));
    const activity = rowsOf(results.A.frames[0]);
    for (const id of CALLERS) {
      const user = stack.sim.store.users.find((u) => String(u.id) === id)!;
      expect(activity.find((r) => r['User ID'] === id)?.['User Email']).toBe(user.email);
    }
  });
});

describe('users added and removed while the proxy pages through them', () => {
  let sim: Simulator;
  let faults: RunningFaultProxy;
  let proxy: QueryProxy;

  beforeAll(async () => {
    sim = await startSimulator({ users: USERS, admins: ADMINS, seed: 6, limits: false, maxRecordsReturned: 100 });
    faults = await startFaultProxy(sim.url);
    proxy = await startQueryProxy('df-paging-churn-', { url: faults.url, apiKey: sim.apiKey });
  });

  afterAll(async () => {
    await proxy?.close();
    await faults?.close();
    await sim?.close();
  });

  it('neither skips nor repeats a user that existed throughout', async () => {
    const before = new Set(sim.store.users.map((u) => u.id));
    const early = sim.store.nonAdmins()[10].id;
    const late = sim.store.nonAdmins()[2000].id;
    let userPages = 0;
    let added = 0;
    faults.rule = (request) => {
      if (request.method === 'GET' && request.path.startsWith('/api/v2/system/user?') && ++userPages === 3) {
        // Between the 2nd and 3rd page: one user already read and one not yet read leave, one joins.
        sim.store.remove('user', early);
        sim.store.remove('user', late);
        added = sim.store.create('user', [{ email: 'joined.late@example.com' }])[0].id as number;
      }
      return { kind: 'pass' };
    };
    const { entries } = await relay<DirectoryResponse>(proxy, '/api/directory/users');
    const ids = entries.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const stayed = [...before].filter((id) => id !== early && id !== late);
    expect(ids).toEqual(expect.arrayContaining(stayed));
    expect(ids).not.toContain(late);
    expect(ids).toContain(added);
    expect(userPages).toBeGreaterThan(3);
  });
});
