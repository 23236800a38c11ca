/**
 * The ingest path's counters, kept as plain numbers and updated once per batch: what status, the doctor and tests read
 * through `snapshot()`, and what the Prometheus metrics (proxy/src/metrics.ts) expose as a view on scrape.
 */
import type { DropReason, SourceName } from './pipeline-types';

/** Drops by reason; `kernel` is what the kernel discarded on our UDP sockets (receive buffer full). */
export type DropCounts = Partial<Record<DropReason | 'kernel', number>>;

export interface SourceSnapshot {
  /** Datagrams, frames or bodies received. */
  received: number;
  receivedBytes: number;
  /** Events decoded into JSON objects. */
  decoded: number;
  /** Events appended to the disk queue. */
  queued: number;
  dropped: DropCounts;
  /** Kernel drops over the last minute (0 for TCP and HTTP sources). */
  kernelDropsLastMinute: number;
  /** ISO time of the last decoded event. */
  lastEventAt?: string;
  /** ISO time of the last message received, decodable or not. */
  lastReceivedAt?: string;
}

export interface IngestSnapshot {
  at: string;
  sources: Partial<Record<SourceName, SourceSnapshot>>;
  queue: { events: number; bytes: number; corrupt: Partial<Record<QueueCorruption, number>> };
  indexed: number;
  deadLettered: number;
  failed: Partial<Record<SinkFailure, number>>;
}

export type QueueCorruption = 'torn' | 'unparsable';
export type SinkFailure = 'request' | 'item' | 'dead_letter_refused';

interface SourceCounts {
  received: number;
  receivedBytes: number;
  decoded: number;
  queued: number;
  dropped: Map<DropReason, number>;
  kernelDrops: number;
  /** (time, kernel drops total) samples for the last-minute figure, oldest first. */
  kernelSamples: Array<[number, number]>;
  lastEventAtMs: number;
  lastReceivedAtMs: number;
}

const MINUTE_MS = 60_000;

export class IngestCounters {
  private readonly sources = new Map<SourceName, SourceCounts>();
  private readonly corrupt = new Map<QueueCorruption, number>();
  private readonly failures = new Map<SinkFailure, number>();
  private indexedTotal = 0;
  private deadLetteredTotal = 0;
  private queueEvents = 0;
  private queueBytes = 0;

  received(source: SourceName, count: number, bytes: number, atMs = Date.now()): void {
    const s = this.source(source);
    s.received += count;
    s.receivedBytes += bytes;
    s.lastReceivedAtMs = Math.max(s.lastReceivedAtMs, atMs);
  }

  decoded(source: SourceName, count: number, atMs: number): void {
    const s = this.source(source);
    s.decoded += count;
    s.lastEventAtMs = Math.max(s.lastEventAtMs, atMs);
  }

  queued(source: SourceName, count: number): void {
    this.source(source).queued += count;
  }

  dropped(source: SourceName, reason: DropReason, count = 1): void {
    const dropped = this.source(source).dropped;
    dropped.set(reason, (dropped.get(reason) ?? 0) + count);
  }

  /** The kernel's running total of drops on this source's sockets, as last read. */
  kernelDrops(source: SourceName, total: number, atMs: number): void {
    const s = this.source(source);
    s.kernelDrops = total;
    s.kernelSamples.push([atMs, total]);
    // Keep one sample at or before a minute ago as the baseline.
    while (s.kernelSamples.length > 2 && s.kernelSamples[1][0] <= atMs - MINUTE_MS) {
      s.kernelSamples.shift();
    }
  }

  indexed(count: number): void {
    this.indexedTotal += count;
  }

  deadLettered(count: number): void {
    this.deadLetteredTotal += count;
  }

  failed(kind: SinkFailure, count = 1): void {
    this.failures.set(kind, (this.failures.get(kind) ?? 0) + count);
  }

  queueCorrupt(kind: QueueCorruption, count = 1): void {
    this.corrupt.set(kind, (this.corrupt.get(kind) ?? 0) + count);
  }

  queueDepth(events: number, bytes: number): void {
    this.queueEvents = events;
    this.queueBytes = bytes;
  }

  snapshot(now = Date.now()): IngestSnapshot {
    const sources: IngestSnapshot['sources'] = {};
    for (const [name, s] of this.sources) {
      const dropped: DropCounts = Object.fromEntries(s.dropped);
      if (s.kernelDrops > 0) {
        dropped.kernel = s.kernelDrops;
      }
      const base = s.kernelSamples[0];
      sources[name] = {
        received: s.received,
        receivedBytes: s.receivedBytes,
        decoded: s.decoded,
        queued: s.queued,
        dropped,
        kernelDropsLastMinute: base ? s.kernelDrops - base[1] : 0,
        lastEventAt: s.lastEventAtMs > 0 ? new Date(s.lastEventAtMs).toISOString() : undefined,
        lastReceivedAt: s.lastReceivedAtMs > 0 ? new Date(s.lastReceivedAtMs).toISOString() : undefined,
      };
    }
    return {
      at: new Date(now).toISOString(),
      sources,
      queue: { events: this.queueEvents, bytes: this.queueBytes, corrupt: Object.fromEntries(this.corrupt) },
      indexed: this.indexedTotal,
      deadLettered: this.deadLetteredTotal,
      failed: Object.fromEntries(this.failures),
    };
  }

  private source(name: SourceName): SourceCounts {
    let s = this.sources.get(name);
    if (!s) {
      s = { received: 0, receivedBytes: 0, decoded: 0, queued: 0, dropped: new Map(), kernelDrops: 0, kernelSamples: [], lastEventAtMs: 0, lastReceivedAtMs: 0 };
      this.sources.set(name, s);
    }
    return s;
  }
}
