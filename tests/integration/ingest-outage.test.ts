/**
 * Nothing accepted is lost: events acknowledged with 202 by POST /gelf survive an Elasticsearch outage, a pipeline
 * restart that does not drain, and a kill -9 of the proxy process; each lands in Elasticsearch exactly once by id.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ElasticsearchClient } from '../../proxy/src/clients/elasticsearch';
import { freePort, RunningElasticsearch, startElasticsearch } from '../elasticsearch/es-runner';
import { OwnedDir, ownedTempDir } from '../support/lifecycle';
import { plainEs, uniquePrefix } from './env';
import { postGelf, startTestProxy, TestProxy, waitForDocs } from './ingest-harness';

const REPO_ROOT = resolve(__dirname, '../..');

interface SeqDoc {
  seq: number;
}

function gelfEvent(seq: number, run: string) {
  return { version: '1.1', host: 'df-outage', short_message: `event ${seq}`, timestamp: Date.now() / 1000, level: 6, _seq: seq, _run: run };
}

/**
 * Sends seq from..to-1, 10 at a time; returns the seqs answered 202. Network errors count as not accepted; a round
 * with no 202 at all (the proxy is gone) ends the run.
 */
async function send(url: () => string, from: number, to: number, run: string, pauseMs = 0): Promise<number[]> {
  const accepted: number[] = [];
  for (let start = from; start < to; start += 10) {
    const seqs = Array.from({ length: Math.min(10, to - start) }, (_, i) => start + i);
    const statuses = await Promise.all(seqs.map((seq) => postGelf(url(), gelfEvent(seq, run)).catch(() => 0)));
    seqs.forEach((seq, i) => statuses[i] === 202 && accepted.push(seq));
    if (!statuses.includes(202)) {
      break;
    }
    if (pauseMs > 0) {
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  }
  return accepted;
}

/** Every accepted seq is in the index exactly once (one document per seq, ids unique). */
function expectExactlyOnce(docs: Array<{ id: string; source: SeqDoc }>, accepted: number[]): void {
  const seqs = docs.map((d) => d.source.seq).sort((a, b) => a - b);
  expect(new Set(docs.map((d) => d.id)).size).toBe(docs.length);
  expect(new Set(seqs).size).toBe(seqs.length);
  expect(seqs).toEqual(expect.arrayContaining(accepted));
}

describe('ingest survives an Elasticsearch outage', () => {
  let node: RunningElasticsearch | undefined;
  let proxy: TestProxy | undefined;
  let dataDir: OwnedDir | undefined;

  afterAll(async () => {
    await proxy?.stop();
    await node?.stop();
    await dataDir?.remove();
  });

  it('keeps accepting while Elasticsearch is down and indexes every accepted event once it is back', async () => {
    dataDir = ownedTempDir('dfi-outage-es-');
    const port = await freePort();
    node = await startElasticsearch({ dataDir: dataDir.path, port });
    const prefix = uniquePrefix('outage');
    const es = { ...plainEs(), urls: [node.url], indexPrefix: prefix, requestTimeoutMs: 5000 };
    proxy = await startTestProxy(es);
    const url = () => proxy!.httpUrl;
    const reader = new ElasticsearchClient(es);

    const before = await send(url, 0, 200, 'outage', 20);
    await waitForDocs(reader, `${prefix}*`, 100);

    await node.stop();
    const during = await send(url, 200, 500, 'outage', 20);
    expect(during).toHaveLength(300); // the queue absorbs the outage: receivers never see it
    expect(await proxy.metric('insights_elasticsearch_up')).toBe(0);
    expect(await proxy.metric('insights_queue_depth_events')).toBeGreaterThan(0);

    node = await startElasticsearch({ dataDir: dataDir.path, port });
    const after = await send(url, 500, 600, 'outage');
    const accepted = [...before, ...during, ...after];
    const docs = await waitForDocs<SeqDoc>(reader, `${prefix}*`, accepted.length, { timeoutMs: 90_000 });
    expectExactlyOnce(docs, accepted);
    expect(docs).toHaveLength(accepted.length);
    expect(await proxy.metric('insights_elasticsearch_up')).toBe(1);
    await reader.close();
  }, 300_000); // two Elasticsearch starts on a shared 2-core machine
});

describe('ingest survives a proxy restart', () => {
  let reader: ElasticsearchClient;
  const prefix = uniquePrefix('restart');

  beforeAll(() => {
    reader = new ElasticsearchClient(plainEs());
  });
  afterAll(async () => {
    await reader.close();
  });

  it('replays what the stopped pipeline had not delivered, without duplicates', async () => {
    const es = { ...plainEs(), indexPrefix: prefix };
    const queueDir = ownedTempDir('dfi-restart-queue-');
    const first = await startTestProxy(es, { queueDir: queueDir.path });
    const url1 = first.httpUrl;
    const early = await send(() => url1, 0, 200, 'restart');
    await waitForDocs(reader, `${prefix}*`, 50);
    const burst = await send(() => url1, 200, 400, 'restart');
    await first.stop(0); // no draining: in-flight bulk requests are aborted

    const second = await startTestProxy(es, { queueDir: queueDir.path });
    try {
      expect(second.ingest.queue.recovery.replayed).toBeGreaterThan(0);
      const late = await send(() => second.httpUrl, 400, 500, 'restart');
      const accepted = [...early, ...burst, ...late];
      expect(accepted).toHaveLength(500);
      const docs = await waitForDocs<SeqDoc>(reader, `${prefix}*`, 500);
      expectExactlyOnce(docs, accepted);
      expect(docs).toHaveLength(500);
    } finally {
      await second.stop();
      await queueDir.remove();
    }
  });

  it('loses nothing accepted when the proxy process is killed with SIGKILL', async () => {
    const killPrefix = uniquePrefix('kill9');
    const workDir = ownedTempDir('dfi-kill9-');
    const work = workDir.path;
    const httpPort = await freePort();
    const off = { enabled: false, host: '127.0.0.1', port: 0 };
    const configFile = join(work, 'config.json');
    await writeFile(
      configFile,
      JSON.stringify({
        logLevel: 'warn',
        server: { host: '127.0.0.1', port: httpPort },
        elasticsearch: { urls: plainEs().urls, indexPrefix: killPrefix },
        ingest: { gelfUdp: off, gelfTcp: off, jsonUdp: off, jsonTcp: off, jsonHttp: off },
        queue: { dir: join(work, 'queue') },
        sink: { flushIntervalMs: 200 },
        setupOnStart: false,
      })
    );
    const url = () => `http://127.0.0.1:${httpPort}`;
    const startProxyProcess = async (): Promise<ChildProcess> => {
      // node itself (not the tsx CLI, which would spawn a grandchild) so SIGKILL hits the proxy process.
      const child = spawn(process.execPath, ['--import', 'tsx', 'proxy/src/main.ts', 'serve'], {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH, INSIGHTS_CONFIG: configFile },
        stdio: 'ignore',
      });
      for (let i = 0; i < 200; i++) {
        const up = await fetch(`${url()}/health`).then((r) => r.ok, () => false);
        if (up) {
          return child;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      child.kill('SIGKILL');
      throw new Error('proxy process did not start');
    };

    let child = await startProxyProcess();
    try {
      const sending = send(url, 0, 5000, 'kill9', 50);
      await waitForDocs(reader, `${killPrefix}*`, 50);
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      const beforeKill = await sending; // requests after the kill fail and do not count as accepted
      expect(beforeKill.length).toBeLessThan(5000);

      child = await startProxyProcess();
      const afterRestart = await send(url, 1000, 1100, 'kill9');
      const accepted = [...beforeKill, ...afterRestart];
      const docs = await waitForDocs<SeqDoc>(reader, `${killPrefix}*`, accepted.length);
      expectExactlyOnce(docs, accepted);
    } finally {
      child.kill('SIGKILL');
      await workDir.remove();
    }
  });
});
