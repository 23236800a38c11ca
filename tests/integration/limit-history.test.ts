/**
 * Limit history end to end: `proxy setup` installs the limit template; the sampler reads the DreamFactory simulator
 * while calls go through its limit enforcement (session-token calls to `db`) until a limit answers 429, and the
 * documents in real Elasticsearch show that trip exactly once — across more samples, a DreamFactory outage, a sampler
 * restart and a bulk request whose answer was lost after Elasticsearch applied it.
 */
import { DreamFactoryClient } from '../../proxy/src/clients/dreamfactory';
import { ElasticsearchClient } from '../../proxy/src/clients/elasticsearch';
import { loadConfig, type Config } from '../../proxy/src/config';
import { createLogger } from '../../proxy/src/logger';
import { createMetrics } from '../../proxy/src/metrics';
import { UserDirectory } from '../../proxy/src/dreamfactory/directory';
import type { CounterDocument, LimitHistoryDocument } from '../../proxy/src/limit-history/document';
import { limitTemplateNameFor } from '../../proxy/src/setup/limit-index-template';
import { LimitSampler } from '../../proxy/src/limit-sampler';
import { templateNameFor } from '../../proxy/src/setup/index-template';
import { runSetup } from '../../proxy/src/setup/run-setup';
import { startSimulator, type Simulator } from '../dreamfactory-sim/server';
import { startFaultProxy } from './faults-http';
import { plainEs, uniquePrefix } from './env';

describe('limit history against the DreamFactory simulator and real Elasticsearch', () => {
  const eventPrefix = uniquePrefix('limit-events');
  const limitPrefix = uniquePrefix('limit-history');
  let es: ElasticsearchClient;
  let sim: Simulator;
  let config: Config;

  beforeAll(async () => {
    sim = await startSimulator({ users: 6, admins: 1, seed: 9, limits: false });
    config = loadConfig(
      {},
      {
        elasticsearch: { ...plainEs(), indexPrefix: eventPrefix, limitIndexPrefix: limitPrefix },
        dreamfactory: { url: sim.url, apiKey: sim.apiKey },
      }
    );
    es = new ElasticsearchClient(config.elasticsearch);
  });

  afterAll(async () => {
    await es.raw.indices.delete({ index: `${limitPrefix}*,${eventPrefix}*`, ignore_unavailable: true });
    for (const name of [limitTemplateNameFor(limitPrefix), templateNameFor(eventPrefix)]) {
      await es.raw.indices.deleteIndexTemplate({ name }, { ignore: [404] });
    }
    await es.close();
    await sim.close();
  });

  function sampler(dfUrl = sim.url, esClient = es) {
    const metrics = createMetrics();
    const df = new DreamFactoryClient({ ...config.dreamfactory, url: dfUrl, timeoutMs: 2000 }, () =>
      metrics.limitDreamFactoryRequests.inc()
    );
    return new LimitSampler(
      { intervalSeconds: 30, indexPrefix: limitPrefix },
      {
        dreamfactory: df,
        directory: new UserDirectory(df, 60_000),
        es: esClient,
        esUrls: config.elasticsearch.urls,
        metrics,
        logger: createLogger('silent'),
      }
    );
  }

  /** Every stored document, oldest first. */
  async function stored(): Promise<LimitHistoryDocument[]> {
    await es.refresh(`${limitPrefix}*`);
    const found = await es.search<LimitHistoryDocument>(`${limitPrefix}*`, {
      size: 10000,
      sort: [{ '@timestamp': { order: 'asc' } }],
    });
    return found.hits.hits.map((hit) => hit._source!);
  }

  const trips = (docs: LimitHistoryDocument[]) =>
    docs.filter((d): d is CounterDocument => d.kind === 'counter' && d.trip);

  /**
   * A session-token call to the `db` service, as a DreamFactory client app makes it (its API key and the user's
   * session token; without the key a non-admin's call is refused before any limit counts it); answers the HTTP status.
   */
  async function call(token: string): Promise<number> {
    const response = await fetch(`${sim.url}/api/v2/db/_table/contact`, {
      headers: { 'x-dreamfactory-api-key': sim.apiKey, 'x-dreamfactory-session-token': token },
    });
    await response.arrayBuffer();
    return response.status;
  }

  it('setup installs the limit template next to the event template, and a rerun changes nothing', async () => {
    const first = (await runSetup({ config, es })).result;
    expect(first.steps.filter((s) => s.id.startsWith('limit-')).map((s) => [s.id, s.outcome])).toEqual([
      ['limit-template', 'created'],
      ['limit-conflicts', 'ok'],
    ]);
    const again = (await runSetup({ config, es })).result;
    expect(again.steps.find((s) => s.id === 'limit-template')?.outcome).toBe('unchanged');
  });

  it('shows a limit driven to 429 by calls as exactly one trip, however many samples see it locked out', async () => {
    const user = sim.store.nonAdmins().find((u) => u.is_active)!;
    const created = await fetch(`${sim.url}/api/v2/system/limit`, {
      method: 'POST',
      headers: { 'x-dreamfactory-api-key': sim.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({
        resource: [
          {
            name: 'Three an hour',
            type: 'instance.user.service',
            user_id: user.id,
            service_id: 5,
            rate: 3,
            period: 'hour',
          },
        ],
      }),
    });
    const limitId = ((await created.json()) as { resource: Array<{ id: number }> }).resource[0].id;
    const token = await sim.mintToken(user.id);
    const limitSampler = sampler();

    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(await call(token));
      expect(await limitSampler.sampleOnce()).toBe('sampled');
    }
    await limitSampler.sampleOnce();
    expect(statuses).toEqual([200, 200, 200, 429, 429]);

    const docs = await stored();
    expect(trips(docs)).toEqual([
      expect.objectContaining({
        limit: expect.objectContaining({
          id: limitId,
          name: 'Three an hour',
          type: 'instance.user.service',
          period: 'hour',
          rate: 3,
        }),
        user: { id: String(user.id), name: user.name, email: user.email },
        service: { id: 5, name: 'db' },
        counter: expect.objectContaining({ attempts: 3, max: 3, remaining: 0, locked_out: true }),
      }),
    ]);
    const counterDocs = docs.filter((d): d is CounterDocument => d.kind === 'counter');
    expect(counterDocs.map((d) => [d.counter.attempts, d.trip])).toEqual([
      [1, false],
      [2, false],
      [3, true],
      [3, false],
      [3, false],
      [3, false],
    ]);
    expect(limitSampler.status()).toMatchObject({ tripsSinceStart: 1, pendingDocuments: 0, droppedDocuments: 0 });
  });

  it('records DreamFactory being down as a gap with its reason, and a restarted sampler does not count the trip again', async () => {
    const down = sampler('http://127.0.0.1:1');
    expect(await down.sampleOnce()).toBe('gap');
    const restarted = sampler();
    expect(await restarted.sampleOnce()).toBe('sampled');
    const docs = await stored();
    const gaps = docs.filter((d) => d.kind === 'gap');
    expect(gaps).toEqual([
      expect.objectContaining({
        gap: expect.objectContaining({
          reason: expect.stringContaining('DreamFactory is unreachable at http://127.0.0.1:1'),
        }),
      }),
    ]);
    expect(docs.filter((d) => d['@timestamp'] === gaps[0]['@timestamp'])).toHaveLength(1);
    expect(trips(docs)).toHaveLength(1);
    expect(restarted.status().tripsSinceStart).toBe(0);
  });

  it('writes a sample once when Elasticsearch applied a bulk request but its answer was lost', async () => {
    let lost = 0;
    const faults = await startFaultProxy(plainEs().urls[0], (request) =>
      request.path.startsWith('/_bulk') && lost++ === 0
        ? { kind: 'rewrite', rewrite: () => ({ status: 502, body: 'upstream connection lost' }) }
        : { kind: 'pass' }
    );
    const viaFaults = new ElasticsearchClient({ ...config.elasticsearch, urls: [faults.url] });
    try {
      const before = (await stored()).length;
      const flaky = sampler(sim.url, viaFaults);
      await flaky.sampleOnce();
      expect(flaky.status()).toMatchObject({
        pendingDocuments: 2,
        lastError: expect.stringContaining('Elasticsearch did not take the limit samples'),
      });
      await flaky.sampleOnce();
      expect(flaky.status().pendingDocuments).toBe(0);
      // Two samples of one limit with one counter: four documents, though the first two were sent twice.
      expect((await stored()).length - before).toBe(4);
      expect(faults.seen.filter((r) => r.path.startsWith('/_bulk'))).toHaveLength(2);
    } finally {
      await viaFaults.close();
      await faults.close();
    }
  });
});
