import type { DropReason } from '../pipeline-types';
import { ChunkAssembler } from './chunk-assembler';
import type { Chunk } from './chunk-header';

const chunk = (id: string, seq: number, count: number, text: string): Chunk => ({ layout: 'standard', id, seq, count, data: Buffer.from(text) });

function assembler(options: { timeoutMs?: number; maxPendingBytes?: number } = {}) {
  const drops: DropReason[] = [];
  const a = new ChunkAssembler({ timeoutMs: options.timeoutMs ?? 5000, maxPendingBytes: options.maxPendingBytes ?? 1 << 20, onDrop: (r) => drops.push(r) });
  return { a, drops };
}

describe('ChunkAssembler', () => {
  it('reassembles pieces arriving out of order', () => {
    const { a } = assembler();
    expect(a.add(chunk('m', 2, 3, 'c'), 'h', 0)).toEqual({ pending: true });
    expect(a.add(chunk('m', 0, 3, 'a'), 'h', 1)).toEqual({ pending: true });
    expect(a.add(chunk('m', 1, 3, 'b'), 'h', 2)).toEqual({ payload: Buffer.from('abc') });
    expect(a.size).toBe(0);
    expect(a.bytes).toBe(0);
  });

  it('ignores and reports a duplicate piece, then still completes', () => {
    const { a } = assembler();
    a.add(chunk('m', 0, 2, 'a'), 'h', 0);
    expect(a.add(chunk('m', 0, 2, 'X'), 'h', 1)).toEqual({ drop: 'duplicate_chunk' });
    expect(a.add(chunk('m', 1, 2, 'b'), 'h', 2)).toEqual({ payload: Buffer.from('ab') });
  });

  it('rejects a piece whose count disagrees with the first piece', () => {
    const { a } = assembler();
    a.add(chunk('m', 0, 2, 'a'), 'h', 0);
    expect(a.add(chunk('m', 1, 3, 'b'), 'h', 1)).toEqual({ drop: 'bad_chunk' });
    expect(a.add(chunk('m', 1, 2, 'b'), 'h', 2)).toEqual({ payload: Buffer.from('ab') });
  });

  it('keeps the same id from two senders apart', () => {
    const { a } = assembler();
    a.add(chunk('m', 0, 2, 'a'), '10.0.0.1', 0);
    a.add(chunk('m', 0, 2, 'x'), '10.0.0.2', 0);
    expect(a.add(chunk('m', 1, 2, 'y'), '10.0.0.2', 1)).toEqual({ payload: Buffer.from('xy') });
    expect(a.add(chunk('m', 1, 2, 'b'), '10.0.0.1', 1)).toEqual({ payload: Buffer.from('ab') });
  });

  it('expires a partial message the timeout after its first piece, and counts it once', () => {
    const { a, drops } = assembler({ timeoutMs: 5000 });
    a.add(chunk('m', 0, 3, 'a'), 'h', 0);
    a.add(chunk('m', 1, 3, 'b'), 'h', 4000);
    expect(a.expire(4999)).toBe(0);
    expect(a.expire(5000)).toBe(1);
    expect(drops).toEqual(['expired_chunks']);
    // The late last piece starts a new partial message rather than completing the expired one.
    expect(a.add(chunk('m', 2, 3, 'c'), 'h', 5001)).toEqual({ pending: true });
  });

  it('evicts the oldest partial messages to stay within the memory budget', () => {
    const { a, drops } = assembler({ maxPendingBytes: 10 });
    a.add(chunk('old', 0, 2, 'aaaa'), 'h', 0);
    a.add(chunk('mid', 0, 2, 'bbbb'), 'h', 1);
    expect(a.add(chunk('new', 0, 2, 'cccc'), 'h', 2)).toEqual({ pending: true });
    expect(drops).toEqual(['chunk_memory']);
    expect(a.bytes).toBeLessThanOrEqual(10);
    expect(a.add(chunk('mid', 1, 2, 'B'), 'h', 3)).toEqual({ payload: Buffer.from('bbbbB') });
  });

  it('gives up a single message larger than the whole budget', () => {
    const { a } = assembler({ maxPendingBytes: 6 });
    expect(a.add(chunk('m', 0, 3, 'aaaa'), 'h', 0)).toEqual({ pending: true });
    expect(a.add(chunk('m', 1, 3, 'bbbb'), 'h', 1)).toEqual({ drop: 'chunk_memory' });
    expect(a.size).toBe(0);
    expect(a.bytes).toBe(0);
  });
});
