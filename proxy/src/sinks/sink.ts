/**
 * The seam between the disk queue and a destination. A sink reads its own consumer of the queue (its own read and
 * acknowledged position), so one destination being down never holds back another, and acknowledges a batch only once
 * its destination took every event in it or the event was dead-lettered.
 */
import type { QueueBatch } from '../queue/disk-queue';

/** What a sink needs from the queue: one named consumer's view of it. */
export interface QueueConsumer {
  /** Resolves once `min` records are unread, `timeoutMs` passed, or the signal aborted. */
  waitForRecords(min: number, timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /** The next batch of unread records (at most `maxRecords` and about `maxBytes`), or undefined when none. */
  read(maxRecords: number, maxBytes: number): Promise<QueueBatch | undefined>;
  /** The batch is done with: the consumer's position may pass it. */
  ack(batch: QueueBatch): void;
  /** Records and bytes this consumer has not acknowledged yet: its lag behind the queue's writers. */
  readonly depth: { records: number; bytes: number };
}

export interface SinkStopOptions {
  /** How long in-flight requests may finish before they are aborted (their batches then replay on next start). */
  graceMs?: number;
}

/** A running destination. */
export interface Sink {
  readonly name: string;
  start(): void;
  /** Stops reading; waits up to `graceMs` for in-flight requests, then aborts them. Nothing unacknowledged is lost. */
  stop(options?: SinkStopOptions): Promise<void>;
}
