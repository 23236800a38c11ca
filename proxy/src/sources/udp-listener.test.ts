import { Writable } from 'node:stream';
import { createLogger } from '../logger';
import { startUdpListener } from './udp-listener';

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

describe('UDP listener receive buffer', () => {
  it('logs the effective size, and warns with the fix when the kernel caps the request', async () => {
    const { logger, lines } = capturingLogger();
    // Far above any default net.core.rmem_max, so the kernel caps it (Linux) or refuses it (elsewhere).
    const source = await startUdpListener({ name: 'gelf_udp', host: '127.0.0.1', port: 0, recvBufferBytes: 1 << 30 }, logger, () => undefined);
    await source.close();
    const warning = lines.find((l) => String(l.msg).includes('net.core.rmem_max') || String(l.msg).includes('cannot set'));
    expect(warning).toMatchObject({ level: 40, source: 'gelf_udp', requested: 1 << 30 });
  });

  it('keeps a modest request as asked', async () => {
    const { logger, lines } = capturingLogger();
    const source = await startUdpListener({ name: 'json_udp', host: '127.0.0.1', port: 0, recvBufferBytes: 128 * 1024 }, logger, () => undefined);
    await source.close();
    expect(lines.find((l) => l.msg === 'UDP receive buffer')).toMatchObject({ effective: 128 * 1024 });
  });
});
