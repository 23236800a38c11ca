/**
 * Durable FIFO between the transforms and the sinks. Records (single-line strings) are appended to segment files;
 * appends arriving within `writeDelayMs` (and every one waiting while a write runs) go into one write.
 *
 * Durability is chosen per append, like Logstash's persistent queue (checkpoint every N writes) and Vector's disk
 * buffer (sync on an interval): a `durable` append resolves only once an fdatasync covers it (HTTP sources answer
 * 2xx only then); any other append resolves once written (safe from a process crash) and is fdatasynced within
 * `syncIntervalMs` (the window lost to a power cut or kernel crash).
 *
 * Each named consumer (one per sink) reads at its own position and acknowledges batches; its acknowledged position
 * (end of the longest fully acknowledged prefix of its batches) is persisted, so one sink's outage never holds up
 * another. A segment is deleted once every consumer has passed it; the byte bound counts the slowest consumer.
 * On open, everything after each consumer's position is replayed to it.
 */
import { FileHandle, mkdir, open, unlink } from 'node:fs/promises';
import { AckTracker } from './ack-tracker';
import { QueuePosition, countRecords, listSegments, readAckPosition, repairTornTail, segmentPath, writeAckPosition } from './segments';

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
  /** Records and bytes the slowest consumer has not acknowledged, after every change. */
  depth(records: number, bytes: number): void;
  /** Torn records cut off a segment tail during recovery. */
  torn(count: number): void;
  /** Persisting a position, syncing or starting a new segment failed (each is retried later). */
  error(err: Error): void;
}

export interface DiskQueueOptions {
  dir: string;
  /** Bound on the bytes the slowest consumer has not acknowledged (records + newlines); appends beyond it are refused. */
  maxBytes: number;
  /** One cursor per name (a sink each). */
  consumers: readonly string[];
  /** A segment is closed and a new one started once it reaches this size. */
  segmentBytes?: number;
  /** Longest time a written, non-durable append waits for its fdatasync. */
  syncIntervalMs?: number;
  /** Non-durable appends are gathered this long (or up to WRITE_NOW_BYTES) into one write; durable ones are written at once. */
  writeDelayMs?: number;
  observer?: QueueObserver;
}

export interface AppendOptions {
  /** Resolve only once fdatasynced (for senders that are told "accepted"). */
  durable?: boolean;
}

export interface QueueBatch {
  readonly id: number;
  /** Each record without its newline; views into one buffer read from the segment. */
  readonly records: Buffer[];
  readonly bytes: number;
}

export interface RecoveryReport {
  /** Records found on disk at open that the slowest consumer had not acknowledged; they are read first. */
  replayed: number;
  tornRecords: number;
}

interface Segment {
  seq: number;
  /** Bytes of complete, written records. */
  size: number;
}

interface PendingAppend {
  data: Buffer;
  records: number;
  bytes: number;
  durable: boolean;
  resolve: () => void;
  reject: (err: Error) => void;
}

const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
const DEFAULT_SYNC_INTERVAL_MS = 1000;
const DEFAULT_WRITE_DELAY_MS = 50;
/** Pending bytes that are written without waiting out the write delay. */
const WRITE_NOW_BYTES = 1024 * 1024;
const MIN_READ_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

export class DiskQueue {
  private writer!: FileHandle;
  private readonly consumers = new Map<string, QueueConsumer>();
  private pending: PendingAppend[] = [];
  private pendingBytes = 0;
  private flushing: Promise<void> | undefined;
  /** Written but not yet fdatasynced; resolved (non-durable) appends wait only for the timer. */
  private unsynced = false;
  private syncTimer: NodeJS.Timeout | undefined;
  private syncDue = false;
  private ackWrite: Promise<void> = Promise.resolve();
  private ackDirty = false;
  private closed = false;
  private readonly segmentBytes: number;
  private readonly syncIntervalMs: number;
  private readonly writeDelayMs: number;
  private writeTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly options: DiskQueueOptions,
    /** Oldest first; the last one is being written. */
    readonly segments: Segment[],
    readonly recovery: RecoveryReport
  ) {
    this.segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    this.syncIntervalMs = options.syncIntervalMs ?? DEFAULT_SYNC_INTERVAL_MS;
    this.writeDelayMs = options.writeDelayMs ?? DEFAULT_WRITE_DELAY_MS;
  }

  /** Opens (creating if needed) the queue in `options.dir`, repairs a torn tail and prepares each consumer's replay. */
  static async open(options: DiskQueueOptions): Promise<DiskQueue> {
    if (options.consumers.length === 0) {
      throw new Error('a disk queue needs at least one consumer');
    }
    await mkdir(options.dir, { recursive: true });
    const stored = new Map<string, QueuePosition | undefined>();
    for (const name of options.consumers) {
      stored.set(name, await readAckPosition(options.dir, name));
    }
    const known = [...stored.values()].filter((p): p is QueuePosition => p !== undefined);
    // Segments before every consumer's position were fully acknowledged; deletion just had not happened yet.
    const oldestNeeded = known.length === options.consumers.length ? Math.min(...known.map((p) => p.segment)) : 0;
    const segments: Segment[] = [];
    let tornRecords = 0;
    for (const seq of await listSegments(options.dir)) {
      if (seq < oldestNeeded) {
        await unlink(segmentPath(options.dir, seq));
        continue;
      }
      const file = await open(segmentPath(options.dir, seq), 'r+');
      try {
        const { size, torn } = await repairTornTail(file);
        tornRecords += torn ? 1 : 0;
        segments.push({ seq, size });
      } finally {
        await file.close();
      }
    }
    const nextSeq = segments.length > 0 ? segments[segments.length - 1].seq + 1 : Math.max(0, ...known.map((p) => p.segment));
    segments.push({ seq: nextSeq, size: 0 });

    const queue = new DiskQueue(options, segments, { replayed: 0, tornRecords });
    for (const name of options.consumers) {
      const position = clampPosition(stored.get(name), segments);
      const backlog = await measureBacklog(options.dir, segments, position);
      queue.consumers.set(name, new QueueConsumer(queue, options.dir, name, position, backlog));
      queue.recovery.replayed = Math.max(queue.recovery.replayed, backlog.records);
    }
    queue.writer = await open(segmentPath(options.dir, nextSeq), 'a');
    await syncDir(options.dir);
    if (tornRecords > 0) {
      options.observer?.torn(tornRecords);
    }
    queue.reportDepth();
    return queue;
  }

  /** The cursor of one consumer named at open. */
  consumer(name: string): QueueConsumer {
    const consumer = this.consumers.get(name);
    if (!consumer) {
      throw new Error(`no queue consumer "${name}" (have ${[...this.consumers.keys()].join(', ')})`);
    }
    return consumer;
  }

  /**
   * Appends records (single lines) as one unit: all are accepted or none. Resolves once written — or, with
   * `durable`, once fdatasynced. Rejects at once with QueueFullError when they would take the slowest consumer's
   * backlog past `maxBytes`.
   */
  append(records: readonly string[], { durable = false }: AppendOptions = {}): Promise<void> {
    if (this.closed) {
      return Promise.reject(new QueueClosedError());
    }
    if (records.length === 0) {
      return Promise.resolve();
    }
    if (records.some((r) => r.includes('\n'))) {
      return Promise.reject(new Error('queue records must be single lines'));
    }
    const data = Buffer.from(`${records.join('\n')}\n`);
    const bytes = data.length;
    if (this.depth.bytes + this.pendingBytes + bytes > this.options.maxBytes) {
      return Promise.reject(new QueueFullError(this.options.maxBytes));
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ data, records: records.length, bytes, durable, resolve, reject });
      this.pendingBytes += bytes;
      if (durable || this.pendingBytes >= WRITE_NOW_BYTES || this.writeDelayMs === 0) {
        this.kick();
      } else {
        // One write (one thread-pool round trip) for every batch arriving within the delay.
        this.writeTimer ??= setTimeout(() => this.kick(), this.writeDelayMs);
      }
    });
  }

  /** The slowest consumer's unacknowledged records and bytes (on disk, read or not). */
  get depth(): { records: number; bytes: number } {
    let records = 0;
    let bytes = 0;
    for (const consumer of this.consumers.values()) {
      records = Math.max(records, consumer.unackedRecords);
      bytes = Math.max(bytes, consumer.unackedBytes);
    }
    return { records, bytes };
  }

  /** Writes and syncs what is pending, persists every position and closes files. Unacknowledged batches replay on next open. */
  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    // Refuse new appends first; those already accepted are still written by the running flush.
    this.closed = true;
    clearTimeout(this.syncTimer);
    for (const consumer of this.consumers.values()) {
      consumer.wakeAll();
    }
    this.syncDue = true;
    this.kick();
    await this.flushing;
    this.persistAcks();
    await this.ackWrite;
    await this.writer.close();
    await Promise.all([...this.consumers.values()].map((c) => c.closeReader()));
  }

  /** @internal consumers report progress here. */
  acknowledged(): void {
    this.reportDepth();
    this.persistAcks();
  }

  private kick(): void {
    clearTimeout(this.writeTimer);
    this.writeTimer = undefined;
    // setImmediate lets every append of this event-loop turn join the same write.
    this.flushing ??= new Promise<void>((done) => setImmediate(() => this.flushLoop().finally(done)));
  }

  private async flushLoop(): Promise<void> {
    while (this.pending.length > 0 || (this.syncDue && this.unsynced)) {
      const batch = this.pending;
      this.pending = [];
      this.pendingBytes = 0;
      if (batch.length > 0 && !(await this.write(batch))) {
        continue;
      }
      if (this.unsynced && (this.syncDue || batch.some((p) => p.durable))) {
        await this.sync(batch.filter((p) => p.durable));
      }
      for (const p of batch) {
        if (!p.durable) {
          p.resolve();
        }
      }
      if (this.unsynced && !this.syncTimer && !this.closed) {
        this.syncTimer = setTimeout(() => {
          this.syncTimer = undefined;
          this.syncDue = true;
          this.kick();
        }, this.syncIntervalMs).unref();
      }
      const active = this.segments[this.segments.length - 1];
      if (active.size >= this.segmentBytes) {
        // If a new segment cannot be opened, keep appending to this one and try again after the next write.
        await this.roll().catch((err: Error) => this.options.observer?.error(err));
      }
    }
    this.flushing = undefined;
  }

  /** Writes a batch of appends at the end of the active segment; false (appends rejected) if the write failed. */
  private async write(batch: PendingAppend[]): Promise<boolean> {
    const active = this.segments[this.segments.length - 1];
    const data = batch.length === 1 ? batch[0].data : Buffer.concat(batch.map((p) => p.data));
    try {
      let written = 0;
      while (written < data.length) {
        const res = await this.writer.write(data, written, data.length - written, active.size + written);
        written += res.bytesWritten;
      }
    } catch (err) {
      // Cut off whatever part of the write landed, so a later write cannot follow a partial record.
      await this.writer.truncate(active.size).catch(() => undefined);
      for (const p of batch) {
        p.reject(err as Error);
      }
      return false;
    }
    active.size += data.length;
    this.unsynced = true;
    const records = batch.reduce((n, p) => n + p.records, 0);
    for (const consumer of this.consumers.values()) {
      consumer.appended(records, data.length);
    }
    this.reportDepth();
    return true;
  }

  private async sync(durable: PendingAppend[]): Promise<void> {
    this.syncDue = false;
    clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
    try {
      await this.writer.datasync();
      this.unsynced = false;
      for (const p of durable) {
        p.resolve();
      }
    } catch (err) {
      // The data is written (a process crash keeps it) but its durability is unknown: tell durable appenders.
      this.options.observer?.error(err as Error);
      for (const p of durable) {
        p.reject(err as Error);
      }
    }
  }

  private async roll(): Promise<void> {
    if (this.unsynced) {
      await this.sync([]);
    }
    const seq = this.segments[this.segments.length - 1].seq + 1;
    const next = await open(segmentPath(this.options.dir, seq), 'a');
    await this.writer.close();
    this.writer = next;
    this.segments.push({ seq, size: 0 });
    await syncDir(this.options.dir);
    this.persistAcks();
  }

  /**
   * Moves each consumer's position past fully read-out closed segments, persists every position, then deletes the
   * segments every consumer has passed.
   */
  private persistAcks(): void {
    for (const consumer of this.consumers.values()) {
      consumer.skipFinishedSegments(this.segments);
    }
    if (this.ackDirty) {
      // A write is already queued; it reads the latest positions when it runs.
      return;
    }
    this.ackDirty = true;
    this.ackWrite = this.ackWrite
      .then(async () => {
        this.ackDirty = false;
        const consumers = [...this.consumers.values()];
        const positions = consumers.map((c) => ({ name: c.name, position: { ...c.ackPosition } }));
        for (const { name, position } of positions) {
          await writeAckPosition(this.options.dir, name, position);
        }
        const oldestNeeded = Math.min(...positions.map((p) => p.position.segment));
        while (this.segments.length > 1 && this.segments[0].seq < oldestNeeded) {
          const { seq } = this.segments.shift()!;
          await unlink(segmentPath(this.options.dir, seq)).catch((err: NodeJS.ErrnoException) => {
            if (err.code !== 'ENOENT') {
              throw err;
            }
          });
        }
      })
      .catch((err: Error) => {
        // The positions on disk stay behind: a restart replays more (and overwrites), loses nothing.
        this.options.observer?.error(err);
      });
  }

  private reportDepth(): void {
    const { records, bytes } = this.depth;
    this.options.observer?.depth(records, bytes);
  }
}

/** One consumer's cursor: reads batches in order, acknowledges them in any order. */
export class QueueConsumer {
  private reader: { seq: number; file: FileHandle } | undefined;
  private readPos: QueuePosition;
  private readonly tracker = new AckTracker();
  private readonly batchSizes = new Map<number, { records: number; bytes: number }>();
  private dataWaiters: Array<{ min: number; wake: () => void }> = [];
  unackedRecords: number;
  unackedBytes: number;
  private unreadRecords: number;

  constructor(
    private readonly queue: DiskQueue,
    private readonly dir: string,
    readonly name: string,
    /** End of the longest fully acknowledged prefix of batches. */
    public ackPosition: QueuePosition,
    backlog: { records: number; bytes: number }
  ) {
    this.readPos = { ...ackPosition };
    this.unackedRecords = backlog.records;
    this.unackedBytes = backlog.bytes;
    this.unreadRecords = backlog.records;
  }

  /** Written records not yet handed out by `read`. */
  get unread(): number {
    return this.unreadRecords;
  }

  /** This consumer's unacknowledged records and bytes. */
  get depth(): { records: number; bytes: number } {
    return { records: this.unackedRecords, bytes: this.unackedBytes };
  }

  /** Resolves when at least `min` records are unread, after `timeoutMs`, on abort or when the queue closes. */
  waitForRecords(min: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.unreadRecords >= min || signal?.aborted) {
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
   * Next batch of written records: at most `maxRecords`, and stops once `maxBytes` is reached (a single larger
   * record still comes alone). Undefined when nothing is unread. Calls must not overlap.
   */
  async read(maxRecords: number, maxBytes: number): Promise<QueueBatch | undefined> {
    const segments = this.queue.segments;
    for (;;) {
      if (this.readPos.segment < segments[0].seq) {
        // The segment just read out was deleted meanwhile (every consumer had passed it).
        this.readPos = { segment: segments[0].seq, offset: 0 };
      }
      const index = segments.findIndex((s) => s.seq === this.readPos.segment);
      const segment = segments[index];
      const available = segment.size - this.readPos.offset;
      if (available === 0) {
        if (index === segments.length - 1) {
          return undefined;
        }
        await this.closeReader();
        this.readPos = { segment: segments[index + 1].seq, offset: 0 };
        continue;
      }
      return this.readFrom(segment, available, maxRecords, maxBytes);
    }
  }

  /** Acknowledges a batch (delivered or given up on with a count); the persisted position moves when all earlier batches are done. */
  ack(batch: QueueBatch): void {
    const advanced = this.tracker.ack(batch.id);
    const size = this.batchSizes.get(batch.id)!;
    this.batchSizes.delete(batch.id);
    this.unackedRecords -= size.records;
    this.unackedBytes -= size.bytes;
    if (advanced) {
      this.ackPosition = advanced;
    }
    this.queue.acknowledged();
  }

  /** @internal */
  appended(records: number, bytes: number): void {
    this.unackedRecords += records;
    this.unackedBytes += bytes;
    this.unreadRecords += records;
    for (const waiter of this.dataWaiters.filter((w) => this.unreadRecords >= w.min)) {
      waiter.wake();
    }
  }

  /** @internal */
  skipFinishedSegments(segments: Segment[]): void {
    for (let i = 0; i < segments.length - 1; i++) {
      if (segments[i].seq === this.ackPosition.segment && this.ackPosition.offset >= segments[i].size) {
        this.ackPosition = { segment: segments[i + 1].seq, offset: 0 };
      }
    }
  }

  /** @internal */
  wakeAll(): void {
    for (const waiter of this.dataWaiters) {
      waiter.wake();
    }
  }

  /** @internal */
  async closeReader(): Promise<void> {
    const reader = this.reader;
    this.reader = undefined;
    await reader?.file.close();
  }

  private async readFrom(segment: Segment, available: number, maxRecords: number, maxBytes: number): Promise<QueueBatch> {
    if (this.reader?.seq !== segment.seq) {
      await this.closeReader();
      this.reader = { seq: segment.seq, file: await open(segmentPath(this.dir, segment.seq), 'r') };
    }
    let length = Math.min(available, Math.max(maxBytes, MIN_READ_BYTES));
    let buffer: Buffer;
    for (;;) {
      buffer = Buffer.allocUnsafe(length);
      const { bytesRead } = await this.reader.file.read(buffer, 0, length, this.readPos.offset);
      buffer = buffer.subarray(0, bytesRead);
      // Written bytes always end on a newline, so growing the read to `available` always finds one.
      if (buffer.includes(NEWLINE) || length === available) {
        break;
      }
      length = Math.min(available, length * 2);
    }
    const records: Buffer[] = [];
    let consumed = 0;
    while (records.length < maxRecords && consumed < buffer.length && (records.length === 0 || consumed < maxBytes)) {
      const nl = buffer.indexOf(NEWLINE, consumed);
      if (nl < 0) {
        break;
      }
      records.push(buffer.subarray(consumed, nl));
      consumed = nl + 1;
    }
    this.readPos = { segment: segment.seq, offset: this.readPos.offset + consumed };
    this.unreadRecords -= records.length;
    const id = this.tracker.track({ ...this.readPos });
    this.batchSizes.set(id, { records: records.length, bytes: consumed });
    return { id, records, bytes: consumed };
  }
}

/** A stored position inside the retained segments; none stored (or before them) means the oldest retained record. */
function clampPosition(stored: QueuePosition | undefined, segments: Segment[]): QueuePosition {
  const segment = stored && segments.find((s) => s.seq === stored.segment);
  if (stored && segment) {
    return { segment: segment.seq, offset: Math.min(stored.offset, segment.size) };
  }
  if (stored && stored.segment > segments[segments.length - 1].seq) {
    return { segment: segments[segments.length - 1].seq, offset: 0 };
  }
  return { segment: segments[0].seq, offset: 0 };
}

async function measureBacklog(dir: string, segments: Segment[], from: QueuePosition): Promise<{ records: number; bytes: number }> {
  let records = 0;
  let bytes = 0;
  for (const segment of segments) {
    if (segment.seq < from.segment || segment.size === 0) {
      continue;
    }
    const start = segment.seq === from.segment ? from.offset : 0;
    const file = await open(segmentPath(dir, segment.seq), 'r');
    try {
      records += await countRecords(file, start, segment.size);
    } finally {
      await file.close();
    }
    bytes += segment.size - start;
  }
  return { records, bytes };
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
