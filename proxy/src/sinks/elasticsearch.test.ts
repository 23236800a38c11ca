/**
 * The sink's retry/ack policy against scripted bulk responses (shapes recorded from Elasticsearch 8.19.21, see
 * __fixtures__). Real-Elasticsearch behaviour is covered by tests/integration/ingest-*.test.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BulkIngestResponse } from '../clients/elasticsearch';
import { Config, loadConfig } from '../config';
import { createLogger } from '../logger';
import { createMetrics, Metrics } from '../metrics';
import { DiskQueue } from '../queue/disk-queue';
import { encodeEvent } from './bulk-record';
import { ElasticsearchSink } from './elasticsearch';
import { counterValue } from '../testing/metric-value';
import { waitFor } from '../testing/wait';
import recorded from './__fixtures__/bulk-mixed-response.json';

const doc = (n: number) => ({ '@timestamp': '2026-11-23T10:00:00.000Z', message: `m${n}` });
const record = (n: number) => encodeEvent({ id: `ev-${n}`, timestamp: doc(n)['@timestamp'], json: JSON.stringify(doc(n)) }, 'logstash-dreamfactory-', new Date());
const CONSUMER = 'elasticsearch';
const ok = (n: number) => ({ errors: false, items: Array.from({ length: n }, () => ({ index: { status: 201 } })) });
const rejected429 = { index: { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'rejected execution of coordinating operation' } } };

describe('ElasticsearchSink retry and acknowledgement', () => {
  let dir: string;
  let config: Config;
  let metrics: Metrics;
  let queue: DiskQueue;
  let sink: ElasticsearchSink;
  /** Each request body, as its lines. */
  let calls: string[][];

  const start = async (responses: Array<BulkIngestResponse | Error>) => {
    calls = [];
    const writer = {
      async bulkIngest(ndjson: Buffer) {
        const lines = ndjson.toString().split('\n');
        expect(lines.pop()).toBe(''); // every line, the last included, ends with a newline
        calls.push(lines);
        const next = responses.shift() ?? ok(lines.length / 2);
        if (next instanceof Error) {
          throw next;
        }
        return next;
      },
    };
    const logger = createLogger('silent');
    sink = new ElasticsearchSink({ writer, consumer: queue.consumer(CONSUMER), sink: config.sink, elasticsearch: config.elasticsearch, counters: metrics.ingest, metrics, logger });
    sink.start();
  };
  const esUp = async () => (await metrics.esUp.get()).values[0]?.value;
  const append = (...ns: number[]) => queue.append(ns.map(record));

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dfi-sink-'));
    config = loadConfig({}, { sink: { flushIntervalMs: 10, batchMaxDocs: 3, retryInitialMs: 5, retryMaxMs: 20 }, queue: { dir } });
    metrics = createMetrics();
    queue = await DiskQueue.open({ dir, maxBytes: 1 << 20, consumers: [CONSUMER] });
  });
  afterEach(async () => {
    await sink.stop();
    await queue.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('indexes into the daily index with the event id, and acknowledges only after Elasticsearch accepted', async () => {
    await start([]);
    await append(1, 2, 3);
    await waitFor(() => queue.depth.records === 0, 'ack');
    expect(calls[0].slice(0, 2)).toEqual([
      JSON.stringify({ index: { _index: 'logstash-dreamfactory-2026.11.23', _id: 'ev-1' } }),
      JSON.stringify(doc(1)),
    ]);
    expect(await counterValue(metrics.indexed, {})).toBe(3);
  });

  it('re-sends only the items refused with 429, and acknowledges after they succeed', async () => {
    await start([{ errors: true, items: [{ index: { status: 201 } }, rejected429, { index: { status: 201 } }] }]);
    await append(1, 2, 3);
    await waitFor(() => queue.depth.records === 0, 'ack');
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual([JSON.stringify({ index: { _index: 'logstash-dreamfactory-2026.11.23', _id: 'ev-2' } }), JSON.stringify(doc(2))]);
    expect(await counterValue(metrics.failed, { kind: 'item' })).toBe(1);
    expect(await counterValue(metrics.indexed, {})).toBe(3);
  });

  it('keeps retrying a failing request while appends continue, then delivers everything', async () => {
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9200'), { name: 'ConnectionError' });
    await start([down, down, down]);
    await append(1, 2, 3);
    await waitFor(() => calls.length >= 2, 'retries');
    expect(await esUp()).toBe(0);
    await append(4); // receivers are not blocked by the outage
    await waitFor(() => queue.depth.records === 0, 'ack');
    expect(await esUp()).toBe(1);
    expect(await counterValue(metrics.failed, { kind: 'request' })).toBe(3);
    expect(await counterValue(metrics.indexed, {})).toBe(4);
  });

  it('writes refused documents (400/404) to the dead-letter index with the reason and the original', async () => {
    await start([{ errors: true, items: recorded.items.slice(0, 3) }]);
    await append(1, 2, 3);
    await waitFor(() => queue.depth.records === 0, 'ack');
    const [action, body] = calls[1];
    expect(JSON.parse(action)).toEqual({ index: { _index: 'dreamfactory-insights-deadletter', _id: 'ev-2' } });
    expect(JSON.parse(body)).toMatchObject({
      event_id: 'ev-2',
      target_index: 'logstash-dreamfactory-2026.11.23',
      status: 400,
      error_type: 'document_parsing_exception',
      error_reason: expect.stringContaining("failed to parse field [level] of type [long]"),
      original: JSON.stringify(doc(2)),
    });
    expect(calls[1]).toHaveLength(4);
    expect(await counterValue(metrics.deadLettered, {})).toBe(2);
    expect(await counterValue(metrics.indexed, {})).toBe(1);
  });

  it('leaves a batch unacknowledged when stopped mid-retry, so it replays on the next open', async () => {
    const down = new Error('socket hang up');
    await start(Array.from({ length: 1000 }, () => down));
    await append(1, 2);
    await waitFor(() => calls.length >= 1, 'first attempt');
    await sink.stop();
    await queue.close();
    queue = await DiskQueue.open({ dir, maxBytes: 1 << 20, consumers: [CONSUMER] });
    expect(queue.recovery.replayed).toBe(2);
  });
});
