/**
 * GELF chunk headers. Two layouts share the `1e 0f` magic:
 *
 *   standard (GELF 1.1)   1e 0f | id: 8 bytes  | seq: u8     | count: u8      | data      (12-byte header)
 *   DreamFactory          1e 0f | id: 32 bytes | seq: u16 BE | count: u16 BE  | data      (38-byte header)
 *
 * DreamFactory (df-logger GelfLogger) cuts the zlib payload into 8154-byte pieces, sends at most 128 of them and never
 * chunks a payload that fits one datagram. A datagram is read as DreamFactory's layout only when all of that holds:
 * `2 ≤ count ≤ 128`, `seq < count`, and the data after the 38-byte header is exactly 8154 bytes (every piece but the
 * last) or 1..8154 bytes (the last, `seq = count - 1`). Otherwise it is read as the standard layout.
 *
 * A standard chunk is misread only if its payload bytes 22..25 happen to be `00 s 00 c` with those constraints and
 * the datagram length fits: below one in ten million for compressed data. A DreamFactory piece never passes for a
 * standard chunk, because it is tested first and always fits its own rule.
 */
import type { DropReason } from '../pipeline-types';

export const CHUNK_MAGIC = [0x1e, 0x0f] as const;
export const MAX_CHUNKS = 128;
export const DF_HEADER_BYTES = 38;
export const DF_PIECE_BYTES = 8154;
export const STANDARD_HEADER_BYTES = 12;

export interface Chunk {
  layout: 'standard' | 'dreamfactory';
  /** Hex message id (8 or 32 bytes). */
  id: string;
  seq: number;
  count: number;
  data: Buffer;
}

export function isChunk(buf: Uint8Array): boolean {
  return buf.length >= 2 && buf[0] === CHUNK_MAGIC[0] && buf[1] === CHUNK_MAGIC[1];
}

function readDreamFactory(buf: Buffer): Chunk | undefined {
  if (buf.length <= DF_HEADER_BYTES) {
    return undefined;
  }
  const seq = buf.readUInt16BE(34);
  const count = buf.readUInt16BE(36);
  const dataBytes = buf.length - DF_HEADER_BYTES;
  const sizeFits = seq === count - 1 ? dataBytes <= DF_PIECE_BYTES : dataBytes === DF_PIECE_BYTES;
  if (count < 2 || count > MAX_CHUNKS || seq >= count || !sizeFits) {
    return undefined;
  }
  return { layout: 'dreamfactory', id: buf.toString('hex', 2, 34), seq, count, data: buf.subarray(DF_HEADER_BYTES) };
}

/** Parses a datagram that starts with the chunk magic. */
export function parseChunk(buf: Buffer): Chunk | { drop: DropReason } {
  const df = readDreamFactory(buf);
  if (df) {
    return df;
  }
  // An empty last piece is legal: gelf-pro sends one when the payload is an exact multiple of its chunk size.
  if (buf.length < STANDARD_HEADER_BYTES) {
    return { drop: 'bad_chunk' };
  }
  const seq = buf[10];
  const count = buf[11];
  if (count > MAX_CHUNKS) {
    return { drop: 'too_many_chunks' };
  }
  if (count === 0 || seq >= count) {
    return { drop: 'bad_chunk' };
  }
  return { layout: 'standard', id: buf.toString('hex', 2, 10), seq, count, data: buf.subarray(STANDARD_HEADER_BYTES) };
}
