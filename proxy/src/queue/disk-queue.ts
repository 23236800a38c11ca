/**
 * Durable FIFO between the transforms and the Elasticsearch sink. Records (single-line strings) are appended to
 * segment files and group-committed: every append waiting while a write+fdatasync runs goes into the next write, so
 * one fsync covers many events and an append resolves only once its bytes are on disk. The reader hands out batches;
 * the acknowledged position (end of the longest fully acknowledged prefix of batches) is persisted, and segments behind
 * it are deleted. On open, everything after that position is replayed.
 */
import { FileHandle, mkdir, open, unlink } from 'node:fs/promises';
import { AckTracker } from './ack-tracker';
import {
  QueuePosition,
  countRecords,
  listSegments,
  readAckPosition,
  repairTornTail,
  segmentPath,
  writeAckPosition,
} from './segments';

export class QueueFullError extends Error {
  constructor(maxBytes: number) {
    super(`disk queue is full (${maxBytes} bytes)`);
  }
}

export class QueueClosedError extends Error {
  constructor() {
    super('disk queue is closed');
  }
}

export interface QueueObserver {
  /** Unacknowledged records and bytes, after every change. */
  depth(records: number, bytes: number): void;
  /** Torn records cut off a segment tail during recovery. */
  torn(count: number): void;
  /** Persisting the acknowledged position or starting a new segment failed (both are retried later). */
  error(err: Error): void;
}

export interface DiskQueueOptions {
  dir: string;
  /** Bound on unacknowledged bytes (records + newlines); appends beyond it are refused, never blocked. */
  maxBytes: number;
  /** A segment is closed and a new one started once it reaches this size. */
  segmentBytes?: number;
  observer?: QueueObserver;
}

export interface QueueBatch {
  readonly id: number;
  readonly records: string[];
  readonly bytes: number;
}

export interface RecoveryReport {
  /** Records found unacknowledged on disk at open; they are read first. */
  replayed: number;
  tornRecords: number;
}

interface Segment {
  seq: number;
  /** Bytes of complete, fsynced records. */
  size: number;
}

interface PendingAppend {
  record: string;
  bytes: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
const MIN_READ_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

export class DiskQueue {
  private readonly segments: Segment[];
  private writer!: FileHandle;
  private reader: { seq: number; file: FileHandle } | undefined;
  private readPos: QueuePosition;
  private ackPos: QueuePosition;
  private readonly tracker = new AckTracker();
  private readonly batchBytes = new Map<number, { records: number; bytes: number }>();
  private pending: PendingAppend[] = [];
  private pendingBytes = 0;
  private flushing: Promise<void> | undefined;
  private ackWrite: Promise<void> = Promise.resolve();
  private ackDirty = false;
  private obsolete: number[] = [];
  private unackedRecords = 0;
  private unackedBytes = 0;
  private unreadRecords = 0;
  private dataWaiters: Array<{ min: number; wake: () => void }> = [];
  private closed = false;
  private readonly segmentBytes: number;

  private constructor(
    private readonly options: DiskQueueOptions,
    segments: Segment[],
    ackPos: QueuePosition,
    readonly recovery: RecoveryReport
  ) {
    this.segments = segments;
    this.ackPos = ackPos;
    this.readPos = { ...ackPos };
    this.segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
  }

  /** Opens (creating if needed) the queue in `options.dir`, repairs a torn tail and prepares replay. */
  static async open(options: DiskQueueOptions): Promise<DiskQueue> {
    await mkdir(options.dir, { recursive: true });
    const stored = await readAckPosition(options.dir);
    const segments: Segment[] = [];
    let tornRecords = 0;
    let replayed = 0;
    let replayBytes = 0;
    let ackPos: QueuePosition | undefined;
    for (const seq of await listSegments(options.dir)) {
      if (stored && seq < stored.segment) {
        // Fully acknowledged before the crash; deletion just had not happened yet.
        await unlink(segmentPath(options.dir, seq));
        continue;
      }
      const file = await open(segmentPath(options.dir, seq), 'r+');
      try {
        const { size, torn } = await repairTornTail(file);
        tornRecords += torn ? 1 : 0;
        const from = stored && seq === stored.segment ? Math.min(stored.offset, size) : 0;
        ackPos ??= { segment: seq, offset: from };
        replayed += await countRecords(file, from, size);
        replayBytes += size - from;
        segments.push({ seq, size });
      } finally {
        await file.close();
      }
    }
    const nextSeq = segments.length > 0 ? segments[segments.length - 1].seq + 1 : (stored?.segment ?? 0);
    segments.push({ seq: nextSeq, size: 0 });
    const queue = new DiskQueue(options, segments, ackPos ?? { segment: nextSeq, offset: 0 }, { replayed, tornRecords });
    queue.writer = await open(segmentPath(options.dir, nextSeq), 'a');
    await queue.syncDir();
    queue.unackedRecords = replayed;
    queue.unackedBytes = replayBytes;
    queue.unreadRecords = replayed;
    if (tornRecords > 0) {
      options.observer?.torn(tornRecords);
    }
    queue.reportDepth();
    return queue;
  }

  /**
   * Appends one record (no newline inside). Resolves once it is on disk; rejects with QueueFullError at once when
   * the queue holds `maxBytes` unacknowledged bytes.
   */
  append(record: string): Promise<void> {
    if (this.closed) {
      return Promise.reject(new QueueClosedError());
    }
    if (record.includes('\n')) {
      return Promise.reject(new Error('queue records must be single lines'));
    }
    const bytes = Buffer.byteLength(record) + 1;
    if (this.unackedBytes + this.pendingBytes + bytes > this.options.maxBytes) {
      return Promise.reject(new QueueFullError(this.options.maxBytes));
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ record, bytes, resolve, reject });
      this.pendingBytes += bytes;
      // setImmediate lets every append of this event-loop turn join the same write.
      this.flushing ??= new Promise<void>((done) => setImmediate(() => this.flushLoop().finally(done)));
    });
  }

  /** Unacknowledged records and bytes (on disk, read or not). */
  get depth(): { records: number; bytes: number } {
    return { records: this.unackedRecords, bytes: this.unackedBytes };
  }

  /** Committed records not yet handed out by `read`. */
  get unread(): number {
    return this.unreadRecords;
  }

  /** Resolves when at least `min` records are unread, after `timeoutMs`, on abort or on close. */
  waitForRecords(min: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.unreadRecords >= min || this.closed || signal?.aborted) {
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const waiter = { min, wake: () => finish() };
      const timer = setTimeout(() => finish(), timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', finish);
        this.dataWaiters = this.dataWaiters.filter((w) => w !== waiter);
        resolve();
      };
      signal?.addEventListener('abort', finish, { once: true });
      this.dataWaiters.push(waiter);
    });
  }

  /**
   * Next batch of committed records: at most `maxRecords`, and stops once `maxBytes` is reached (a single larger
   * record still comes alone). Undefined when nothing is unread. Calls must not overlap.
   */
  async read(maxRecords: number, maxBytes: number): Promise<QueueBatch | undefined> {
    for (;;) {
      if (this.closed) {
        return undefined;
      }
      if (this.readPos.segment < this.segments[0].seq) {
        // The segment just read out was fully acknowledged and deleted meanwhile.
        this.readPos = { segment: this.segments[0].seq, offset: 0 };
      }
      const index = this.segments.findIndex((s) => s.seq === this.readPos.segment);
      const segment = this.segments[index];
      const available = segment.size - this.readPos.offset;
      if (available === 0) {
        if (index === this.segments.length - 1) {
          return undefined;
        }
        await this.reader?.file.close();
        this.reader = undefined;
        this.readPos = { segment: this.segments[index + 1].seq, offset: 0 };
        continue;
      }
      return this.readFrom(segment, available, maxRecords, maxBytes);
    }
  }

  /** Acknowledges a batch (indexed or dead-lettered); the persisted position moves when all earlier batches are done. */
  ack(batch: QueueBatch): void {
    const advanced = this.tracker.ack(batch.id);
    const size = this.batchBytes.get(batch.id)!;
    this.batchBytes.delete(batch.id);
    this.unackedRecords -= size.records;
    this.unackedBytes -= size.bytes;
    this.reportDepth();
    if (advanced) {
      this.ackPos = advanced;
      this.persistAck();
    }
  }

  /** Commits pending appends, persists the acknowledged position and closes files. Unacknowledged batches replay on next open. */
  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    // Refuse new appends first; those already accepted are still written by the running flush.
    this.closed = true;
    for (const waiter of this.dataWaiters) {
      waiter.wake();
    }
    await this.flushing;
    this.persistAck();
    await this.ackWrite;
    await this.writer.close();
    await this.reader?.file.close();
  }

  private async readFrom(segment: Segment, available: number, maxRecords: number, maxBytes: number): Promise<QueueBatch> {
    if (this.reader?.seq !== segment.seq) {
      await this.reader?.file.close();
      this.reader = { seq: segment.seq, file: await open(segmentPath(this.options.dir, segment.seq), 'r') };
    }
    let length = Math.min(available, Math.max(maxBytes, MIN_READ_BYTES));
    let buffer: Buffer;
    for (;;) {
      buffer = Buffer.allocUnsafe(length);
      const { bytesRead } = await this.reader.file.read(buffer, 0, length, this.readPos.offset);
      buffer = buffer.subarray(0, bytesRead);
      // Committed bytes always end on a newline, so growing the read to `available` always finds one.
      if (buffer.includes(NEWLINE) || length === available) {
        break;
      }
      length = Math.min(available, length * 2);
    }
    const records: string[] = [];
    let consumed = 0;
    while (records.length < maxRecords && consumed < buffer.length && (records.length === 0 || consumed < maxBytes)) {
      const nl = buffer.indexOf(NEWLINE, consumed);
      if (nl < 0) {
        break;
      }
      records.push(buffer.toString('utf8', consumed, nl));
      consumed = nl + 1;
    }
    this.readPos = { segment: segment.seq, offset: this.readPos.offset + consumed };
    this.unreadRecords -= records.length;
    const id = this.tracker.track({ ...this.readPos });
    this.batchBytes.set(id, { records: records.length, bytes: consumed });
    return { id, records, bytes: consumed };
  }

  private async flushLoop(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      const bytes = this.pendingBytes;
      this.pending = [];
      this.pendingBytes = 0;
      const active = this.segments[this.segments.length - 1];
      const data = Buffer.from(batch.map((p) => p.record).join('\n') + '\n');
      try {
        let written = 0;
        while (written < data.length) {
          const res = await this.writer.write(data, written, data.length - written, active.size + written);
          written += res.bytesWritten;
        }
        await this.writer.datasync();
      } catch (err) {
        // Cut off whatever part of the write landed, so a later write cannot follow a partial record.
        await this.writer.truncate(active.size).catch(() => undefined);
        for (const p of batch) {
          p.reject(err as Error);
        }
        continue;
      }
      active.size += data.length;
      this.unackedRecords += batch.length;
      this.unackedBytes += bytes;
      this.unreadRecords += batch.length;
      this.reportDepth();
      for (const p of batch) {
        p.resolve();
      }
      for (const waiter of this.dataWaiters.filter((w) => this.unreadRecords >= w.min)) {
        waiter.wake();
      }
      if (active.size >= this.segmentBytes) {
        // If a new segment cannot be opened, keep appending to this one and try again after the next write.
        await this.roll().catch((err: Error) => this.options.observer?.error(err));
      }
    }
    this.flushing = undefined;
  }

  private async roll(): Promise<void> {
    const seq = this.segments[this.segments.length - 1].seq + 1;
    const next = await open(segmentPath(this.options.dir, seq), 'a');
    await this.writer.close();
    this.writer = next;
    this.segments.push({ seq, size: 0 });
    await this.syncDir();
    this.persistAck();
  }

  /** Moves the acknowledged position past fully read-out closed segments, persists it, then deletes those segments. */
  private persistAck(): void {
    while (this.segments.length > 1 && this.segments[0].seq === this.ackPos.segment && this.ackPos.offset >= this.segments[0].size) {
      this.obsolete.push(this.segments.shift()!.seq);
      this.ackPos = { segment: this.segments[0].seq, offset: 0 };
    }
    if (this.ackDirty) {
      // A write is already queued; it reads the latest position when it runs.
      return;
    }
    this.ackDirty = true;
    this.ackWrite = this.ackWrite
      .then(async () => {
        this.ackDirty = false;
        const position = this.ackPos;
        const obsolete = this.obsolete;
        this.obsolete = [];
        await writeAckPosition(this.options.dir, position);
        // Only after the new position is stored: a crash in between just deletes them on the next open.
        await Promise.all(obsolete.map((seq) => unlink(segmentPath(this.options.dir, seq))));
      })
      .catch((err: Error) => this.options.observer?.error(err));
  }

  private async syncDir(): Promise<void> {
    // The new segment's directory entry must survive a power cut too.
    const dir = await open(this.options.dir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  private reportDepth(): void {
    this.options.observer?.depth(this.unackedRecords, this.unackedBytes);
  }
}
