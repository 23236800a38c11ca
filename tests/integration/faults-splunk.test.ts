/**
 * Splunk HEC as a second destination next to Elasticsearch, through the real proxy (GELF HTTP in, disk queue, both
 * sinks on their own queue cursors): Splunk's HEC (the test tree's, built from Splunk's published protocol) is down
 * for 60 s while events keep arriving. Elasticsearch keeps indexing meanwhile, and once HEC is back it gets every event
 * too: nothing is lost on either side. /api/status shows the outage while it lasts (retries, events pending for Splunk)
 * and every event delivered after.
 */
import { waitFor } from '../../proxy/src/testing/wait';
import { HecServer } from '../splunk-hec/hec-server';
import { ownedTempDir, type OwnedDir } from '../support/lifecycle';
import { dropIndices } from './engine-admin';
import { plainEs, uniquePrefix } from './env';
import { postGelf, sequencedGelf, startTestProxy, type TestProxy } from './ingest-harness';

const HEC_TOKEN = '0f1e2d3c-4b5a-4968-8776-655443322110';
const HOST = 'df-splunk';
const OUTAGE_MS = 60_000;
/** Events a second while HEC is down: a steady trickle, like a quiet DreamFactory. */
const OUTAGE_RATE = 20;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Splunk HEC down for a minute while Elasticsearch ingests', () => {
  jest.setTimeout(5 * 60_000);
  const prefix = uniquePrefix('splunk');
  let dir: OwnedDir;
  let hec: HecServer;
  let proxy: TestProxy;
  let seq = 0;

  const send = async (count: number) => {
    const statuses: number[] = [];
    for (let i = 0; i < count; i++) {
      statuses.push(await postGelf(proxy.httpUrl, sequencedGelf(HOST, seq)));
      seq++;
    }
    return statuses;
  };
  const indexedInEs = async () => {
    await proxy.parts.es.refresh(`${prefix}*`);
    return proxy.parts.es.count(`${prefix}*`, { term: { 'source_hostname.keyword': HOST } });
  };
  /** Events in Splunk by seq, counting repeats (HEC has no idempotent writes; `event_id` tells repeats apart). */
  const splunkSeqs = () => hec.events.map((e) => (e.event as { seq: number }).seq);

  beforeAll(async () => {
    dir = ownedTempDir('dfi-splunk-faults-');
    hec = await new HecServer({ tokens: { [HEC_TOKEN]: { defaultIndex: 'main' } } }).start();
    proxy = await startTestProxy(
      { ...plainEs(), indexPrefix: prefix },
      {
        queueDir: `${dir.path}/queue`,
        overrides: {
          splunk: {
            url: hec.url,
            token: HEC_TOKEN,
            flushIntervalMs: 100,
            retryInitialMs: 200,
            retryMaxMs: 5000,
            deadLetterFile: `${dir.path}/splunk-dead-letter.jsonl`,
          },
        },
      }
    );
    proxy.parts.operations.attach({
      sources: proxy.ingest.sources,
      http: { host: '127.0.0.1', port: Number(new URL(proxy.httpUrl).port) },
      splunk: proxy.ingest.splunkStatus,
    });
  });

  afterAll(async () => {
    await proxy?.stop();
    await hec?.stop();
    await dropIndices(plainEs(), `${prefix}*`);
    await dir?.remove();
  });

  it('keeps Elasticsearch current during the outage and delivers every event to both afterwards', async () => {
    const statuses = await send(100);
    await waitFor(
      async () => (await indexedInEs()) === 100 && hec.events.length === 100,
      'both have the first events',
      60_000
    );

    await hec.stop();
    const outageStarted = Date.now();
    // Sends for most of the outage, then Elasticsearch must have everything while HEC is still down.
    while (Date.now() - outageStarted < OUTAGE_MS - 15_000) {
      const second = Date.now();
      statuses.push(...(await send(OUTAGE_RATE)));
      await sleep(Math.max(0, 1000 - (Date.now() - second)));
    }
    const sentDuringOutage = seq;
    await waitFor(
      async () => (await indexedInEs()) === sentDuringOutage,
      'Elasticsearch has every event sent during the outage',
      15_000
    );
    const esCaughtUpMs = Date.now() - outageStarted;
    const splunkRetries = await proxy.metric('insights_splunk_failed_total', { kind: 'unreachable' });
    const queuedForSplunk = hec.events.length;
    expect(queuedForSplunk).toBe(100);
    const duringOutage = (await proxy.parts.operations.status()).splunk;
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - outageStarted)));

    await hec.start();
    const backAt = Date.now();
    statuses.push(...(await send(100)));
    await waitFor(() => new Set(splunkSeqs()).size === seq, 'Splunk has every event', 120_000);
    const splunkCaughtUpMs = Date.now() - backAt;
    await waitFor(async () => (await indexedInEs()) === seq, 'Elasticsearch has every event', 60_000);
    // The sink acknowledges its last batch just after HEC took it.
    await waitFor(() => proxy.ingest.splunkStatus!().pending === 0, 'Splunk owes nothing', 10_000);
    const afterOutage = (await proxy.parts.operations.status()).splunk;

    const seqs = splunkSeqs();
    const esCheck = await proxy.parts.es.search(`${prefix}*`, {
      size: 0,
      query: { term: { 'source_hostname.keyword': HOST } },
      aggs: { seq: { stats: { field: 'seq' } }, repeated: { terms: { field: 'seq', min_doc_count: 2, size: 10 } } },
    });
    const figures = {
      sent: seq,
      accepted: statuses.filter((s) => s === 202).length,
      outageMs: OUTAGE_MS,
      elasticsearchCaughtUpAfterMs: esCaughtUpMs,
      splunkRetriesWhileDown: splunkRetries,
      splunkCaughtUpAfterRestartMs: splunkCaughtUpMs,
      splunkEvents: seqs.length,
      splunkRepeats: seqs.length - new Set(seqs).size,
    };
    process.stdout.write(`\nsplunk fault figures: ${JSON.stringify(figures)}\n`);

    expect(statuses.every((s) => s === 202)).toBe(true);
    // Elasticsearch: every event exactly once.
    expect(esCheck.aggregations!.seq).toMatchObject({ min: 0, max: seq - 1, count: seq });
    expect((esCheck.aggregations!.repeated as { buckets: unknown[] }).buckets).toEqual([]);
    // Splunk: every event, to the same seq set; retried while it was down, nothing dead-lettered.
    expect(new Set(seqs)).toEqual(new Set(Array.from({ length: seq }, (_, i) => i)));
    expect(splunkRetries).toBeGreaterThan(0);
    expect(await proxy.metric('insights_splunk_dead_lettered_total')).toBe(0);
    expect(await proxy.metric('insights_splunk_sent_total')).toBeGreaterThanOrEqual(seq);
    // The status page's view: the outage while it lasted, everything delivered after.
    expect(duringOutage).toMatchObject({ url: `${hec.url}/services/collector/event`, delivered: 100, deadLettered: 0, pending: sentDuringOutage - 100 });
    expect(duringOutage!.retries).toBeGreaterThan(0);
    expect(duringOutage!.lastError).toContain('unreachable');
    expect(afterOutage).toMatchObject({ deadLettered: 0, pending: 0 });
    expect(afterOutage!.delivered).toBeGreaterThanOrEqual(seq);
    expect(JSON.stringify(afterOutage)).not.toContain(HEC_TOKEN);
  });
});
