import { gelfDatagrams } from '../../dreamfactory-sim/log-formats';
import { parseChunk } from '../../../proxy/src/gelf/chunk-header';

const standard = (seq: number, count: number, data = Buffer.from('data')) =>
  Buffer.concat([Buffer.from([0x1e, 0x0f, 1, 2, 3, 4, 5, 6, 7, 8, seq, count]), data]);

const bigDfEvent = {
  message: 'db._table.contact.get',
  level: 'INFO' as const,
  timestamp: 1716800000.123456,
  host: 'df01',
  // Incompressible enough to need several 8154-byte pieces.
  event: { response: { content: Array.from({ length: 4000 }, (_, i) => `${i.toString(36)}:${((i * 2654435761) >>> 0).toString(16)}`) } },
};

describe('parseChunk', () => {
  it('reads the standard 12-byte header', () => {
    expect(parseChunk(standard(2, 3))).toEqual({ layout: 'standard', id: '0102030405060708', seq: 2, count: 3, data: Buffer.from('data') });
  });

  it("reads DreamFactory's 38-byte header on the bytes its sender produces", () => {
    const pieces = gelfDatagrams(bigDfEvent);
    expect(pieces.length).toBeGreaterThan(2);
    const parsed = pieces.map((p) => parseChunk(p));
    for (const [seq, chunk] of parsed.entries()) {
      expect(chunk).toMatchObject({ layout: 'dreamfactory', seq, count: pieces.length });
      expect('id' in chunk && chunk.id).toBe(pieces[0].toString('hex', 2, 34));
    }
    expect(parsed.map((c) => ('data' in c ? c.data.length : 0)).slice(0, -1)).toEqual(Array(pieces.length - 1).fill(8154));
  });

  it('keeps a standard chunk standard even when its id bytes look like a DreamFactory seq/count', () => {
    // Bytes 34..37 would read as seq 0, count 2, but an 8154-byte data length is required for a non-last piece.
    const data = Buffer.alloc(100);
    data.writeUInt16BE(0, 22);
    data.writeUInt16BE(2, 24);
    expect(parseChunk(standard(0, 2, data))).toMatchObject({ layout: 'standard', seq: 0, count: 2 });
  });

  it('accepts an empty last piece (gelf-pro sends one for an exact multiple of its chunk size)', () => {
    expect(parseChunk(standard(1, 2, Buffer.alloc(0)))).toMatchObject({ layout: 'standard', seq: 1, count: 2 });
  });

  it.each([
    ['seq ≥ count', standard(3, 3), 'bad_chunk'],
    ['count 0', standard(0, 0), 'bad_chunk'],
    ['count > 128', standard(0, 129), 'too_many_chunks'],
    ['a header cut short', Buffer.from([0x1e, 0x0f, 1, 2, 3]), 'bad_chunk'],
  ])('rejects %s', (_name, bytes, reason) => {
    expect(parseChunk(bytes)).toEqual({ drop: reason });
  });
});
