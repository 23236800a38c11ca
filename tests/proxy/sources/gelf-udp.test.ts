/**
 * The GELF UDP listener on 127.0.0.1 fed by real senders: Debian ruby-gelf, npm gelf-pro and the DreamFactory sender
 * (df-logger's bytes), plus every kind of bad input, each counted while the listener keeps delivering.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { deflateSync } from 'node:zlib';
import gelfPro from 'gelf-pro';
import { sendGelfUdp, sendUdpDatagrams } from '../../dreamfactory-sim/sender';
import type { Source } from '../../../proxy/src/pipeline-types';
import { startGelfUdpSource } from '../../../proxy/src/sources/gelf-udp';
import { createSourceHarness, SourceHarness, waitFor } from '../../../proxy/src/sources/test-harness';

const HOST = '127.0.0.1';
const CHUNK_TIMEOUT_MS = 300;

const dfEvent = (message: string, extra: Record<string, unknown> = {}) => ({
  message,
  level: 'INFO' as const,
  timestamp: 1716800000.123456,
  host: 'df01',
  event: { request: { method: 'GET', uri: '/api/v2/db/_table/contact?limit=1', service: 'db' }, response: { status_code: 200 }, ...extra },
  platform: { session: { user: { id: 3, email: 'jane@example.com' } } },
});

const standardChunk = (id: number, seq: number, count: number, data: Buffer) =>
  Buffer.concat([Buffer.from([0x1e, 0x0f, 0, 0, 0, 0, 0, 0, 0, id, seq, count]), data]);

describe('GELF UDP source', () => {
  let h: SourceHarness;
  let source: Source;
  let port: number;

  beforeEach(async () => {
    h = createSourceHarness();
    source = await startGelfUdpSource(
      { host: HOST, port: 0, recvBufferBytes: 1024 * 1024, maxMessageBytes: 8 * 1024 * 1024, chunkTimeoutMs: CHUNK_TIMEOUT_MS, maxPendingChunkBytes: 16 * 1024 * 1024 },
      h.deps
    );
    port = source.address().port;
  });
  afterEach(() => source.close());

  it('binds an ephemeral port when configured with port 0', () => {
    expect(port).toBeGreaterThan(0);
  });

  it('decodes a message ruby-gelf (Debian) zlib-compresses and chunks at 1420 bytes', async () => {
    await promisify(execFile)('ruby', [
      '-e',
      `require 'gelf'; n = GELF::Notifier.new('${HOST}', ${port}, 'WAN'); n.notify!(short_message: 'from ruby', _big: 'x' * 5000, _noise: (1..900).map { |i| (i * 7919 % 10007).to_s(36) }.join)`,
    ]);
    const [message] = await h.waitForMessages(1);
    expect(message.body).toMatchObject({ short_message: 'from ruby', _big: 'x'.repeat(5000) });
    expect(message).toMatchObject({ source: 'gelf_udp', format: 'gelf', remoteAddress: HOST });
    expect(await h.count('received', { source: 'gelf_udp' })).toBeGreaterThan(1);
    expect(await h.count('decoded', { source: 'gelf_udp' })).toBe(1);
  });

  it('decodes gelf-pro, which chunks even a small message', async () => {
    const log = Object.create(gelfPro) as typeof gelfPro;
    log.setConfig({ adapterName: 'udp', adapterOptions: { host: HOST, port, protocol: 'udp4' } });
    await new Promise((resolve, reject) => log.message('hello from gelf-pro', 6, { request_id: 'r-1' }, (err?: Error) => (err ? reject(err) : resolve(undefined))));
    const [message] = await h.waitForMessages(1);
    expect(message.body).toMatchObject({ short_message: 'hello from gelf-pro', level: 6, _request_id: 'r-1' });
  });

  it("decodes DreamFactory's single zlib datagram byte for byte", async () => {
    expect(await sendGelfUdp(HOST, port, dfEvent('db._table.contact.get'))).toBe(1);
    const [message] = await h.waitForMessages(1);
    expect(message.body).toEqual({
      version: '1.1',
      host: 'df01',
      short_message: null,
      full_message: 'db._table.contact.get',
      timestamp: 1716800000.123456,
      level: 6,
      _php_sapi: 'fpm-fcgi',
      _file: '/opt/dreamfactory/public/index.php',
      _event: dfEvent('').event,
      _platform: dfEvent('').platform,
    });
  });

  it("reassembles a > 100 KB DreamFactory message sent in its 38-byte-header chunks", async () => {
    const rows = Array.from({ length: 6000 }, (_, i) => ({ id: i, email: `user${(i * 2654435761) >>> 0}@example.com` }));
    const event = dfEvent('db._table.contact.get', { response: { status_code: 200, content: { resource: rows } } });
    const datagrams = await sendGelfUdp(HOST, port, event);
    expect(datagrams).toBeGreaterThan(1);
    const [message] = await h.waitForMessages(1);
    expect(JSON.stringify(message.body).length).toBeGreaterThan(100 * 1024);
    expect(message.body._event).toEqual(event.event);
    expect(await h.count('received', { source: 'gelf_udp' })).toBe(datagrams);
  });

  it('counts every kind of bad input under its reason and still delivers the good message after it', async () => {
    const payload = deflateSync(JSON.stringify({ short_message: 'chunked' }));
    const half = Math.ceil(payload.length / 2);
    const [a, b] = [payload.subarray(0, half), payload.subarray(half)];
    const bad: Buffer[] = [
      Buffer.from('{"short_message": "truncated'),
      Buffer.from([0x13, 0x37, 0x00, 0xff]),
      Buffer.from('[1,2,3]'),
      deflateSync(JSON.stringify({ short_message: 'cut' })).subarray(0, 12),
      deflateSync(Buffer.alloc(32 * 1024 * 1024), { level: 9 }),
      standardChunk(1, 2, 2, a),
      standardChunk(1, 0, 129, a),
      // A message whose pieces disagree on the count, and a duplicate piece; then both complete.
      standardChunk(2, 0, 2, a),
      standardChunk(2, 1, 3, b),
      standardChunk(2, 0, 2, a),
      standardChunk(2, 1, 2, b),
      // The first half of a message that never completes.
      standardChunk(3, 0, 2, a),
    ];
    for (const datagram of bad) {
      await sendUdpDatagrams(HOST, port, [datagram]);
    }
    await sendGelfUdp(HOST, port, dfEvent('still here'));
    await h.waitForMessages(2);
    expect(h.messages.map((m) => m.body.short_message ?? m.body.full_message)).toEqual(['chunked', 'still here']);
    await waitFor(async () => (await h.count('dropped', { source: 'gelf_udp', reason: 'expired_chunks' })) === 1, 'the partial message to expire');
    const expected = { bad_json: 2, not_object: 1, bad_compression: 1, bomb: 1, bad_chunk: 2, too_many_chunks: 1, duplicate_chunk: 1, expired_chunks: 1 };
    for (const [reason, n] of Object.entries(expected)) {
      expect([reason, await h.count('dropped', { source: 'gelf_udp', reason: reason as never })]).toEqual([reason, n]);
    }
    expect(await h.count('received', { source: 'gelf_udp' })).toBe(bad.length + 1);
  });
});
