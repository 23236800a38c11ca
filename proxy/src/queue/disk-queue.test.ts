import { appendFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskQueue, DiskQueueOptions, QueueBatch, QueueFullError } from './disk-queue';
import { segmentPath } from './segments';

const records = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `{"seq":${from + i}}`);

async function drain(queue: DiskQueue, batchSize = 1000): Promise<{ batches: QueueBatch[]; records: string[] }> {
  const batches: QueueBatch[] = [];
  for (let b = await queue.read(batchSize, 1 << 20); b; b = await queue.read(batchSize, 1 << 20)) {
    batches.push(b);
  }
  return { batches, records: batches.flatMap((b) => b.records) };
}

describe('DiskQueue', () => {
  let dir: string;
  const open: DiskQueue[] = [];
  const openQueue = async (options: Partial<DiskQueueOptions> = {}) => {
    const queue = await DiskQueue.open({ dir, maxBytes: 1 << 30, ...options });
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
    await Promise.all(records(25).map((r) => queue.append(r)));
    expect(queue.depth).toEqual({ records: 25, bytes: records(25).join('\n').length + 1 });

    const first = await queue.read(10, 1 << 20);
    expect(first?.records).toEqual(records(10));
    const second = await queue.read(100, 30); // stops once 30 bytes are reached
    expect(second?.records).toEqual(records(3, 10));
    const rest = await drain(queue);
    expect(rest.records).toEqual(records(12, 13));
    expect(await queue.read(10, 1 << 20)).toBeUndefined();
  });

  it('replays everything not acknowledged after a restart, in order', async () => {
    const first = await openQueue();
    await Promise.all(records(100).map((r) => first.append(r)));
    const a = (await first.read(30, 1 << 20))!;
    const b = (await first.read(30, 1 << 20))!;
    await first.read(30, 1 << 20); // read, never acknowledged
    first.ack(b); // out of order: b is done but a is not, so nothing may be forgotten yet
    await first.close();

    const second = await openQueue();
    expect(second.recovery).toEqual({ replayed: 100, tornRecords: 0 });
    const replay = await drain(second);
    expect(replay.records).toEqual(records(100));

    // Now acknowledge a prefix and restart again: only the rest comes back.
    second.ack(replay.batches[0]);
    await second.close();
    void a;
    const third = await openQueue();
    expect(third.recovery.replayed).toBe(100 - replay.batches[0].records.length);
    expect((await drain(third)).records).toEqual(records(100).slice(replay.batches[0].records.length));
  });

  it('keeps every resolved append when the process dies without closing (kill -9)', async () => {
    const crashed = await DiskQueue.open({ dir, maxBytes: 1 << 30 });
    await Promise.all(records(500).map((r) => crashed.append(r)));
    const batch = (await crashed.read(200, 1 << 20))!;
    crashed.ack(batch);
    // No close(): the resolved appends must already be on disk. The ack position may or may not have been written.
    const reopened = await openQueue();
    const { records: replayed } = await drain(reopened);
    expect(replayed.length).toBeGreaterThanOrEqual(300);
    expect(replayed).toEqual(records(500).slice(500 - replayed.length));
    // The kernel would close a killed process's files; afterEach does it here (else the GC does, with a warning).
    open.push(crashed);
  });

  it('detects a torn last record, skips it, counts it and keeps accepting', async () => {
    const torn = jest.fn();
    const first = await openQueue();
    await Promise.all(records(10).map((r) => first.append(r)));
    await first.close();
    await appendFile(segmentPath(dir, 0), '{"seq":10, "half-wri');

    const second = await openQueue({ observer: { depth: () => undefined, torn, error: () => undefined } });
    expect(second.recovery).toEqual({ replayed: 10, tornRecords: 1 });
    expect(torn).toHaveBeenCalledWith(1);
    await second.append('{"seq":"after"}');
    expect((await drain(second)).records).toEqual([...records(10), '{"seq":"after"}']);
  });

  it('refuses appends beyond maxBytes without blocking, and accepts again once acknowledged', async () => {
    const record = 'x'.repeat(99); // 100 bytes with its newline
    const queue = await openQueue({ maxBytes: 1000 });
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => queue.append(record)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(2);
    expect(refused[0].reason).toBeInstanceOf(QueueFullError);

    queue.ack((await queue.read(5, 1 << 20))!);
    await expect(queue.append(record)).resolves.toBeUndefined();
    expect(queue.depth).toEqual({ records: 6, bytes: 600 });
  });

  it('rolls segments and deletes them once fully acknowledged', async () => {
    const queue = await openQueue({ segmentBytes: 200 });
    for (let i = 0; i < 10; i++) {
      await Promise.all(records(10, i * 10).map((r) => queue.append(r)));
    }
    expect((await readdir(dir)).filter((f) => f.startsWith('seg-')).length).toBeGreaterThan(3);
    const { batches, records: all } = await drain(queue, 7);
    expect(all).toEqual(records(100));
    batches.forEach((b) => queue.ack(b));
    await queue.close();
    expect((await readdir(dir)).filter((f) => f.startsWith('seg-'))).toHaveLength(1);
    const reopened = await openQueue({ segmentBytes: 200 });
    expect(reopened.recovery.replayed).toBe(0);
  });

  it('replays everything when the acknowledged position is unreadable', async () => {
    const first = await openQueue();
    await Promise.all(records(20).map((r) => first.append(r)));
    first.ack((await first.read(20, 1 << 20))!);
    await first.close();
    await writeFile(join(dir, 'ack.json'), '{"segm');
    const second = await openQueue();
    expect((await drain(second)).records).toEqual(records(20));
  });

  it('wakes a waiting reader when enough records are committed', async () => {
    const queue = await openQueue();
    const waiting = queue.waitForRecords(3, 60_000);
    await Promise.all(records(3).map((r) => queue.append(r)));
    await waiting;
    expect(queue.unread).toBe(3);
  });

  it('rejects a record containing a newline', async () => {
    const queue = await openQueue();
    await expect(queue.append('a\nb')).rejects.toThrow('single lines');
    expect(queue.depth.records).toBe(0);
  });
});
