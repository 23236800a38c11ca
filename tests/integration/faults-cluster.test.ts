/**
 * A three-node Elasticsearch cluster (one replica per shard, ES_INDEX_REPLICAS=1) loses a data node to SIGKILL during
 * a sustained ingest run and a stream of dashboard queries, then gets it back. What a user would see is asserted:
 * every event a sender had accepted is indexed exactly once, every query is answered, a search that some shards could
 * not answer says so instead of undercounting, and /api/status shows the node missing and back. The figures go to
 * docs/reliability.md.
 *
 * The node killed holds the primary of today's index (so ingest must fail over to the promoted replica) and, pinned to
 * it, an older daily index with no replica, as a cluster upgraded from one node would still have: while the node is
 * down, that index's shard is missing.
 */
import { loadavg } from 'node:os';
import { PROXY_TOKEN_HEADER } from '@shared/headers';
import { FRAME_COLUMNS, migrateQuery, type QueryRequest, type QueryResponse } from '@shared/query';
import type { StatusResponse } from '@shared/status-api';
import { SHARDS_UNAVAILABLE } from '../../proxy/src/clients/elasticsearch-errors';
import { templateNameFor } from '../../proxy/src/setup/index-template';
import { runSetup } from '../../proxy/src/setup/run-setup';
import { startEngine, type RunningEngine } from '../elasticsearch/es-runner';
import { createIndex } from './engine-admin';
import { plainEs, uniquePrefix } from './env';
import { postGelf, sequencedGelf, startTestProxy, type TestProxy } from './ingest-harness';
import { dailyIndex } from './query-data';

const TOKEN = 'cluster-faults-token-0123456789';
const HOST = 'df-cluster';
const OLD_EVENTS = 300;
/** Sender pacing: a burst, then a pause; sustained, yet leaves the shared machine's CPU to the cluster. */
const BURST = 10;
const PAUSE_MS = 40;
const QUERY_EVERY_MS = 250;

type Phase = 'before' | 'outage' | 'recovering' | 'after';

interface Answer {
  phase: Phase;
  ok: boolean;
  /** calls in the older (unreplicated) day */
  oldCalls?: number;
  notice?: string;
  error?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) {
      return value;
    }
    await sleep(250);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
}

describe('a three-node cluster losing a data node', () => {
  jest.setTimeout(15 * 60_000);
  const prefix = uniquePrefix('cluster');
  const now = new Date();
  const todayIndex = dailyIndex(prefix, now.toISOString());
  const olderDay = new Date(now.getTime() - 2 * 86_400_000).toISOString().slice(0, 10);
  const olderIndex = dailyIndex(prefix, olderDay);
  const oldRange = { from: `${olderDay}T00:00:00.000Z`, to: `${olderDay}T23:59:59.999Z` };
  let cluster: RunningEngine;
  let proxy: TestProxy;

  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${proxy.httpUrl}/api${path}`, {
      method,
      headers: { [PROXY_TOKEN_HEADER]: TOKEN, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (response.status !== 200) {
      throw new Error(`${method} /api${path} answered ${response.status}: ${await response.text()}`);
    }
    return (await response.json()) as T;
  };
  const status = () => api<StatusResponse>('GET', '/status');
  /** A node that is up, for direct reads while another one is down. */
  const living = () => cluster.nodes.find((node) => node.running)!.url;
  const engineGet = async <T>(path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${living()}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    cluster = await startEngine({ nodes: 3, heap: '384m' });
    proxy = await startTestProxy(
      { ...plainEs(), urls: cluster.urls, indexPrefix: prefix, replicas: 1 },
      { overrides: { apiToken: TOKEN } }
    );
  }, 10 * 60_000);

  afterAll(async () => {
    await proxy?.stop();
    await cluster?.stop();
  });

  it('indexes every accepted event exactly once and keeps answering queries, saying when shards are missing', async () => {
    const setup = (await runSetup({ config: proxy.parts.config, es: proxy.parts.es })).result;
    expect(setup.ok).toBe(true);
    const template = await proxy.parts.es.getIndexTemplate(templateNameFor(prefix));
    expect(template?.template?.settings).toMatchObject({ index: { number_of_replicas: '1' } });

    let seq = 0;
    const statuses: number[] = [];
    let sending = true;
    const sender = (async () => {
      while (sending) {
        for (let i = 0; i < BURST; i++) {
          statuses.push(await postGelf(proxy.httpUrl, sequencedGelf(HOST, seq)));
          seq++;
        }
        await sleep(PAUSE_MS);
      }
    })();

    // Today's index exists once the first events are in; its primary decides which node goes down.
    await until('the first events are searchable', 120_000, async () => {
      await proxy.parts.es.refresh(todayIndex);
      return (await proxy.parts.es.count(todayIndex)) > 0 || undefined;
    });
    const shards = await engineGet<Array<{ prirep: string; node: string }>>(
      `/_cat/shards/${todayIndex}?format=json&h=prirep,node`
    );
    const victimName = shards.find((s) => s.prirep === 'p')!.node;
    const victim = cluster.nodes.findIndex((node) => node.name === victimName);
    expect(victim).toBeGreaterThanOrEqual(0);

    // The older day: no replica, on the victim only.
    await createIndex({ ...plainEs(), urls: [living()] }, olderIndex, {
      settings: { number_of_replicas: 0, 'index.routing.allocation.require._name': victimName },
    });
    const olderStart = Date.parse(oldRange.from);
    await proxy.parts.es.bulk(
      Array.from({ length: OLD_EVENTS }, (_, i) => [
        { create: { _index: olderIndex } },
        {
          '@timestamp': new Date(olderStart + i * 1000).toISOString(),
          message: 'older',
          host: { name: 'df-old' },
          event: {
            request: { method: 'GET', path: '/api/v2/old' },
            response: { status_code: 200, status_class: '2xx' },
          },
        },
      ]).flat(),
      true
    );

    let phase: Phase = 'before';
    const answers: Answer[] = [];
    let querying = true;
    const request: QueryRequest = {
      range: oldRange,
      queries: [migrateQuery({ refId: 'O', queryType: 'activity', groupBy: [] })],
    };
    const querier = (async () => {
      while (querying) {
        const at = phase;
        try {
          const result = (await api<QueryResponse>('POST', '/query', request)).results.O;
          const frame = result.frames[0];
          answers.push({
            phase: at,
            ok: result.error === undefined,
            error: result.error,
            oldCalls: Number(frame?.fields.find((f) => f.name === FRAME_COLUMNS.calls)?.values[0] ?? 0),
            notice: frame?.meta?.notices?.map((n) => n.text).join(' '),
          });
        } catch (err) {
          answers.push({ phase: at, ok: false, error: (err as Error).message });
        }
        await sleep(QUERY_EVERY_MS);
      }
    })();
    await until('a complete answer before the fault', 30_000, async () =>
      answers.some((a) => a.oldCalls === OLD_EVENTS) ? true : undefined
    );

    const load = loadavg()[0];
    const killedAt = Date.now();
    await cluster.kill(victim);
    phase = 'outage';
    const lost = await until('status shows the node missing', 120_000, async () => {
      const s = (await status()).elasticsearch;
      return s.nodes && s.nodes.count === 2 ? s : undefined;
    });
    const detectedMs = Date.now() - killedAt;
    // Outage long enough for many queries and bulk requests to meet the missing node.
    await sleep(20_000);
    const duringOutage = (await status()).elasticsearch;

    phase = 'recovering';
    const restartAt = Date.now();
    await cluster.restart(victim);
    const back = await until('status shows every node and no missing shard', 300_000, async () => {
      const s = (await status()).elasticsearch;
      return s.nodes?.count === 3 && s.nodes.unassignedShards === 0 ? s : undefined;
    });
    const recoveredMs = Date.now() - restartAt;
    phase = 'after';
    await until('a complete answer after the fault', 60_000, async () =>
      answers.some((a) => a.phase === 'after' && a.oldCalls === OLD_EVENTS && !a.notice) ? true : undefined
    );
    sending = false;
    querying = false;
    await Promise.all([sender, querier]);

    // Every event the proxy accepted is searchable exactly once.
    const accepted = statuses.filter((s) => s === 202).length;
    // `match`: the product template maps source_hostname as a keyword, without a `.keyword` sub-field.
    const sentQuery = { match: { source_hostname: HOST } };
    await until(`all ${accepted} accepted events are indexed`, 300_000, async () => {
      await proxy.parts.es.refresh(`${prefix}*`);
      return (await proxy.parts.es.count(`${prefix}*`, sentQuery)) >= accepted || undefined;
    });
    const check = await proxy.parts.es.search(`${prefix}*`, {
      size: 0,
      track_total_hits: true,
      query: sentQuery,
      aggs: { seq: { stats: { field: 'seq' } }, repeated: { terms: { field: 'seq', min_doc_count: 2, size: 10 } } },
    });
    const total = typeof check.hits.total === 'number' ? check.hits.total : check.hits.total!.value;
    const seqStats = check.aggregations!.seq as { min: number; max: number; count: number };
    const repeated = (check.aggregations!.repeated as { buckets: unknown[] }).buckets;

    const inOutage = answers.filter((a) => a.phase === 'outage');
    const figures = {
      loadAverageAtKill: Number(load.toFixed(1)),
      sent: seq,
      accepted,
      indexed: total,
      lost: accepted - total + repeated.length,
      duplicated: repeated.length,
      nodeLossShownInStatusAfterMs: detectedMs,
      statusDuringOutage: { nodes: duringOutage.nodes, clusterHealth: duringOutage.clusterHealth },
      statusWhenLost: { nodes: lost.nodes, clusterHealth: lost.clusterHealth },
      restartToAllShardsAssignedMs: recoveredMs,
      statusAfter: { nodes: back.nodes, clusterHealth: back.clusterHealth },
      queries: answers.length,
      queryErrors: answers.filter((a) => !a.ok).length,
      queriesDuringOutage: inOutage.length,
      duringOutageShardsUnavailable: inOutage.filter((a) => a.error?.startsWith(SHARDS_UNAVAILABLE)).length,
      duringOutageWithPartialNotice: inOutage.filter((a) => a.notice?.startsWith('Partial results')).length,
      undercountWithoutNotice: answers.filter((a) => a.ok && !a.notice && a.oldCalls !== OLD_EVENTS).length,
    };
    process.stdout.write(`\ncluster fault figures: ${JSON.stringify(figures)}\n`);

    expect(statuses.every((s) => s === 202)).toBe(true);
    expect(total).toBe(accepted);
    expect(repeated).toEqual([]);
    expect(seqStats).toMatchObject({ min: 0, max: seq - 1, count: seq });
    // Before the kill and after recovery every answer is whole; in between, each answer either says shards are missing
    // (a partial-results notice) or, when every shard the range needs is on the lost node, says so as its error.
    const missingShardsSaid = (a: Answer) =>
      a.notice?.startsWith('Partial results') || a.error?.startsWith(SHARDS_UNAVAILABLE);
    expect(
      answers
        .filter((a) => !a.ok && !((a.phase === 'outage' || a.phase === 'recovering') && missingShardsSaid(a)))
        .map((a) => `${a.phase}: ${a.error}`)
    ).toEqual([]);
    expect(figures.undercountWithoutNotice).toBe(0);
    expect(inOutage.length).toBeGreaterThan(0);
    expect(inOutage.every(missingShardsSaid)).toBe(true);
    expect(answers.filter((a) => a.phase === 'after').every((a) => a.ok && a.oldCalls === OLD_EVENTS)).toBe(true);
    expect(lost.nodes).toMatchObject({ count: 2, dataNodes: 2 });
    expect(duringOutage.nodes!.unassignedShards).toBeGreaterThan(0);
    expect(duringOutage.clusterHealth).toBe('red');
    expect(back.nodes).toMatchObject({ count: 3, dataNodes: 3, unassignedShards: 0 });
  });
});
