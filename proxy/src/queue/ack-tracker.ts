import type { QueuePosition } from './segments';

/**
 * Batches are read in order but may be acknowledged out of order (several bulk requests are in flight). The queue may
 * only forget records up to the end of the longest fully acknowledged prefix of batches; this tracks that prefix.
 */
export class AckTracker {
  private readonly outstanding: Array<{ id: number; end: QueuePosition; done: boolean }> = [];
  private nextId = 0;

  /** Registers a batch just read; returns its id for `ack`. */
  track(end: QueuePosition): number {
    const id = this.nextId++;
    this.outstanding.push({ id, end, done: false });
    return id;
  }

  /** Marks a batch done; returns the new acknowledged position when the prefix moved, else undefined. */
  ack(id: number): QueuePosition | undefined {
    const entry = this.outstanding.find((o) => o.id === id);
    if (!entry) {
      throw new Error(`batch ${id} is not outstanding (acknowledged twice?)`);
    }
    entry.done = true;
    let advanced: QueuePosition | undefined;
    while (this.outstanding.length > 0 && this.outstanding[0].done) {
      advanced = this.outstanding.shift()!.end;
    }
    return advanced;
  }

  get inFlight(): number {
    return this.outstanding.length;
  }
}
