/**
 * One complete GELF payload (a whole datagram, a reassembled chunked message, a TCP frame or an HTTP body) → a JSON
 * object. Compression is detected by magic bytes the way Graylog does it, so zlib at any level (`78 01`, `78 5e`,
 * `78 9c`, `78 da`) and gzip both work, where Logstash's gelfd2 only knew `78 9c`.
 */
import { gunzipSync, inflateSync } from 'node:zlib';
import type { DropReason } from '../pipeline-types';

export type Compression = 'gzip' | 'zlib' | 'none';

/** `json` is the (decompressed) JSON text `body` was parsed from. */
export type DecodeResult = { body: Record<string, unknown>; json: Buffer } | { drop: DropReason };

/** Over the cap from an input this many times smaller than the cap: reported as a bomb rather than merely too big. */
const BOMB_RATIO = 100;

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const INFLATE_CHUNK_BYTES = 4096;

export function detectCompression(buf: Uint8Array): Compression {
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    return 'gzip';
  }
  // RFC 1950: CMF 0x78 (deflate, 32 KiB window) and the 16-bit header is a multiple of 31.
  if (buf.length >= 2 && buf[0] === 0x78 && (buf[0] * 256 + buf[1]) % 31 === 0) {
    return 'zlib';
  }
  return 'none';
}

/**
 * Decompresses (capped at `maxBytes` of output) and parses. Never throws: every failure is a drop reason.
 * Over the cap: `bomb` when the compressed input was over 100× smaller than the cap (a 64 MiB run of zeros is ~65 KB
 * of zlib), else `too_big`. Either way at most `maxBytes` are ever inflated.
 */
export function decodePayload(buf: Buffer, maxBytes: number, compression = detectCompression(buf)): DecodeResult {
  let json: Buffer;
  if (compression === 'none') {
    if (buf.length > maxBytes) {
      return { drop: 'too_big' };
    }
    json = buf;
  } else {
    try {
      // DreamFactory's messages inflate to a few KB: a 4 KB output chunk (not 16 KB) allocates less per message.
      const options = { maxOutputLength: maxBytes, chunkSize: INFLATE_CHUNK_BYTES };
      json = compression === 'gzip' ? gunzipSync(buf, options) : inflateSync(buf, options);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        return { drop: maxBytes / Math.max(buf.length, 1) > BOMB_RATIO ? 'bomb' : 'too_big' };
      }
      return { drop: 'bad_compression' };
    }
  }
  return parseJsonObject(json);
}

/** JSON text → object; arrays, strings, numbers and null are `not_object`. */
export function parseJsonObject(buf: Buffer): DecodeResult {
  const start = buf[0] === UTF8_BOM[0] && buf[1] === UTF8_BOM[1] && buf[2] === UTF8_BOM[2] ? 3 : 0;
  let value: unknown;
  try {
    value = JSON.parse(buf.toString('utf8', start));
  } catch {
    return { drop: 'bad_json' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { drop: 'not_object' };
  }
  return { body: value as Record<string, unknown>, json: start === 0 ? buf : buf.subarray(start) };
}
