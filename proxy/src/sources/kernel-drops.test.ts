import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { udpRcvbufErrors } from '../../../bench/lib/proc';
import { IngestCounters } from '../ingest-counters';
import { KernelDropMonitor, procLocalAddress, sumDrops } from './kernel-drops';

const onLinux = process.platform === 'linux' ? it : it.skip;

describe('kernel drops on our UDP sockets', () => {
  it('reads the drops column of the matching socket lines', () => {
    const lines = [
      '  12: 0100007F:3039 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4242 2 0000000000000000 17',
      '  13: 00000000:3039 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4243 2 0000000000000000 5',
      '  14: 0100007F:303A 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4244 2 0000000000000000 99',
    ];
    expect(procLocalAddress('127.0.0.1', 12345)).toBe('0100007F:3039');
    expect(sumDrops(lines, procLocalAddress('127.0.0.1', 12345))).toBe(17);
    expect(sumDrops(lines, procLocalAddress('::', 12345))).toBe(22);
  });

  onLinux('counts what the kernel dropped while the socket was not read, with the last-minute figure', async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    socket.setRecvBufferSize(1); // the kernel's minimum: a few datagrams
    const { port } = socket.address();
    const counters = new IngestCounters();
    const monitor = new KernelDropMonitor(counters);
    monitor.watch('gelf_udp', '127.0.0.1', port);
    const before = udpRcvbufErrors();
    // This thread is blocked while another process sends: nothing reads the socket, so the kernel must drop.
    execFileSync(process.execPath, [
      '-e',
      `const s = require('node:dgram').createSocket('udp4'); let n = 0; const go = () => { if (n++ < 200) s.send(Buffer.alloc(1000), ${port}, '127.0.0.1', go); else s.close(); }; go();`,
    ]);
    monitor.poll();
    const received = await new Promise<number>((resolve) => {
      let n = 0;
      socket.on('message', () => n++);
      setTimeout(() => resolve(n), 200);
    });
    socket.close();
    const source = counters.snapshot().sources.gelf_udp!;
    expect(source.dropped.kernel).toBeGreaterThan(0);
    expect(source.dropped.kernel! + received).toBe(200);
    expect(source.kernelDropsLastMinute).toBe(source.dropped.kernel);
    // The system-wide counter saw at least ours.
    expect(udpRcvbufErrors() - before).toBeGreaterThanOrEqual(source.dropped.kernel!);
  });
});
