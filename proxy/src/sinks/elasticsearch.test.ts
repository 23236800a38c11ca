/**
 * The sink's retry/ack policy against scripted bulk responses (shapes recorded from Elasticsearch 8.19.21, see
 * __fixtures__). Real-Elasticsearch behaviour is covered by tests/integration/ingest-*.test.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config';
import { createContext, ProxyContext } from '../context';
import { createLogger } from '../logger';
import { DiskQueue } from '../queue/disk-queue';
import { encodeEvent } from '../queue/event-record';
import { ElasticsearchSink } from './elasticsearch';
import { counterValue } from '../testing/metric-value';
import { waitFor } from '../testing/wait';
import recorded from './__fixtures__/bulk-mixed-response.json';

type BulkFn = ProxyContext['es']['bulkIngest'];

const event = (n: number) => ({ id: `ev-${n}`, doc: { '@timestamp': '2026-11-23T10:00:00.000Z', message: `m${n}` } });
const ok = (n: number) => ({ errors: false, items: Array.from({ length: n }, () => ({ index: { status: 201 } })) });
const rejected429 = { index: { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'rejected execution of coordinating operation' } } };

describe('ElasticsearchSink retry and acknowledgement', () => {
  let dir: string;
  let ctx: ProxyContext;
  let queue: DiskQueue;
  let sink: ElasticsearchSink;
  let calls: string[][];

  const start = async (responses: Array<Awaited<ReturnType<BulkFn>> | Error>) => {
    calls = [];
    ctx.es.bulkIngest = (async (operations: string[]) => {
      calls.push(operations);
      const next = responses.shift() ?? ok(operations.length / 2);
      if (next instanceof Error) {
        throw next;
      }
      return next;
    }) as BulkFn;
    sink = new ElasticsearchSink(ctx, queue);
    sink.start();
  };
  const esUp = async () => (await ctx.metrics.esUp.get()).values[0]?.value;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dfi-sink-'));
    const config = loadConfig({}, { sink: { flushIntervalMs: 10, batchMaxDocs: 3, retryInitialMs: 5, retryMaxMs: 20 }, queue: { dir } });
    ctx = createContext(config, createLogger('silent'));
    queue = await DiskQueue.open({ dir, maxBytes: 1 << 20 });
  });
  afterEach(async () => {
    await sink.stop();
    await queue.close();
    await ctx.es.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('indexes into the daily index with the event id, and acknowledges only after Elasticsearch accepted', async () => {
    await start([]);
    await Promise.all([1, 2, 3].map((n) => queue.append(encodeEvent(event(n)))));
    await waitFor(() => queue.depth.records === 0, 'ack');
    expect(calls[0].slice(0, 2)).toEqual([
      JSON.stringify({ index: { _index: 'logstash-dreamfactory-2026.11.23', _id: 'ev-1' } }),
      JSON.stringify(event(1).doc),
    ]);
    expect(await counterValue(ctx.metrics.indexed, {})).toBe(3);
  });

  it('re-sends only the items refused with 429, and acknowledges after they succeed', async () => {
    await start([{ errors: true, items: [{ index: { status: 201 } }, rejected429, { index: { status: 201 } }] }]);
    await Promise.all([1, 2, 3].map((n) => queue.append(encodeEvent(event(n)))));
    await waitFor(() => queue.depth.records === 0, 'ack');
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual([JSON.stringify({ index: { _index: 'logstash-dreamfactory-2026.11.23', _id: 'ev-2' } }), JSON.stringify(event(2).doc)]);
    expect(await counterValue(ctx.metrics.failed, { kind: 'item' })).toBe(1);
    expect(await counterValue(ctx.metrics.indexed, {})).toBe(3);
  });

  it('keeps retrying a failing request while appends continue, then delivers everything', async () => {
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9200'), { name: 'ConnectionError' });
    await start([down, down, down]);
    await Promise.all([1, 2, 3].map((n) => queue.append(encodeEvent(event(n)))));
    await waitFor(() => calls.length >= 2, 'retries');
    expect(await esUp()).toBe(0);
    await queue.append(encodeEvent(event(4))); // receivers are not blocked by the outage
    await waitFor(() => queue.depth.records === 0, 'ack');
    expect(await esUp()).toBe(1);
    expect(await counterValue(ctx.metrics.failed, { kind: 'request' })).toBe(3);
    expect(await counterValue(ctx.metrics.indexed, {})).toBe(4);
  });

  it('writes refused documents (400/404) to the dead-letter index with the reason and the original', async () => {
    await start([{ errors: true, items: recorded.items.slice(0, 3) }]);
    await Promise.all([1, 2, 3].map((n) => queue.append(encodeEvent(event(n)))));
    await waitFor(() => queue.depth.records === 0, 'ack');
    const [action, body] = calls[1];
    expect(JSON.parse(action)).toEqual({ index: { _index: 'dreamfactory-insights-deadletter', _id: 'ev-2' } });
    expect(JSON.parse(body)).toMatchObject({
      event_id: 'ev-2',
      target_index: 'logstash-dreamfactory-2026.11.23',
      status: 400,
      error_type: 'document_parsing_exception',
      error_reason: expect.stringContaining("failed to parse field [level] of type [long]"),
      original: JSON.stringify(event(2).doc),
    });
    expect(calls[1]).toHaveLength(4);
    expect(await counterValue(ctx.metrics.deadLettered, {})).toBe(2);
    expect(await counterValue(ctx.metrics.indexed, {})).toBe(1);
  });

  it('leaves a batch unacknowledged when stopped mid-retry, so it replays on the next open', async () => {
    const down = new Error('socket hang up');
    await start(Array.from({ length: 1000 }, () => down));
    await Promise.all([1, 2].map((n) => queue.append(encodeEvent(event(n)))));
    await waitFor(() => calls.length >= 1, 'first attempt');
    await sink.stop();
    await queue.close();
    queue = await DiskQueue.open({ dir, maxBytes: 1 << 20 });
    expect(queue.recovery.replayed).toBe(2);
  });
});
