/**
 * Hostile or broken senders against the real listeners: chunk floods, slow-loris TCP connections and huge HTTP
 * bodies. Memory stays bounded (pending chunks capped and counted), listeners stay up, and a well-behaved sender
 * right after is still served. Elasticsearch is deliberately unreachable: the disk queue absorbs what is accepted.
 */
import { createSocket } from 'node:dgram';
import { AddressInfo, connect, Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../proxy/src/config';
import { buildProxyServer, createProxyParts, ingestDeps, type ProxyParts } from '../../proxy/src/compose';
import { createLogger } from '../../proxy/src/logger';
import { Ingest, startIngest } from '../../proxy/src/pipeline';
import type { SourceName } from '../../proxy/src/pipeline-types';
import { counterValue } from '../../proxy/src/testing/metric-value';
import { waitFor } from '../../proxy/src/testing/wait';

const LOOPBACK = { host: '127.0.0.1', port: 0 };
const PENDING_CAP = 2 * 1024 * 1024;
const MAX_MESSAGE = 256 * 1024;

function counter(parts: ProxyParts, name: 'decoded' | 'dropped', labels: Record<string, string>): Promise<number> {
  return counterValue(parts.metrics[name], labels);
}

describe('listeners under abuse', () => {
  let parts: ProxyParts;
  let ingest: Ingest;
  let app: FastifyInstance;
  let queueDir: string;
  const port = (name: SourceName) => ingest.sources.find((s) => s.name === name)!.address().port;

  beforeAll(async () => {
    queueDir = mkdtempSync(join(tmpdir(), 'dfi-abuse-'));
    const config = loadConfig(
      {},
      {
        apiToken: 'abuse-test-token-0123456789',
        server: LOOPBACK,
        // Nothing listens on port 9: the sink keeps retrying while the queue holds what was accepted.
        elasticsearch: { urls: ['http://127.0.0.1:9'] },
        ingest: {
          gelfUdp: LOOPBACK,
          gelfTcp: LOOPBACK,
          jsonUdp: LOOPBACK,
          jsonTcp: LOOPBACK,
          jsonHttp: LOOPBACK,
          maxPendingChunkBytes: PENDING_CAP,
          maxMessageBytes: MAX_MESSAGE,
          maxTcpFrameBytes: MAX_MESSAGE,
        },
        queue: { dir: queueDir },
        setupOnStart: false,
      }
    );
    parts = createProxyParts(config, createLogger('silent'));
    ingest = await startIngest(ingestDeps(parts));
    app = await buildProxyServer(parts, ingest);
    await app.listen(LOOPBACK);
  });

  afterAll(async () => {
    await app.close();
    await ingest.stop({ graceMs: 0 });
    await parts.es.close();
    rmSync(queueDir, { recursive: true, force: true });
  });

  it('a flood of never-completed chunked messages is capped, counted, and does not block a real message', async () => {
    const socket = createSocket('udp4');
    const piece = Buffer.alloc(1024, 0x41);
    const FLOOD = 6000; // 6 MiB of first halves, three times the pending budget
    for (let i = 0; i < FLOOD; i++) {
      const id = Buffer.alloc(8);
      id.writeUInt32BE(i, 4);
      const header = Buffer.concat([Buffer.from([0x1e, 0x0f]), id, Buffer.from([0, 2])]);
      await new Promise<void>((r) => socket.send(Buffer.concat([header, piece]), port('gelf_udp'), '127.0.0.1', () => r()));
      if (i % 200 === 0) {
        await new Promise((r) => setImmediate(r));
      }
    }
    await waitFor(async () => (await counter(parts, 'dropped', { source: 'gelf_udp', reason: 'chunk_memory' })) > 0, 'chunk_memory drops', 15000);

    const before = await counter(parts, 'decoded', { source: 'gelf_udp' });
    const good = deflateSync(JSON.stringify({ version: '1.1', host: 'df01', short_message: null, full_message: 'after the flood', timestamp: Date.now() / 1000, level: 6 }));
    await new Promise<void>((r) => socket.send(good, port('gelf_udp'), '127.0.0.1', () => r()));
    await waitFor(async () => (await counter(parts, 'decoded', { source: 'gelf_udp' })) > before, 'the good message after the flood', 15000);
    socket.close();
  });

  it('slow-loris TCP connections do not stop other senders', async () => {
    const idle: Socket[] = [];
    for (let i = 0; i < 200; i++) {
      const socket = connect(port('gelf_tcp'), '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write('{"short_message":"never fin'); // no NUL: a frame that never ends
      idle.push(socket);
    }
    const before = await counter(parts, 'decoded', { source: 'gelf_tcp' });
    const client = connect(port('gelf_tcp'), '127.0.0.1');
    client.write(`${JSON.stringify({ version: '1.1', host: 'df01', short_message: 'a real frame' })}\0`);
    await waitFor(async () => (await counter(parts, 'decoded', { source: 'gelf_tcp' })) > before, 'the real frame', 15000);
    client.end();
    idle.forEach((s) => s.destroy());
  });

  it('huge HTTP bodies are refused with 413 and the listeners keep serving', async () => {
    const huge = Buffer.alloc(MAX_MESSAGE * 8, 0x20);
    const proxyPort = (app.server.address() as AddressInfo).port;
    const gelf = await fetch(`http://127.0.0.1:${proxyPort}/gelf`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: huge,
    });
    expect(gelf.status).toBe(413);
    const json = await fetch(`http://127.0.0.1:${port('json_http')}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: huge,
    });
    expect(json.status).toBe(413);
    const ok = await fetch(`http://127.0.0.1:${port('json_http')}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: JSON.stringify({ _message: 'still here', _level: 200 }),
    });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('ok');
  });
});
