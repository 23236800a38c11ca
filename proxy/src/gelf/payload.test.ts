import { deflateSync, gzipSync, constants } from 'node:zlib';
import { decodePayload, detectCompression } from './payload';

const MAX = 1024 * 1024;
const json = Buffer.from('{"version":"1.1","host":"df01","short_message":null,"full_message":"db._table.contact.get"}');

describe('decodePayload', () => {
  it.each([
    ['zlib default (78 9c, DreamFactory and gelf-pro)', deflateSync(json), 'zlib'],
    ['zlib best speed (78 01, go-gelf, misread by Logstash)', deflateSync(json, { level: 1 }), 'zlib'],
    ['zlib level 2-5 (78 5e)', deflateSync(json, { level: 3 }), 'zlib'],
    ['zlib best compression (78 da)', deflateSync(json, { level: 9 }), 'zlib'],
    ['gzip (1f 8b)', gzipSync(json), 'gzip'],
    ['raw JSON', json, 'none'],
  ])('decodes %s', (_name, bytes, compression) => {
    expect(detectCompression(bytes)).toBe(compression);
    expect(decodePayload(bytes, MAX)).toEqual({ body: JSON.parse(json.toString()), json });
  });

  it('reads x followed by a non-zlib second byte as raw JSON, not zlib', () => {
    // 0x78 0x7b ("x{") fails the FCHECK rule, so it is not mistaken for a zlib header.
    expect(detectCompression(Buffer.from('x{'))).toBe('none');
    expect(decodePayload(Buffer.from('x{'), MAX)).toEqual({ drop: 'bad_json' });
  });

  it('stops a zlib bomb (64 MiB of zeros) at the cap without inflating it all', () => {
    const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024), { level: constants.Z_BEST_COMPRESSION });
    expect(bomb.length).toBeLessThan(100 * 1024);
    expect(decodePayload(bomb, 8 * 1024 * 1024)).toEqual({ drop: 'bomb' });
    expect(decodePayload(gzipSync(Buffer.alloc(16 * 1024 * 1024)), 8 * 1024 * 1024)).toEqual({ drop: 'bomb' });
  });

  it('calls an ordinary message over the cap too_big, compressed or not', () => {
    const big = Buffer.from(JSON.stringify({ short_message: 'x', _blob: Buffer.alloc(3000, 7).toString('base64') }));
    expect(decodePayload(big, 1000)).toEqual({ drop: 'too_big' });
    // base64 of random-looking data compresses poorly, so the ratio is far below a bomb's.
    const random = Buffer.from(JSON.stringify({ r: Array.from({ length: 400 }, (_, i) => ((i * 7919) % 65521).toString(36)).join('') }));
    expect(decodePayload(deflateSync(random), 500)).toEqual({ drop: 'too_big' });
  });

  it.each([
    ['truncated zlib', deflateSync(json).subarray(0, 20), 'bad_compression'],
    ['truncated gzip', gzipSync(json).subarray(0, 15), 'bad_compression'],
    ['invalid JSON', Buffer.from('{"short_message": '), 'bad_json'],
    ['garbage bytes', Buffer.from([0x00, 0xff, 0x13, 0x37]), 'bad_json'],
    ['empty', Buffer.alloc(0), 'bad_json'],
    ['a JSON array', Buffer.from('[{"short_message":"a"}]'), 'not_object'],
    ['a JSON string', Buffer.from('"hello"'), 'not_object'],
    ['JSON null', Buffer.from('null'), 'not_object'],
  ])('drops %s as %s', (_name, bytes, reason) => {
    expect(decodePayload(bytes, MAX)).toEqual({ drop: reason });
  });

  it('accepts a UTF-8 byte order mark', () => {
    expect(decodePayload(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json]), MAX)).toEqual({ body: JSON.parse(json.toString()), json });
  });
});
