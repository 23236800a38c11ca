import { appendFile, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskQueue, DiskQueueOptions, QueueBatch, QueueConsumer, QueueFullError } from './disk-queue';
import { segmentPath } from './segments';

const records = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `{"seq":${from + i}}`);
const text = (batch: QueueBatch | undefined) => batch?.records.map((r) => r.toString());
const ES = 'elasticsearch';

async function drain(reader: QueueConsumer, batchSize = 1000): Promise<{ batches: QueueBatch[]; records: string[] }> {
  const batches: QueueBatch[] = [];
  for (let b = await reader.read(batchSize, 1 << 20); b; b = await reader.read(batchSize, 1 << 20)) {
    batches.push(b);
  }
  return { batches, records: batches.flatMap((b) => text(b)!) };
}

describe('DiskQueue', () => {
  let dir: string;
  const open: DiskQueue[] = [];
  const openQueue = async (options: Partial<DiskQueueOptions> = {}) => {
    const queue = await DiskQueue.open({ dir, maxBytes: 1 << 30, consumers: [ES], ...options });
    open.push(queue);
    return queue;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dfi-queue-'));
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((q) => q.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('hands out appended records in order, in batches bounded by count and bytes', async () => {
    const queue = await openQueue();
    const reader = queue.consumer(ES);
    await Promise.all([queue.append(records(20)), ...records(5, 20).map((r) => queue.append([r]))]);
    expect(queue.depth).toEqual({ records: 25, bytes: records(25).join('\n').length + 1 });

    const first = await reader.read(10, 1 << 20);
    expect(text(first)).toEqual(records(10));
    const second = await reader.read(100, 30); // stops once 30 bytes are reached
    expect(text(second)).toEqual(records(3, 10));
    const rest = await drain(reader);
    expect(rest.records).toEqual(records(12, 13));
    expect(await reader.read(10, 1 << 20)).toBeUndefined();
  });

  it('replays everything not acknowledged after a restart, in order', async () => {
    const first = await openQueue();
    await first.append(records(100));
    const reader = first.consumer(ES);
    await reader.read(30, 1 << 20); // read, never acknowledged
    const b = (await reader.read(30, 1 << 20))!;
    await reader.read(30, 1 << 20);
    reader.ack(b); // out of order: b is done but the first batch is not, so nothing may be forgotten yet
    await first.close();

    const second = await openQueue();
    expect(second.recovery).toEqual({ replayed: 100, tornRecords: 0 });
    const replay = await drain(second.consumer(ES));
    expect(replay.records).toEqual(records(100));

    // Now acknowledge a prefix and restart again: only the rest comes back.
    second.consumer(ES).ack(replay.batches[0]);
    await second.close();
    const third = await openQueue();
    expect(third.recovery.replayed).toBe(100 - replay.batches[0].records.length);
    expect((await drain(third.consumer(ES))).records).toEqual(records(100).slice(replay.batches[0].records.length));
  });

  it('keeps every resolved append when the process dies without closing (kill -9)', async () => {
    const crashed = await DiskQueue.open({ dir, maxBytes: 1 << 30, consumers: [ES] });
    await Promise.all([crashed.append(records(250)), crashed.append(records(250, 250), { durable: true })]);
    const batch = (await crashed.consumer(ES).read(200, 1 << 20))!;
    crashed.consumer(ES).ack(batch);
    // No close(): the resolved appends must already be written. The ack position may or may not have been written.
    const reopened = await openQueue();
    const { records: replayed } = await drain(reopened.consumer(ES));
    expect(replayed.length).toBeGreaterThanOrEqual(300);
    expect(replayed).toEqual(records(500).slice(500 - replayed.length));
    // The kernel would close a killed process's files; afterEach does it here (else the GC does, with a warning).
    open.push(crashed);
  });

  it('detects a torn last record, skips it, counts it and keeps accepting', async () => {
    const torn = jest.fn();
    const first = await openQueue();
    await first.append(records(10));
    await first.close();
    await appendFile(segmentPath(dir, 0), '{"seq":10, "half-wri');

    const second = await openQueue({ observer: { depth: () => undefined, torn, error: () => undefined } });
    expect(second.recovery).toEqual({ replayed: 10, tornRecords: 1 });
    expect(torn).toHaveBeenCalledWith(1);
    await second.append(['{"seq":"after"}']);
    expect((await drain(second.consumer(ES))).records).toEqual([...records(10), '{"seq":"after"}']);
  });

  it('refuses appends beyond maxBytes without blocking, and accepts again once acknowledged', async () => {
    const record = 'x'.repeat(99); // 100 bytes with its newline
    const queue = await openQueue({ maxBytes: 1000 });
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => queue.append([record])));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(2);
    expect(refused[0].reason).toBeInstanceOf(QueueFullError);

    queue.consumer(ES).ack((await queue.consumer(ES).read(5, 1 << 20))!);
    await expect(queue.append([record])).resolves.toBeUndefined();
    expect(queue.depth).toEqual({ records: 6, bytes: 600 });
  });

  it('rolls segments and deletes them once fully acknowledged', async () => {
    const queue = await openQueue({ segmentBytes: 200 });
    for (let i = 0; i < 10; i++) {
      await queue.append(records(10, i * 10));
    }
    expect((await readdir(dir)).filter((f) => f.startsWith('seg-')).length).toBeGreaterThan(3);
    const { batches, records: all } = await drain(queue.consumer(ES), 7);
    expect(all).toEqual(records(100));
    batches.forEach((b) => queue.consumer(ES).ack(b));
    await queue.close();
    expect((await readdir(dir)).filter((f) => f.startsWith('seg-'))).toHaveLength(1);
    const reopened = await openQueue({ segmentBytes: 200 });
    expect(reopened.recovery.replayed).toBe(0);
  });

  it('replays everything when the acknowledged position is unreadable', async () => {
    const first = await openQueue();
    await first.append(records(20));
    first.consumer(ES).ack((await first.consumer(ES).read(20, 1 << 20))!);
    await first.close();
    await writeFile(join(dir, `ack-${ES}.json`), '{"segm');
    const second = await openQueue();
    expect((await drain(second.consumer(ES))).records).toEqual(records(20));
  });

  it('wakes a waiting reader when enough records are committed', async () => {
    const queue = await openQueue();
    const waiting = queue.consumer(ES).waitForRecords(3, 60_000);
    await queue.append(records(3));
    await waiting;
    expect(queue.consumer(ES).unread).toBe(3);
  });

  it('rejects a record containing a newline', async () => {
    const queue = await openQueue();
    await expect(queue.append(['a', 'a\nb'])).rejects.toThrow('single lines');
    expect(queue.depth.records).toBe(0);
  });

  it('gives each consumer its own position: one stalled consumer neither blocks nor loses the other', async () => {
    const queue = await openQueue({ consumers: [ES, 'splunk'], segmentBytes: 100 });
    await queue.append(records(30));
    const es = await drain(queue.consumer(ES), 10);
    es.batches.forEach((b) => queue.consumer(ES).ack(b));
    expect(es.records).toEqual(records(30));
    // Splunk has acknowledged nothing: its records stay on disk, and the byte bound counts its backlog.
    expect(queue.depth.records).toBe(30);
    await queue.close();
    expect((await readdir(dir)).filter((f) => f.startsWith('seg-')).length).toBeGreaterThan(1);

    const reopened = await openQueue({ consumers: [ES, 'splunk'], segmentBytes: 100 });
    expect(await reopened.consumer(ES).read(10, 1 << 20)).toBeUndefined();
    const splunk = await drain(reopened.consumer('splunk'), 10);
    expect(splunk.records).toEqual(records(30));
    splunk.batches.forEach((b) => reopened.consumer('splunk').ack(b));
    await reopened.close();
    // Every consumer has passed every closed segment: only the active one is left.
    expect((await readdir(dir)).filter((f) => f.startsWith('seg-'))).toHaveLength(1);
  });

  it('reads the position an earlier single-consumer version stored', async () => {
    const first = await openQueue();
    await first.append(records(10));
    first.consumer(ES).ack((await first.consumer(ES).read(4, 1 << 20))!);
    await first.close();
    await rename(join(dir, `ack-${ES}.json`), join(dir, 'ack.json'));
    const second = await openQueue();
    expect((await drain(second.consumer(ES))).records).toEqual(records(6, 4));
  });

  it('makes a written record readable before its sync, and a durable append waits for one', async () => {
    const queue = await openQueue({ syncIntervalMs: 60_000 });
    await queue.append(records(2));
    expect(text(await queue.consumer(ES).read(10, 1 << 20))).toEqual(records(2));
    await queue.append(records(1, 2), { durable: true });
    expect(text(await queue.consumer(ES).read(10, 1 << 20))).toEqual(records(1, 2));
  });
});
