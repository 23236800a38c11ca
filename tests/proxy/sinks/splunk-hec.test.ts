/**
 * The Splunk sink against the test HEC (tests/splunk-hec, built from Splunk's published protocol) and a real disk
 * queue: delivery, gzip, busy and outage retries, dead letters with HEC's reason, and the token kept out of logs.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { HecServer } from '../../splunk-hec/hec-server';
import { enabledSplunk, SplunkHecClient } from '../../../proxy/src/clients/splunk-hec';
import { loadConfig } from '../../../proxy/src/config';
import { createLogger } from '../../../proxy/src/logger';
import { DiskQueue } from '../../../proxy/src/queue/disk-queue';
import { encodeEvent } from '../../../proxy/src/sinks/bulk-record';
import { counterValue } from '../../../proxy/src/testing/metric-value';
import { waitFor } from '../../../proxy/src/testing/wait';
import { createSplunkMetrics, SplunkHecSink } from '../../../proxy/src/sinks/splunk-hec';

const TOKEN = '5b3c1f2e-7d4a-4c8e-9f00-112233445566';
const ACK_TOKEN = '7e1d0c9b-1111-4222-8333-444455556666';
const event = (n: number) => ({ id: `ev-${n}`, doc: { '@timestamp': `2026-11-23T10:00:0${n % 10}.000Z`, message: `m${n}`, source_hostname: 'df-1' } });
/** The event as the pipeline stores it in the queue. */
const record = (n: number) => encodeEvent({ id: event(n).id, timestamp: event(n).doc['@timestamp'], json: JSON.stringify(event(n).doc) }, 'logstash-dreamfactory-', new Date());

describe('SplunkHecSink', () => {
  let dir: string;
  let hec: HecServer;
  let queue: DiskQueue;
  let sink: SplunkHecSink | undefined;
  let client: SplunkHecClient;
  let metrics: ReturnType<typeof createSplunkMetrics>;
  let logged: string;

  const start = (overrides: Record<string, unknown> = {}) => {
    const config = loadConfig(
      {},
      {
        splunk: {
          url: hec.url,
          token: TOKEN,
          index: 'dreamfactory',
          batchMaxEvents: 4,
          flushIntervalMs: 10,
          retryInitialMs: 5,
          retryMaxMs: 40,
          deadLetterFile: join(dir, 'splunk-dead-letter.jsonl'),
          ...overrides,
        },
      }
    ).splunk;
    const enabled = enabledSplunk(config)!;
    client = new SplunkHecClient(enabled);
    metrics = createSplunkMetrics(new Registry());
    logged = '';
    const logger = createLogger('debug', new Writable({ write: (chunk, _enc, done) => ((logged += String(chunk)), done()) }));
    sink = new SplunkHecSink({ config, client, consumer: queue.consumer('splunk'), metrics, logger });
    sink.start();
    return config;
  };
  const appendEvents = (from: number, to: number) => Promise.all(Array.from({ length: to - from + 1 }, (_, i) => queue.append([record(from + i)])));

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dfi-splunk-'));
    hec = await new HecServer({ tokens: { [TOKEN]: { allowedIndexes: ['dreamfactory'] }, [ACK_TOKEN]: { ack: true } }, ackDelayMs: 30 }).start();
    queue = await DiskQueue.open({ dir: join(dir, 'queue'), maxBytes: 1 << 20, consumers: ['splunk'] });
  });
  afterEach(async () => {
    await sink?.stop();
    sink = undefined;
    client.close();
    await queue.close();
    await hec.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('delivers every event once, gzipped, with time, host, sourcetype, index and the event id', async () => {
    start();
    await appendEvents(1, 10);
    await waitFor(() => queue.depth.records === 0, 'acknowledged');
    expect(hec.events.map((e) => e.fields?.event_id)).toEqual(Array.from({ length: 10 }, (_, i) => `ev-${i + 1}`));
    expect(hec.events[0]).toMatchObject({ index: 'dreamfactory', sourcetype: 'dreamfactory', host: 'df-1', time: 1795428001, event: { message: 'm1' } });
    expect(hec.requests.every((r) => r.gzip && r.path === '/services/collector/event')).toBe(true);
    expect(await counterValue(metrics.sent, {})).toBe(10);
  });

  it('retries while HEC is busy, then delivers everything exactly once', async () => {
    hec.busy(3);
    start();
    await appendEvents(1, 4);
    await waitFor(() => queue.depth.records === 0, 'acknowledged');
    expect(hec.requests.map((r) => r.reply.code)).toEqual([9, 9, 9, 0]);
    expect(hec.events).toHaveLength(4);
    expect(await counterValue(metrics.failed, { kind: 'busy' })).toBe(3);
  });

  it('keeps events through an outage while appends go on, and delivers all of them when HEC is back', async () => {
    await hec.stop();
    start();
    await appendEvents(1, 3);
    await waitFor(async () => (await counterValue(metrics.failed, { kind: 'unreachable' })) >= 2, 'failed attempts');
    await appendEvents(4, 6);
    expect(queue.depth.records).toBe(6);
    await hec.start();
    await waitFor(() => queue.depth.records === 0, 'acknowledged after the outage', 10000);
    expect(hec.events.map((e) => e.fields?.event_id).sort()).toEqual(['ev-1', 'ev-2', 'ev-3', 'ev-4', 'ev-5', 'ev-6']);
  });

  it('dead-letters a batch refused for its token, with HEC\'s reason, and never logs the token', async () => {
    const config = start({ token: '00000000-0000-0000-0000-000000000000' });
    await appendEvents(1, 2);
    await waitFor(() => queue.depth.records === 0, 'acknowledged');
    const lines = (await readFile(config.deadLetterFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.event_id, l.reason])).toEqual([
      ['ev-1', 'Invalid token (HEC code 4, HTTP 403)'],
      ['ev-2', 'Invalid token (HEC code 4, HTTP 403)'],
    ]);
    expect(JSON.parse(lines[0].hec_event).event.message).toBe('m1');
    expect(hec.events).toEqual([]);
    expect(await counterValue(metrics.deadLettered, { kind: 'token' })).toBe(2);
    expect(logged).toContain('Invalid token');
    expect(logged).not.toContain('00000000-0000-0000-0000-000000000000');
  });

  it('dead-letters events for an index the token may not write', async () => {
    const config = start({ index: 'main' });
    await appendEvents(1, 2);
    await waitFor(() => queue.depth.records === 0, 'acknowledged');
    expect(await readFile(config.deadLetterFile, 'utf8')).toContain('Incorrect index (HEC code 7, HTTP 400)');
  });

  it('with indexer acknowledgement, counts a batch delivered only once Splunk confirms it indexed', async () => {
    start({ token: ACK_TOKEN, ack: true, ackPollMs: 5 });
    await appendEvents(1, 6);
    await waitFor(() => queue.depth.records === 0, 'acknowledged');
    expect(hec.events.map((e) => e.fields?.event_id)).toEqual(['ev-1', 'ev-2', 'ev-3', 'ev-4', 'ev-5', 'ev-6']);
    expect(hec.requests.every((r) => r.reply.ackId !== undefined)).toBe(true);
  });

  it('sends a batch again when Splunk never confirms it indexed, and keeps it in the queue meanwhile', async () => {
    await hec.stop();
    hec = await new HecServer({ tokens: { [ACK_TOKEN]: { ack: true } }, ackDelayMs: 10 * 60_000 }).start();
    start({ token: ACK_TOKEN, ack: true, ackPollMs: 5, ackTimeoutMs: 50 });
    await appendEvents(1, 2);
    await waitFor(async () => (await counterValue(metrics.failed, { kind: 'unacknowledged' })) >= 2, 'unconfirmed batches sent again');
    expect(queue.depth.records).toBe(2);
    expect(hec.requests.length).toBeGreaterThanOrEqual(2);
  });

  it('leaves the batch unacknowledged when stopped during an outage, so it replays', async () => {
    await hec.stop();
    start();
    await appendEvents(1, 2);
    await waitFor(async () => (await counterValue(metrics.failed, { kind: 'unreachable' })) >= 1, 'first attempt');
    await sink!.stop();
    await queue.close();
    queue = await DiskQueue.open({ dir: join(dir, 'queue'), maxBytes: 1 << 20, consumers: ['splunk'] });
    expect(queue.recovery.replayed).toBe(2);
  });
});

describe('Splunk config', () => {
  it('is off without a URL and names the variable when a URL comes without a token', () => {
    expect(enabledSplunk(loadConfig({}).splunk)).toBeUndefined();
    expect(() => loadConfig({ SPLUNK_HEC_URL: 'https://splunk.example:8088' })).toThrow(/splunk\.token \(env SPLUNK_HEC_TOKEN\): required when a Splunk HEC URL/);
    expect(enabledSplunk(loadConfig({ SPLUNK_HEC_URL: 'https://splunk.example:8088', SPLUNK_HEC_TOKEN: TOKEN }).splunk)?.url).toBe('https://splunk.example:8088');
  });
});
