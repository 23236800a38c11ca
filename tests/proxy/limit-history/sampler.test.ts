/**
 * The sampler's bookkeeping against the DreamFactory simulator (real HTTP) and a recording stand-in for the
 * Elasticsearch bulk API, whose per-item answers a test can choose. tests/integration/limit-history.test.ts runs the
 * same sampler against real Elasticsearch.
 */
import { startSimulator, type Simulator } from '../../dreamfactory-sim/server';
import type { BulkIngestResponse, estypes } from '../../../proxy/src/clients/elasticsearch';
import { DreamFactoryClient } from '../../../proxy/src/clients/dreamfactory';
import { createLogger } from '../../../proxy/src/logger';
import { createMetrics } from '../../../proxy/src/metrics';
import { UserDirectory } from '../../../proxy/src/dreamfactory/directory';
import type { LimitHistoryDocument } from '../../../proxy/src/limit-history/document';
import { LimitSampler } from '../../../proxy/src/limit-sampler';

type ItemAnswer = 'ok' | 'retry' | 'rejected';

/** Stores what it is sent by `_id` (an index op overwrites), answering each item as `answer` says. */
function recordingStore() {
  const stored = new Map<string, LimitHistoryDocument>();
  const store = {
    stored,
    requests: 0,
    down: false,
    answer: (_doc: LimitHistoryDocument): ItemAnswer => 'ok',
    // Nothing stored before: the sampler starts from an empty memory.
    search: async <TDoc>(): Promise<estypes.SearchResponse<TDoc>> => ({
      took: 0,
      timed_out: false,
      _shards: { total: 0, successful: 0, failed: 0 },
      hits: { hits: [] },
    }),
    bulkIngest: async (ndjson: Buffer): Promise<BulkIngestResponse> => {
      store.requests += 1;
      if (store.down) {
        throw new Error('connect ECONNREFUSED 127.0.0.1:9200');
      }
      const operations = ndjson.toString('utf8').split('\n').filter(Boolean);
      const items: NonNullable<BulkIngestResponse['items']> = [];
      for (let i = 0; i < operations.length; i += 2) {
        const { index } = JSON.parse(operations[i]) as { index: { _id: string } };
        const doc = JSON.parse(operations[i + 1]) as LimitHistoryDocument;
        const answer = store.answer(doc);
        if (answer === 'ok') {
          stored.set(index._id, doc);
        }
        const status = { ok: 201, retry: 429, rejected: 400 }[answer];
        items.push({ index: { status, ...(answer === 'ok' ? {} : { error: { type: answer, reason: 'test' } }) } });
      }
      return { errors: items.some((item) => item.index!.status >= 300), items };
    },
  };
  return store;
}

describe('limit sampler', () => {
  let sim: Simulator;
  let now: number;
  const T0 = Date.parse('2026-03-02T09:00:00Z');

  beforeEach(async () => {
    sim = await startSimulator({ users: 4, admins: 1, seed: 5, limits: false, now: () => now });
    now = T0;
  });

  afterEach(async () => {
    await sim.close();
  });

  function sampler(store: ReturnType<typeof recordingStore>, maxPendingDocuments?: number, url = sim.url) {
    const metrics = createMetrics();
    const df = new DreamFactoryClient({ url, apiKey: sim.apiKey, timeoutMs: 2000, directoryTtlMs: 60000 }, () =>
      metrics.limitDreamFactoryRequests.inc()
    );
    const limitSampler = new LimitSampler(
      { intervalSeconds: 30, indexPrefix: 'limits-', maxPendingDocuments },
      {
        dreamfactory: df,
        directory: new UserDirectory(df, 60000),
        es: store,
        esUrls: ['http://127.0.0.1:9200'],
        metrics,
        logger: createLogger('silent'),
        now: () => now,
      }
    );
    return { limitSampler, metrics };
  }

  const ofKind = (store: ReturnType<typeof recordingStore>, kind: string) =>
    [...store.stored.values()].filter((d) => d.kind === kind);

  it('samples every counter into daily indices, counts its DreamFactory requests, and reports the trip once', async () => {
    const [limit] = sim.store.createLimits([{ name: 'Per user', type: 'instance.each_user', rate: 2, period: 'hour' }]);
    const store = recordingStore();
    const { limitSampler, metrics } = sampler(store);
    const user = sim.store.nonAdmins().find((u) => u.is_active)!;
    for (let i = 0; i < 4; i++) {
      sim.store.recordCall({ service: 'db', userId: user.id, auth: 'jwt' });
      now += 30_000;
      expect(await limitSampler.sampleOnce()).toBe('sampled');
    }
    const trips = ofKind(store, 'counter').filter((d) => d.kind === 'counter' && d.trip);
    expect(trips).toEqual([
      expect.objectContaining({
        user: expect.objectContaining({ id: String(user.id) }),
        limit: expect.objectContaining({ id: limit.id }),
      }),
    ]);
    const status = limitSampler.status();
    expect(status).toMatchObject({
      enabled: true,
      intervalSeconds: 30,
      tripsSinceStart: 1,
      pendingDocuments: 0,
      droppedDocuments: 0,
      lastSampleAt: new Date(now).toISOString(),
    });
    // Per sample: limits list + limit_cache, plus the directory (users and admins) on the first.
    expect((await metrics.limitDreamFactoryRequests.get()).values[0].value).toBe(4 * 2 + 2);
    expect(status.dreamFactoryRequestsPerMinute).toBeGreaterThan(0);
  });

  it('records DreamFactory being unreachable as a gap with the reason, not as zero counters', async () => {
    sim.store.createLimits([{ name: 'Instance', type: 'instance', rate: 100, period: 'hour' }]);
    const store = recordingStore();
    const { limitSampler: down, metrics } = sampler(store, undefined, 'http://127.0.0.1:1');
    expect(await down.sampleOnce()).toBe('gap');
    expect(ofKind(store, 'gap')).toEqual([
      expect.objectContaining({
        gap: { reason: expect.stringContaining('DreamFactory is unreachable at http://127.0.0.1:1') },
      }),
    ]);
    expect(ofKind(store, 'limit')).toEqual([]);
    expect(down.status().lastError).toContain('DreamFactory is unreachable');
    expect((await metrics.limitSamples.get()).values).toEqual([
      expect.objectContaining({ labels: { outcome: 'gap' }, value: 1 }),
    ]);
  });

  it('keeps documents while Elasticsearch is down and writes each once when it is back', async () => {
    sim.store.createLimits([{ name: 'Instance', type: 'instance', rate: 100, period: 'hour' }]);
    sim.store.recordCall({ service: 'db' });
    const store = recordingStore();
    const { limitSampler } = sampler(store);
    store.down = true;
    await limitSampler.sampleOnce();
    now += 30_000;
    await limitSampler.sampleOnce();
    expect(limitSampler.status()).toMatchObject({
      pendingDocuments: 4,
      lastError: expect.stringContaining('Elasticsearch did not take the limit samples'),
    });
    store.down = false;
    now += 30_000;
    await limitSampler.sampleOnce();
    expect(limitSampler.status()).toMatchObject({ pendingDocuments: 0, droppedDocuments: 0 });
    expect(limitSampler.status()).not.toHaveProperty('lastError');
    // Three samples × (limit + counter), each stored once.
    expect(store.stored.size).toBe(6);
  });

  it('retries only the items Elasticsearch asked to retry, and counts refused and overflowing documents', async () => {
    sim.store.createLimits([{ name: 'Instance', type: 'instance', rate: 100, period: 'hour' }]);
    sim.store.recordCall({ service: 'db' });
    const store = recordingStore();
    const { limitSampler, metrics } = sampler(store, 3);
    store.answer = (doc) => (doc.kind === 'limit' ? 'retry' : 'rejected');
    const dropped = async () =>
      (await metrics.limitDocumentsDropped.get()).values.map((v) => [v.labels.reason, v.value]);
    await limitSampler.sampleOnce();
    expect(limitSampler.status()).toMatchObject({ pendingDocuments: 1, droppedDocuments: 1 });
    now += 30_000;
    await limitSampler.sampleOnce();
    expect(limitSampler.status()).toMatchObject({ pendingDocuments: 2, droppedDocuments: 2 });
    now += 30_000;
    // Four waiting would exceed the buffer of 3: the oldest (the first sample's limit document) goes.
    await limitSampler.sampleOnce();
    expect(limitSampler.status()).toMatchObject({ pendingDocuments: 2, droppedDocuments: 4 });
    expect(await dropped()).toEqual([
      ['rejected', 3],
      ['buffer_full', 1],
    ]);
    // Elasticsearch takes everything again; the next sample's two documents push out one more waiting one first.
    store.answer = () => 'ok';
    now += 30_000;
    await limitSampler.sampleOnce();
    expect(ofKind(store, 'limit').map((d) => d['@timestamp'])).toEqual(
      ['09:01:00', '09:01:30'].map((t) => `2026-03-02T${t}.000Z`)
    );
    expect(limitSampler.status()).toMatchObject({ pendingDocuments: 0, droppedDocuments: 5 });
  });

  it('is off when the interval is 0 or DreamFactory is not configured, and says why', () => {
    const store = recordingStore();
    const metrics = createMetrics();
    const deps = {
      directory: { read: async () => ({}) },
      es: store,
      esUrls: [],
      metrics,
      logger: createLogger('silent'),
    };
    const unconfigured = new DreamFactoryClient({ timeoutMs: 1000, directoryTtlMs: 1000 });
    expect(
      new LimitSampler({ intervalSeconds: 30, indexPrefix: 'l-' }, { ...deps, dreamfactory: unconfigured }).status()
    ).toMatchObject({
      enabled: false,
      disabledReason: 'DreamFactory is not configured (DF_URL and DF_API_KEY).',
    });
    const configured = new DreamFactoryClient({
      url: sim.url,
      apiKey: sim.apiKey,
      timeoutMs: 1000,
      directoryTtlMs: 1000,
    });
    expect(
      new LimitSampler({ intervalSeconds: 0, indexPrefix: 'l-' }, { ...deps, dreamfactory: configured }).status()
    ).toMatchObject({
      enabled: false,
      disabledReason: 'LIMIT_SAMPLE_SECONDS is 0.',
    });
  });
});
