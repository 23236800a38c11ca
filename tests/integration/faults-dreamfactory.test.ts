/**
 * DreamFactory failing behind the proxy (the simulator behind a fault injector): activity queries keep labelling users
 * from the cached directory and say so; a first-ever directory fetch that fails is a clear notice or error; limit
 * edits answer DreamFactory's status (or 502) with a clear message and change nothing.
 */
import { dimension, type ActivityQuery, type FrameJSON } from '@shared/query';
import type { LimitInput, RelayError } from '@shared/limits-api';
import { PROXY_TOKEN_HEADER } from '@shared/headers';
import { ElasticsearchClient } from '../../proxy/src/clients/elasticsearch';
import { startSimulator, Simulator } from '../dreamfactory-sim/server';
import { plainEs, uniquePrefix } from './env';
import { FaultAction, FaultRequest, RunningFaultProxy, startFaultProxy } from './faults-http';
import { ACTIVITY_DATASET, activityEvents, indexEvents, installTemplate } from './query-data';
import { QueryProxy, rowsOf, startQueryProxy, TOKEN } from './query-harness';

const { RANGE } = ACTIVITY_DATASET;
const byUser: ActivityQuery = {
  refId: 'A',
  queryType: 'activity',
  groupBy: [dimension('user', 100)],
  showOther: true,
  shareOfTotal: false,
};
const dfError = (status: number, message: string): FaultAction => ({
  kind: 'respond',
  status,
  body: { error: { code: status, message, context: null } },
});
const FAILURES: Array<[string, FaultAction]> = [
  ['500', dfError(500, 'Injected internal error')],
  ['429', dfError(429, 'Injected: too many requests')],
  ['unreachable', { kind: 'unreachable' }],
];
const isDirectory = (r: FaultRequest) => /^\/api\/v2\/system\/(user|admin)\b/.test(r.path);
const isLimitWrite = (r: FaultRequest) => r.method !== 'GET' && r.path.startsWith('/api/v2/system/limit');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('DreamFactory faults', () => {
  let es: ElasticsearchClient;
  let sim: Simulator;
  let faults: RunningFaultProxy;
  const prefix = uniquePrefix('faults-df');
  const proxies: QueryProxy[] = [];

  beforeAll(async () => {
    es = new ElasticsearchClient(plainEs());
    await installTemplate(es, prefix);
    await indexEvents(es, prefix, activityEvents());
    sim = await startSimulator({ admins: 2, users: 1200, seed: 9 });
    faults = await startFaultProxy(sim.url);
  });

  afterAll(async () => {
    for (const proxy of proxies) {
      await proxy.close();
    }
    await faults?.close();
    await sim?.close();
    await es?.raw.indices.delete({ index: `${prefix}*` });
    await es?.raw.indices.deleteIndexTemplate({ name: `${prefix}template` });
    await es?.close();
  });

  async function proxyVia(url: string, directoryTtlMs = 300_000): Promise<QueryProxy> {
    const df = { url, apiKey: sim.apiKey, directoryTtlMs, timeoutMs: 3000 };
    const proxy = await startQueryProxy(prefix, df);
    proxies.push(proxy);
    return proxy;
  }

  async function activityFrame(proxy: QueryProxy): Promise<FrameJSON> {
    const result = (await proxy.query({ range: RANGE, queries: [byUser] })).results.A;
    expect(result.error).toBeUndefined();
    return result.frames[0];
  }

  const labelOf = (frame: FrameJSON, id: string) => rowsOf(frame).find((r) => r['User ID'] === id)?.User;
  const notices = (frame: FrameJSON) => (frame.meta?.notices ?? []).map((n) => n.text);

  /** The cache refreshes in the background, so the notice shows up on a read shortly after the failure (bounded). */
  async function untilNotices(proxy: QueryProxy, done: (texts: string[]) => boolean): Promise<FrameJSON> {
    let frame = await activityFrame(proxy);
    for (let i = 0; i < 40 && !done(notices(frame)); i++) {
      await sleep(250);
      frame = await activityFrame(proxy);
    }
    return frame;
  }

  it.each(FAILURES)(
    'keeps labelling users from the cached directory while DreamFactory answers %s, and says so',
    async (_name, failure) => {
      faults.rule = () => ({ kind: 'pass' });
      const proxy = await proxyVia(faults.url, 1000);
      const email3 = sim.store.users.find((u) => u.id === 3)!.email;
      const healthy = await activityFrame(proxy);
      expect(labelOf(healthy, '3')).toBe(email3);
      expect(notices(healthy)).toEqual([]);

      faults.rule = (r) => (isDirectory(r) ? failure : { kind: 'pass' });
      await sleep(1100); // past the 1 s TTL: the next read serves the cache and refreshes in the background
      const degraded = await untilNotices(proxy, (texts) => texts.length > 0);
      expect(notices(degraded)).toEqual([expect.stringMatching(/DreamFactory.*User names are as of \d{4}-\d\d-\d\dT/)]);
      expect(labelOf(degraded, '3')).toBe(email3);

      faults.rule = () => ({ kind: 'pass' });
      await sleep(1100);
      const recovered = await untilNotices(proxy, (texts) => texts.length === 0);
      expect(notices(recovered)).toEqual([]);
    }
  );

  it('says users are shown by id when the very first directory fetch fails, and fails the users table on its own', async () => {
    const down = await startFaultProxy(sim.url, () => ({ kind: 'unreachable' }));
    try {
      const proxy = await proxyVia(down.url);
      const response = await proxy.query({ range: RANGE, queries: [byUser, { refId: 'U', queryType: 'users' }] });
      const frame = response.results.A.frames[0];
      expect(response.results.A.error).toBeUndefined();
      expect(notices(frame)).toEqual([expect.stringMatching(/DreamFactory is unreachable.*Users are shown by id\./)]);
      expect(labelOf(frame, '3')).not.toBe(sim.store.users.find((u) => u.id === 3)!.email);
      expect(response.results.U).toEqual({ frames: [], error: expect.stringMatching(/DreamFactory is unreachable/) });
    } finally {
      await down.close();
    }
  });

  describe('limit edits', () => {
    // A user's limit: an instance-wide one would also count (and, at this rate, lock out) the relay's own calls.
    const input: LimitInput = {
      name: 'faults relay limit',
      description: 'faults test',
      type: 'instance.user',
      rate: 3,
      period: 'day',
      verb: null,
      is_active: true,
      user_id: 3,
      role_id: null,
      service_id: null,
      endpoint: null,
    };
    const PERIODS: Record<string, LimitInput['period']> = { '500': 'day', '429': '7-day', unreachable: '30-day' };
    const relay = async (proxy: QueryProxy, method: 'POST' | 'PATCH', url: string, payload: object) => {
      const response = await proxy.app.inject({
        method,
        url: `/api${url}`,
        payload,
        headers: { [PROXY_TOKEN_HEADER]: TOKEN },
      });
      return { status: response.statusCode, body: response.json() as RelayError & { id?: number } };
    };

    it.each(FAILURES)('answer a clear error and change nothing when DreamFactory answers %s', async (name, failure) => {
      faults.rule = () => ({ kind: 'pass' });
      const proxy = await proxyVia(faults.url);
      // DreamFactory allows one limit per type/period/target: one period per case.
      const mine = { ...input, name: `${input.name} ${name}`, period: PERIODS[name] };
      const created = await relay(proxy, 'POST', '/limits', mine);
      expect({ status: created.status, error: created.body.error }).toEqual({ status: 201, error: undefined });
      const id = created.body.id!;
      const before = JSON.stringify(sim.store.limits);

      faults.rule = (r) => (isLimitWrite(r) ? failure : { kind: 'pass' });
      const post = await relay(proxy, 'POST', '/limits', { ...mine, name: `${mine.name} 2`, verb: 'GET' });
      const patch = await relay(proxy, 'PATCH', `/limits/${id}`, { rate: 50 });
      for (const answer of [post, patch]) {
        if (failure.kind === 'unreachable') {
          expect(answer).toEqual({
            status: 502,
            body: expect.objectContaining({
              source: 'unreachable',
              error: expect.stringMatching(/^DreamFactory could not be reached, nothing was changed\./),
            }),
          });
        } else {
          const status = (failure as { status: number }).status;
          expect(answer).toEqual({
            status,
            body: expect.objectContaining({ source: 'dreamfactory', error: expect.stringContaining('Injected') }),
          });
        }
      }
      expect(JSON.stringify(sim.store.limits)).toBe(before);
      expect(faults.seen.some((r) => isLimitWrite(r) && r.action !== 'pass')).toBe(true);
    });
  });
});
