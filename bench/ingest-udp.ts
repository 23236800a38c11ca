/**
 * `npm run bench:ingest-udp`: DreamFactory GELF datagrams from a separate sender process into the real GELF UDP source
 * (decode + transform in the handler, no queue), on 127.0.0.1. Reports what arrived, what the kernel dropped
 * (/proc/net/snmp Udp RcvbufErrors) and the handled rate. Writes bench/results/ingest-udp-<date>.json.
 *
 *   BENCH_MESSAGES=50000 BENCH_RATE=20000 npm run bench:ingest-udp
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_REDACT_KEYS } from '../proxy/src/config';
import { createLogger } from '../proxy/src/logger';
import { createMetrics } from '../proxy/src/metrics';
import { startGelfUdpSource } from '../proxy/src/sources/gelf-udp';
import { transformMessage } from '../proxy/src/transforms';
import { gelfDatagrams } from '../tests/dreamfactory-sim/log-formats';
import { generateEvents } from '../tests/dreamfactory-sim/sender';

const MESSAGES = Math.min(Number(process.env.BENCH_MESSAGES ?? 50_000), 1_000_000);
const RATE = Number(process.env.BENCH_RATE ?? 20_000);
const RECV_BUFFER = Number(process.env.BENCH_RECV_BUFFER ?? 8 * 1024 * 1024);
const OPTIONS = { redact: true, redactKeys: DEFAULT_REDACT_KEYS, dropDuplicateTableEvents: false };

function rcvbufErrors(): number {
  const lines = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp:'));
  const [names, values] = lines.map((l) => l.split(/\s+/));
  return Number(values[names.indexOf('RcvbufErrors')]);
}

/** Child process: send MESSAGES datagrams (cycling through 500 realistic ones) at RATE per second, in 1 ms slices. */
async function sender(port: number): Promise<void> {
  const users = Array.from({ length: 50 }, (_, i) => ({ id: i + 1, email: `user${i + 1}@example.com`, name: `User ${i + 1}` }));
  const datagrams = (await generateEvents({ count: 500, users, jwtSecret: 'bench-udp-secret-bench-udp-secret', seed: 5 })).map((e) => gelfDatagrams(e)[0]);
  const socket = createSocket('udp4');
  const started = Date.now();
  for (let sent = 0; sent < MESSAGES; ) {
    const due = Math.min(MESSAGES, Math.floor(((Date.now() - started + 1) * RATE) / 1000));
    for (; sent < due; sent++) {
      socket.send(datagrams[sent % datagrams.length], port, '127.0.0.1');
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await new Promise((r) => setTimeout(r, 200));
  socket.close();
  process.stdout.write(`${JSON.stringify({ sent: MESSAGES, seconds: (Date.now() - started) / 1000 })}\n`);
}

async function main(): Promise<void> {
  const metrics = createMetrics();
  let handled = 0;
  let firstAt = 0;
  let lastAt = 0;
  const source = await startGelfUdpSource(
    { host: '127.0.0.1', port: 0, recvBufferBytes: RECV_BUFFER, maxMessageBytes: 8 << 20, chunkTimeoutMs: 5000, maxPendingChunkBytes: 64 << 20 },
    {
      metrics,
      logger: createLogger('warn'),
      drop: (s, reason) => metrics.dropped.inc({ source: s, reason }),
      handler: async (message) => {
        transformMessage(message, OPTIONS);
        firstAt ||= Date.now();
        lastAt = Date.now();
        handled++;
      },
    }
  );
  const kernelBefore = rcvbufErrors();
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, 'send', String(source.address().port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  await new Promise((resolve) => child.on('exit', resolve));
  // Let the receive buffer drain (bounded).
  for (let i = 0, prev = -1; i < 50 && prev !== handled; i++) {
    prev = handled;
    await new Promise((r) => setTimeout(r, 100));
  }
  await source.close();
  const sent = JSON.parse(output.trim().split('\n').pop() ?? '{}') as { sent: number; seconds: number };
  const report = {
    benchmark: 'ingest-udp',
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    loadAverage1m: loadavg()[0],
    targetRate: RATE,
    recvBufferBytes: RECV_BUFFER,
    sent: sent.sent,
    senderSeconds: sent.seconds,
    handled,
    lossPercent: Math.round((1 - handled / sent.sent) * 10000) / 100,
    kernelRcvbufErrors: rcvbufErrors() - kernelBefore,
    handledPerSecond: Math.round(handled / Math.max((lastAt - firstAt) / 1000, 0.001)),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `ingest-udp-${report.date.slice(0, 10)}.json`), `${JSON.stringify(report, null, 2)}\n`);
}

const [mode, port] = process.argv.slice(2);
(mode === 'send' ? sender(Number(port)) : main()).catch((err: Error) => {
  process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
