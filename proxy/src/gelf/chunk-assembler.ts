/**
 * Reassembles chunked GELF messages. Pending messages are keyed by sender address + message id (so two senders
 * cannot mix pieces), expire a fixed time after their FIRST piece (Graylog's rule; gelfd2 refreshed on every piece,
 * which lets a slow sender pin memory), and together hold at most `maxPendingBytes`; past that the oldest pending
 * message is evicted. Every outcome is reported: complete payload, still pending, or a drop reason.
 */
import type { DropReason } from '../pipeline-types';
import type { Chunk } from './chunk-header';

export interface ChunkAssemblerOptions {
  timeoutMs: number;
  maxPendingBytes: number;
  /** Called once per message or piece given up on (expired, evicted, duplicate, inconsistent). */
  onDrop: (reason: DropReason) => void;
}

export type AddResult = { payload: Buffer } | { pending: true } | { drop: DropReason };

interface Pending {
  firstAt: number;
  count: number;
  pieces: Array<Buffer | undefined>;
  received: number;
  bytes: number;
}

export class ChunkAssembler {
  /** Insertion order = age order, so the first entries are the oldest (used by expiry and eviction). */
  private readonly pending = new Map<string, Pending>();
  private pendingBytes = 0;

  constructor(private readonly options: ChunkAssemblerOptions) {}

  get size(): number {
    return this.pending.size;
  }

  get bytes(): number {
    return this.pendingBytes;
  }

  add(chunk: Chunk, sender: string, now: number): AddResult {
    this.expire(now);
    const key = `${sender}|${chunk.id}`;
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { firstAt: now, count: chunk.count, pieces: new Array(chunk.count), received: 0, bytes: 0 };
    } else if (entry.count !== chunk.count) {
      return { drop: 'bad_chunk' };
    } else if (entry.pieces[chunk.seq]) {
      return { drop: 'duplicate_chunk' };
    }
    const size = chunk.data.length;
    if (!this.makeRoom(size, key)) {
      // This message alone would exceed the budget: give it up (counted once, as this piece's drop).
      if (this.pending.get(key) === entry) {
        this.remove(key, entry);
      }
      return { drop: 'chunk_memory' };
    }
    if (!this.pending.has(key)) {
      this.pending.set(key, entry);
    }
    // A copy: the datagram may be a view into a larger receive batch, which a pending piece must not keep alive.
    entry.pieces[chunk.seq] = Buffer.from(chunk.data);
    entry.received += 1;
    entry.bytes += size;
    this.pendingBytes += size;
    if (entry.received < entry.count) {
      return { pending: true };
    }
    this.remove(key, entry);
    return { payload: Buffer.concat(entry.pieces as Buffer[]) };
  }

  /** Drops every message whose first piece is older than the timeout; returns how many. */
  expire(now: number): number {
    let expired = 0;
    for (const [key, entry] of this.pending) {
      if (now - entry.firstAt < this.options.timeoutMs) {
        break;
      }
      this.remove(key, entry);
      this.options.onDrop('expired_chunks');
      expired += 1;
    }
    return expired;
  }

  /** Forgets everything pending (on close), counting each message as expired. */
  clear(): void {
    for (const [key, entry] of this.pending) {
      this.remove(key, entry);
      this.options.onDrop('expired_chunks');
    }
  }

  /** Evicts the oldest other messages until `size` more bytes fit; false if they cannot. */
  private makeRoom(size: number, keep: string): boolean {
    for (const [key, entry] of this.pending) {
      if (this.pendingBytes + size <= this.options.maxPendingBytes) {
        return true;
      }
      if (key !== keep) {
        this.remove(key, entry);
        this.options.onDrop('chunk_memory');
      }
    }
    return this.pendingBytes + size <= this.options.maxPendingBytes;
  }

  private remove(key: string, entry: Pending): void {
    this.pending.delete(key);
    this.pendingBytes -= entry.bytes;
  }
}
