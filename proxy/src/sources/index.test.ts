import { createServer } from 'node:net';
import { loadConfig } from '../config';
import { createSourceHarness } from './test-harness';
import { startSources } from '.';

const LOOPBACK = { host: '127.0.0.1', port: 0 };

describe('startSources', () => {
  it('starts every enabled listener on its own ephemeral port and skips disabled ones', async () => {
    const config = loadConfig({}, { ingest: { gelfUdp: LOOPBACK, gelfTcp: LOOPBACK, jsonUdp: LOOPBACK, jsonTcp: { ...LOOPBACK, enabled: false }, jsonHttp: LOOPBACK } });
    const sources = await startSources(config.ingest, createSourceHarness().deps);
    try {
      expect(sources.map((s) => s.name)).toEqual(['gelf_udp', 'gelf_tcp', 'json_udp', 'json_http']);
      expect(sources.every((s) => s.address().port > 0)).toBe(true);
    } finally {
      await Promise.all(sources.map((s) => s.close()));
    }
  });

  it('fails with the bind error and closes what it already started when a port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    const config = loadConfig({}, { ingest: { gelfUdp: { ...LOOPBACK, port: taken }, gelfTcp: { ...LOOPBACK, port: taken }, jsonUdp: LOOPBACK, jsonTcp: LOOPBACK, jsonHttp: LOOPBACK } });
    try {
      await expect(startSources(config.ingest, createSourceHarness().deps)).rejects.toThrow(/EADDRINUSE/);
      // The UDP listener on the same number started first; it must have been closed again.
      const { createSocket } = await import('node:dgram');
      const probe = createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        probe.once('error', reject);
        probe.bind(taken, '127.0.0.1', () => resolve());
      });
      probe.close();
    } finally {
      blocker.close();
    }
  });
});
