import { execFileSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { createLogger } from '../logger';
import { decodePayload } from '../gelf/payload';
import type { Source } from '../pipeline-types';
import { createSourceHarness, waitFor } from './test-harness';
import { DEFAULT_UDP_RECEIVER, startUdpSources, UdpSourceSpec } from './udp-receiver';

function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

const jsonSpec = (recvBufferBytes?: number): UdpSourceSpec => ({
  source: 'json_udp',
  format: 'json',
  host: '127.0.0.1',
  port: 0,
  recvBufferBytes,
  decode: (datagram) => decodePayload(datagram, 1 << 20),
});

/** Sends `count` datagrams from another process, as fast as it can; blocks this thread (not the receiving one) meanwhile. */
function burstFromAnotherProcess(port: number, count: number): void {
  // Every send completes before the socket closes (closing cancels queued sends).
  const script = `
    const socket = require('node:dgram').createSocket('udp4');
    let done = 0;
    for (let n = 0; n < ${count}; n++) {
      const body = Buffer.from(JSON.stringify({ _message: 'burst', n, pad: 'x'.repeat(900) }));
      socket.send(body, ${port}, '127.0.0.1', () => ++done === ${count} && socket.close());
    }`;
  execFileSync(process.execPath, ['-e', script]);
}

describe('UDP receiving thread', () => {
  const started: Source[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.close()));
  });

  it('logs the effective receive buffer, and warns with the fix when the kernel caps the request', async () => {
    const { logger, lines } = capturingLogger();
    const h = createSourceHarness();
    // Far above any default net.core.rmem_max, so the kernel caps it (Linux) or refuses it (elsewhere).
    started.push(...(await startUdpSources([jsonSpec(1 << 30)], DEFAULT_UDP_RECEIVER, { ...h.deps, logger })));
    const warning = lines.find((l) => String(l.msg).includes('net.core.rmem_max') || String(l.msg).includes('cannot set'));
    expect(warning).toMatchObject({ level: 40, source: 'json_udp', requested: 1 << 30 });
  });

  it('keeps a modest request as asked', async () => {
    const { logger, lines } = capturingLogger();
    const h = createSourceHarness();
    started.push(...(await startUdpSources([jsonSpec(128 * 1024)], DEFAULT_UDP_RECEIVER, { ...h.deps, logger })));
    expect(lines.find((l) => l.msg === 'UDP receive buffer')).toMatchObject({ effective: 128 * 1024 });
  });

  it('accounts for every datagram of a burst into a minimal receive buffer: received or dropped by the kernel', async () => {
    const h = createSourceHarness();
    // The kernel rounds a 1-byte request up to its minimum (a few KB): two or three datagrams fit.
    const [source] = await startUdpSources([jsonSpec(1)], DEFAULT_UDP_RECEIVER, h.deps);
    started.push(source);
    const SENT = 20_000;
    burstFromAnotherProcess(source.address().port, SENT);
    const total = async () => (await h.count('received', { source: 'json_udp' })) + (await h.count('kernelDrops', { source: 'json_udp' }));
    await waitFor(async () => (await total()) === SENT, `received + kernel drops to reach ${SENT}`, 10_000);
    expect(h.messages.length).toBe(await h.count('received', { source: 'json_udp' }));
    const snapshot = h.metrics.ingest.snapshot().sources.json_udp!;
    expect(snapshot.received + (snapshot.dropped.kernel ?? 0)).toBe(SENT);
  }, 30_000);
});
