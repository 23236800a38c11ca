/**
 * The proxy killed with SIGKILL in the middle of a stream, then restarted on the same disk queue: every event it had
 * acknowledged (DreamFactory's HTTP mode gets `ok` only once the event is durably queued) ends up in Elasticsearch,
 * exactly once by id.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ElasticsearchClient } from '../../proxy/src/clients/elasticsearch';
import { freePort } from '../elasticsearch/es-runner';
import { generateEvents, sendJsonHttp } from '../dreamfactory-sim/sender';
import { plainEs, uniquePrefix } from './env';

const REPO_ROOT = resolve(__dirname, '../..');
const EVENTS = 1500;
const KILL_AFTER_ACKS = 600;
const CONCURRENCY = 16;

interface ProxyProcess {
  child: ChildProcess;
  jsonHttpPort: number;
}

async function startProxy(env: Record<string, string>): Promise<ProxyProcess> {
  const [httpPort, jsonHttpPort, a, b, c, d] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);
  // One process (not tsx's CLI wrapper), so SIGKILL reaches the proxy itself.
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'proxy/src/main.ts'), 'serve'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ...env,
      PROXY_HOST: '127.0.0.1',
      PROXY_PORT: String(httpPort),
      JSON_HTTP_PORT: String(jsonHttpPort),
      GELF_UDP_PORT: String(a),
      GELF_TCP_PORT: String(b),
      JSON_UDP_PORT: String(c),
      JSON_TCP_PORT: String(d),
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 90000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${httpPort}/health`)).ok) {
        return { child, jsonHttpPort };
      }
    } catch {
      // not up yet
    }
    if (child.exitCode !== null) {
      throw new Error(`proxy exited with ${child.exitCode}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('proxy did not start');
}

describe('proxy killed -9 mid-stream', () => {
  const queueDir = mkdtempSync(join(tmpdir(), 'dfi-kill9-'));
  const es = plainEs();
  const prefix = uniquePrefix('kill9');
  const env = { ES_URL: es.urls[0], ES_INDEX_PREFIX: prefix, QUEUE_DIR: queueDir, PROXY_TOKEN: 'fault-test-token-0123456789' };
  let proxy: ProxyProcess | undefined;

  afterAll(() => {
    proxy?.child.kill('SIGKILL');
    rmSync(queueDir, { recursive: true, force: true });
  });

  it('loses nothing it acknowledged', async () => {
    const events = await generateEvents({ count: EVENTS, users: [{ id: 3, email: 'jane@example.com', name: 'Jane' }], jwtSecret: 'kill9-secret', seed: 3, sequence: true });
    proxy = await startProxy(env);
    const acked = new Set<number>();
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (next < events.length && !killed) {
        const seq = next++;
        try {
          await sendJsonHttp('127.0.0.1', proxy!.jsonHttpPort, events[seq]);
          acked.add(seq);
        } catch {
          // refused or cut by the kill: not acknowledged, so not promised
        }
        if (acked.size >= KILL_AFTER_ACKS && !killed) {
          killed = true;
          proxy!.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await new Promise<void>((r) => (proxy!.child.exitCode !== null || proxy!.child.signalCode ? r() : proxy!.child.once('exit', () => r())));
    expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

    // Restart on the same queue: the new process replays what the old one had not yet indexed.
    proxy = await startProxy(env);
    const client = new ElasticsearchClient(es);
    const pattern = `${prefix}*`;
    let indexedSeqs = new Set<number>();
    let total = 0;
    const deadline = Date.now() + 90000;
    while (Date.now() < deadline) {
      await client.refresh(pattern);
      const found = await client.search<{ event?: { request?: { headers?: Record<string, string> } } }>(pattern, {
        size: 10000,
        _source: ['event.request.headers.x-insights-seq'],
        query: { match_all: {} },
      });
      total = found.hits.hits.length;
      indexedSeqs = new Set(found.hits.hits.map((h) => Number(h._source?.event?.request?.headers?.['x-insights-seq'])));
      if ([...acked].every((seq) => indexedSeqs.has(seq))) {
        break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const missing = [...acked].filter((seq) => !indexedSeqs.has(seq));
    expect(missing).toEqual([]);
    // Deterministic ids: a replayed event overwrites its first copy instead of adding a duplicate.
    expect(total).toBe(indexedSeqs.size);
    await client.close();
  });
});
