/**
 * UDP loss in the kernel is counted, not silent: the proxy (its own process, a minimal receive buffer) is paused with
 * SIGSTOP while a burst arrives, so the kernel must drop most of it. Afterwards every datagram is either received or
 * in insights_ingest_kernel_drops_total, and the same figure is on GET /api/status (with the last-minute warning) and
 * in the doctor's problems.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PROXY_TOKEN_HEADER } from '@shared/headers';
import { parsePrometheus, sumBy } from '../../bench/lib/proc';
import type { OperationRun, StatusResponse } from '@shared/status-api';
import { freePort } from '../elasticsearch/es-runner';
import { waitFor } from '../../proxy/src/testing/wait';
import { plainEs, uniquePrefix } from './env';

const TOKEN = 'kernel-drops-token-0123456789';
const SENT = 300;

describe('kernel drops on a paused proxy', () => {
  let proxy: ChildProcess;
  let httpPort: number;
  let udpPort: number;
  let queueDir: string;

  beforeAll(async () => {
    [httpPort, udpPort] = [await freePort(), await freePort()];
    queueDir = mkdtempSync(join(tmpdir(), 'dfi-kernel-drops-'));
    proxy = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, '../../proxy/src/main.ts'), 'serve'], {
      env: {
        ...process.env,
        LOG_LEVEL: 'error',
        PROXY_TOKEN: TOKEN,
        PROXY_HOST: '127.0.0.1',
        PROXY_PORT: String(httpPort),
        ES_URL: plainEs().urls[0],
        ES_INDEX_PREFIX: uniquePrefix('kernel-drops'),
        SETUP_ON_START: 'false',
        QUEUE_DIR: queueDir,
        JSON_UDP_PORT: String(udpPort),
        // The kernel rounds this up to its minimum: a few datagrams fit.
        UDP_RECEIVE_BUFFER_BYTES: '1',
        GELF_UDP_ENABLED: 'false',
        GELF_TCP_ENABLED: 'false',
        JSON_TCP_ENABLED: 'false',
        JSON_HTTP_ENABLED: 'false',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitFor(() => fetch(`http://127.0.0.1:${httpPort}/health`).then((r) => r.ok, () => false), 'the proxy to start', 60_000);
  }, 90_000);

  afterAll(async () => {
    proxy.kill('SIGCONT');
    const exited = new Promise((r) => proxy.once('exit', r));
    proxy.kill('SIGTERM');
    await exited;
    rmSync(queueDir, { recursive: true, force: true });
  });

  const api = async <T>(method: string, path: string): Promise<T> =>
    (await (await fetch(`http://127.0.0.1:${httpPort}${path}`, { method, headers: { [PROXY_TOKEN_HEADER]: TOKEN, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) }, body: method === 'POST' ? '{}' : undefined })).json()) as T;

  it('counts every datagram the kernel dropped in /metrics, the status and the doctor', async () => {
    proxy.kill('SIGSTOP');
    const socket = createSocket('udp4');
    const body = Buffer.from(JSON.stringify({ _message: 'kernel drop test', _level: 200, pad: 'x'.repeat(1000) }));
    for (let i = 0; i < SENT; i++) {
      await new Promise<void>((done) => socket.send(body, udpPort, '127.0.0.1', () => done()));
    }
    socket.close();
    proxy.kill('SIGCONT');

    const counts = async () => {
      const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`, { headers: { [PROXY_TOKEN_HEADER]: TOKEN } })).text();
      const metrics = parsePrometheus(text);
      return { received: sumBy(metrics, 'insights_ingest_received_total').total ?? 0, kernel: sumBy(metrics, 'insights_ingest_kernel_drops_total', 'source').json_udp ?? 0 };
    };
    await waitFor(async () => {
      const { received, kernel } = await counts();
      return received + kernel === SENT;
    }, `received + kernel drops to add up to ${SENT}`, 15_000);
    const { kernel } = await counts();
    expect(kernel).toBeGreaterThan(SENT / 2);

    const status = await api<StatusResponse>('GET', '/api/status');
    const jsonUdp = status.ingest.sources.find((s) => s.source === 'json_udp')!;
    expect(jsonUdp).toMatchObject({ kernelDrops: kernel, kernelDropsLastMinute: kernel });
    expect(status.ingest.drops).toContainEqual({ source: 'json_udp', reason: 'kernel', count: kernel });

    // The doctor runs in the background: POST starts it, GET /api/runs/:id reports it.
    let run = await api<OperationRun<'doctor'>>('POST', '/api/doctor');
    await waitFor(async () => (run = await api<OperationRun<'doctor'>>('GET', `/api/runs/${run.id}`)).state !== 'running', 'the doctor to finish', 40_000);
    expect(run.state).toBe('done');
    const doctor = run.result!;
    expect(doctor.problems).toContain(`json_udp: Lost in the kernel: ${kernel.toLocaleString('en-US')} in the last minute (${kernel.toLocaleString('en-US')} since start) — raise net.core.rmem_max / add receivers.`);
  }, 60_000);
});
