import fc from 'fast-check';
import { deflateSync } from 'node:zlib';
import { GelfDatagramDecoder } from './datagram-decoder';

const MAX_PENDING = 64 * 1024;

function decoder() {
  const drops: string[] = [];
  return { d: new GelfDatagramDecoder({ maxMessageBytes: 1 << 20, chunkTimeoutMs: 5000, maxPendingChunkBytes: MAX_PENDING, onDrop: (r) => drops.push(r) }), drops };
}

/** Random datagrams, biased towards the interesting prefixes (chunk magic, zlib, gzip, JSON). */
const datagram = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((b) => Uint8Array.from([0x1e, 0x0f, ...b])),
  fc.uint8Array({ maxLength: 200 }).map((b) => Uint8Array.from([0x78, 0x9c, ...b])),
  fc.uint8Array({ maxLength: 200 }).map((b) => Uint8Array.from([0x1f, 0x8b, ...b])),
  fc.json().map((j) => new TextEncoder().encode(j))
);

/** Standard chunks of a few ids, with random seq/count (often inconsistent), duplicates and payload sizes. */
const chunkSequence = fc.array(
  fc.record({ id: fc.integer({ min: 0, max: 3 }), seq: fc.integer({ min: 0, max: 10 }), count: fc.integer({ min: 0, max: 140 }), size: fc.integer({ min: 0, max: 4000 }), at: fc.integer({ min: 0, max: 7000 }) }),
  { maxLength: 60 }
);

describe('GelfDatagramDecoder (property)', () => {
  it('never throws on arbitrary datagrams and always ends in an object, pending or a drop reason', () => {
    fc.assert(
      fc.property(fc.array(datagram, { maxLength: 20 }), (datagrams) => {
        const { d } = decoder();
        for (const bytes of datagrams) {
          const result = d.decode(Buffer.from(bytes), '127.0.0.1', 0);
          expect('body' in result || 'pending' in result || 'drop' in result).toBe(true);
        }
      }),
      { numRuns: 200 }
    );
  });

  it('keeps pending chunk memory within its budget whatever the chunk sequence', () => {
    fc.assert(
      fc.property(chunkSequence, (chunks) => {
        const { d } = decoder();
        let now = 0;
        for (const c of chunks) {
          now += c.at;
          const header = Buffer.from([0x1e, 0x0f, 0, 0, 0, 0, 0, 0, 0, c.id, c.seq, c.count]);
          d.decode(Buffer.concat([header, Buffer.alloc(c.size, 0x41)]), '127.0.0.1', now);
          expect(d.chunks.bytes).toBeLessThanOrEqual(MAX_PENDING);
        }
      }),
      { numRuns: 200 }
    );
  });

  it('reassembles any message split into any chunk order', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), fc.integer({ min: 1, max: 128 }), fc.integer(), (text, count, shuffleSeed) => {
        const payload = deflateSync(JSON.stringify({ short_message: text }));
        const size = Math.ceil(payload.length / count);
        const pieces = Array.from({ length: count }, (_, seq) =>
          Buffer.concat([Buffer.from([0x1e, 0x0f, 9, 9, 9, 9, 9, 9, 9, 9, seq, count]), payload.subarray(seq * size, (seq + 1) * size)])
        );
        const order = pieces.map((_, i) => i).sort((a, b) => ((a * 31 + shuffleSeed) % 97) - ((b * 31 + shuffleSeed) % 97));
        const { d } = decoder();
        const results = order.map((i) => d.decode(pieces[i], '127.0.0.1', 0));
        expect(results.pop()).toEqual({ body: { short_message: text }, json: Buffer.from(JSON.stringify({ short_message: text })) });
        expect(results.every((r) => 'pending' in r)).toBe(true);
      }),
      { numRuns: 100 }
    );
  });
});
