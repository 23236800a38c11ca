/**
 * `npm run bench:ingest`: ingest throughput on this machine, one run, one Elasticsearch node (started here), a few
 * minutes at most. Writes bench/results/ingest-<date>.json.
 *   a. direct_bulk_eps  — pre-transformed DreamFactory-like documents straight into `_bulk` (same batch size and
 *                         concurrency as the sink): what this Elasticsearch can take.
 *   b. e2e_eps          — DreamFactory GELF datagrams (the simulator's byte-exact encoding) from a separate sender
 *                         process → proxy (UDP source, transform, disk queue, sink) → the same Elasticsearch.
 *   c. proxy_alone_eps  — the same traffic into the proxy with its sink pointed at a blackhole `_bulk` endpoint (a
 *                         separate process answering `errors:false`).
 * The sender is paced (events/s cap) and windowed (never more than WINDOW datagrams ahead of what the proxy has read
 * off its socket), so the numbers measure the proxy and Elasticsearch, not kernel UDP drops; loss is still counted.
 *
 *   BENCH_EVENTS=20000 npm run bench:ingest
 */
import { ChildProcess, execFileSync, fork } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { ElasticsearchClient } from '../proxy/src/clients/elasticsearch';
import { loadConfig } from '../proxy/src/config';
import { createContext, ProxyContext } from '../proxy/src/context';
import { createLogger } from '../proxy/src/logger';
import { startIngest } from '../proxy/src/pipeline';
import { DiskQueue } from '../proxy/src/queue/disk-queue';
import { transformMessage, transformOptionsFromConfig } from '../proxy/src/transforms';
import { encodeEvent } from '../proxy/src/sinks/bulk-record';
import { startElasticsearch } from '../tests/elasticsearch/es-runner';
import { gelfDatagrams, gelfPayload } from '../tests/dreamfactory-sim/log-formats';
import { generateEvents } from '../tests/dreamfactory-sim/sender';

const EVENTS = Math.min(Math.max(Number(process.env.BENCH_EVENTS ?? 20_000), 1000), 200_000);
const MAX_RATE = 60_000;
/** Datagrams ahead of the proxy's reads; the kernel charges ~2-3× each datagram's size against the 4 MiB buffer. */
const WINDOW = 1000;
const PHASE_TIMEOUT_MS = 120_000;
const WARMUP_DOCS = 200;
const E2E_PREFIX = 'bench-e2e-';
/** The machine is shared and loaded: a bulk request may take long, which is a measurement, not a failure. */
const REQUEST_TIMEOUT_MS = 180_000;
const USERS = [
  { id: 1, email: 'admin@example.com', name: 'Ada Admin', is_sys_admin: true },
  { id: 3, email: 'jane@example.com', name: 'Jane Doe' },
  { id: 4, email: 'raj@example.com', name: 'Raj Patel' },
];

type ChildMessage = { ready: number } | { sent: number; seconds: number } | { docs: number };

/** DreamFactory-like events with sequence numbers, deterministic. */
function dfEvents(count: number, seed: number) {
  return generateEvents({ count, users: USERS, jwtSecret: 'bench-jwt-secret', seed, sequence: true, startSeconds: Date.now() / 1000 - 3600, stepMs: 1 });
}

// ---------------------------------------------------------------------------------------------------------------
// Child processes: the paced, windowed GELF sender and the blackhole `_bulk` endpoint.

async function runSender(port: number, count: number, rate: number, seed: number): Promise<void> {
  const datagrams = (await dfEvents(count, seed)).map((e) => gelfDatagrams(e)[0]);
  const socket = createSocket('udp4');
  let acknowledged = 0;
  process.on('message', (m: { received?: number }) => typeof m.received === 'number' && (acknowledged = m.received));
  process.send!({ ready: datagrams.length });
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  const started = Date.now();
  let sent = 0;
  while (sent < datagrams.length && Date.now() - started < PHASE_TIMEOUT_MS) {
    const due = Math.min(datagrams.length, Math.floor(((Date.now() - started) / 1000) * rate) + 1, acknowledged + WINDOW);
    for (; sent < due; sent++) {
      socket.send(datagrams[sent], port, '127.0.0.1');
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  process.send!({ sent, seconds: (Date.now() - started) / 1000 });
  socket.close();
}

function runBlackhole(): void {
  let docs = 0;
  const server = createServer((req, res) => {
    let lines = 0;
    req.on('data', (chunk: Buffer) => {
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) {
        lines++;
      }
    });
    req.on('end', () => {
      docs += lines / 2;
      res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      res.end('{"errors":false,"items":[]}');
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send!({ ready: typeof address === 'object' && address ? address.port : 0 });
  });
  setInterval(() => process.send!({ docs }), 50);
  process.on('disconnect', () => process.exit(0));
}

function forkSelf(args: string[]): { child: ChildProcess; next: () => Promise<ChildMessage>; latest: { docs: number } } {
  const child = fork(__filename, args, { execArgv: ['--import', 'tsx'] });
  const queue: ChildMessage[] = [];
  const waiters: Array<(m: ChildMessage) => void> = [];
  const latest = { docs: 0 };
  child.on('message', (m: ChildMessage) => {
    if ('docs' in m) {
      latest.docs = m.docs;
      return;
    }
    const waiter = waiters.shift();
    waiter ? waiter(m) : queue.push(m);
  });
  const next = () => (queue.length ? Promise.resolve(queue.shift()!) : new Promise<ChildMessage>((r) => waiters.push(r)));
  return { child, next, latest };
}

// ---------------------------------------------------------------------------------------------------------------
// Measurements

interface CpuSample {
  wall: number;
  proxy: NodeJS.CpuUsage;
  machineBusy: number;
  machineTotal: number;
  esTicks: number;
}

function machineTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - fields[3] - (fields[4] ?? 0), total };
}

function processTicks(pid: number | undefined): number {
  if (!pid) {
    return 0;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function sampleCpu(esPid?: number): CpuSample {
  const m = machineTicks();
  return { wall: Date.now(), proxy: process.cpuUsage(), machineBusy: m.busy, machineTotal: m.total, esTicks: processTicks(esPid) };
}

/** Cores used over an interval: this process (the proxy), Elasticsearch, and the whole (shared) machine. */
function cpuBetween(a: CpuSample, b: CpuSample) {
  const seconds = (b.wall - a.wall) / 1000;
  const ticksPerSecond = 100;
  const proxy = (b.proxy.user - a.proxy.user + b.proxy.system - a.proxy.system) / 1e6 / seconds;
  const cores = cpus().length;
  return {
    proxy_cores: round(proxy, 2),
    es_cores: round((b.esTicks - a.esTicks) / ticksPerSecond / seconds, 2),
    machine_busy_cores: round(((b.machineBusy - a.machineBusy) / Math.max(1, b.machineTotal - a.machineTotal)) * cores, 2),
  };
}

const ndjson = (lines: string[]) => Buffer.from(`${lines.join('\n')}\n`);
const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, pollMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) {
      return true;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return false;
}

let rssMaxMb = 0;

/** a. Pre-transformed documents straight into `_bulk`, batch size and concurrency as the sink's defaults. */
async function directBulk(es: ElasticsearchClient, prefix: string, esPid: number | undefined) {
  const config = loadConfig({}, {});
  const options = transformOptionsFromConfig(config.ingest);
  const { batchMaxDocs, concurrency } = config.sink;
  const events = await dfEvents(EVENTS, 1);
  const bodies: string[][] = [];
  let batch: string[] = [];
  for (const e of events) {
    const payload = Buffer.from(gelfPayload(e));
    const result = transformMessage({ source: 'gelf_udp', format: 'gelf', body: JSON.parse(payload.toString()), payload, receivedAt: new Date(), remoteAddress: '127.0.0.1' }, options);
    if ('event' in result) {
      batch.push(...encodeEvent(result.event, prefix, new Date()).split('\t'));
    }
    if (batch.length >= batchMaxDocs * 2) {
      bodies.push(batch);
      batch = [];
    }
  }
  if (batch.length > 0) {
    bodies.push(batch);
  }
  // Warm-up outside the clock: creating the daily index and its dynamic mapping is a one-off cost. The e2e index gets
  // the same warm-up (under other ids) so both phases start from an existing index.
  const warm = bodies[0].slice(0, WARMUP_DOCS * 2);
  await es.bulkIngest(ndjson(warm.map((line, i) => (i % 2 === 0 ? line.replace(/"_id":"/, '"_id":"warm-') : line))));
  await es.bulkIngest(ndjson(warm.map((line, i) => (i % 2 === 0 ? line.replace(/"_id":"/, '"_id":"warm-').replace(prefix, E2E_PREFIX) : line))));
  const docs = bodies.reduce((n, b) => n + b.length / 2, 0);
  const docBytes = Math.round(bodies[0].filter((_, i) => i % 2 === 1).reduce((n, d) => n + d.length, 0) / (bodies[0].length / 2));
  const before = sampleCpu(esPid);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const response = await es.bulkIngest(ndjson(bodies[next++]));
        if (response.errors) {
          throw new Error('direct bulk had item errors');
        }
      }
    })
  );
  const after = sampleCpu(esPid);
  const seconds = (after.wall - before.wall) / 1000;
  return { docs, doc_bytes: docBytes, seconds: round(seconds, 2), eps: Math.round(docs / seconds), cpu: cpuBetween(before, after) };
}

/** b/c. Sender process → proxy UDP source → queue → sink (→ Elasticsearch or the blackhole). */
async function throughProxy(ctx: ProxyContext, rate: number, seed: number, esPid: number | undefined, delivered: () => Promise<number>) {
  const ingest = await startIngest({ config: ctx.config, logger: ctx.logger, metrics: ctx.metrics, bulkWriter: ctx.es });
  try {
    const udpPort = ingest.sources.find((s) => s.name === 'gelf_udp')!.address().port;
    const sender = forkSelf(['sender', String(udpPort), String(EVENTS), String(rate), String(seed)]);
    // Credits may still be in flight when the sender exits; a closed IPC pipe is expected then.
    sender.child.on('error', () => undefined);
    const ready = (await sender.next()) as { ready: number };
    const received = ctx.metrics.received;
    const readReceived = async () => (await received.get()).values.find((v) => v.labels.source === 'gelf_udp')?.value ?? 0;
    const credit = setInterval(() => void readReceived().then((n) => sender.child.connected && sender.child.send({ received: n }, () => undefined)), 10);
    const before = sampleCpu(esPid);
    sender.child.send({ go: true });
    const sent = (await sender.next()) as { sent: number; seconds: number };
    let last = -1;
    let lastChange = Date.now();
    // Done when everything sent arrived, or nothing moved for 5 s (losses).
    await waitUntil(async () => {
      const n = await delivered();
      if (n !== last) {
        last = n;
        lastChange = Date.now();
      }
      return n >= ready.ready || Date.now() - lastChange > 5000;
    }, PHASE_TIMEOUT_MS);
    const doneAt = lastChange;
    const after = sampleCpu(esPid);
    after.wall = doneAt;
    clearInterval(credit);
    sender.child.kill();
    const seconds = (doneAt - before.wall) / 1000;
    const dropped = (await ctx.metrics.dropped.get()).values.reduce((n, v) => n + v.value, 0);
    return { sent: sent.sent, send_seconds: round(sent.seconds, 2), delivered: last, seconds: round(seconds, 2), eps: Math.round(last / seconds), udp_received: await readReceived(), proxy_dropped: dropped, cpu: cpuBetween(before, after) };
  } finally {
    await ingest.stop();
  }
}

/** fsync group commit of the disk queue alone: appends/s with 1 KB records, 1 and 100 appends per event-loop turn. */
async function queueAppend(dir: string) {
  const queue = await DiskQueue.open({ dir, maxBytes: 1 << 30, consumers: ['bench'] });
  const record = encodeEvent({ id: 'x', timestamp: new Date().toISOString(), json: JSON.stringify({ message: 'y'.repeat(1000) }) }, 'bench-', new Date());
  const results: Record<string, number> = {};
  for (const perTurn of [1, 100]) {
    const n = 20_000;
    const t0 = Date.now();
    const pending: Array<Promise<void>> = [];
    for (let i = 0; i < n; i += perTurn) {
      for (let j = 0; j < perTurn; j++) {
        pending.push(queue.append([record]));
      }
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(pending);
    results[`appends_per_turn_${perTurn}_eps`] = Math.round(n / ((Date.now() - t0) / 1000));
    queue.consumer('bench').ack((await queue.consumer('bench').read(1 << 30, 1 << 30))!);
  }
  await queue.close();
  return results;
}

/** The Elasticsearch server JVM of the node whose work dir is `home`: the child of the launcher naming its config dir. */
function elasticsearchPid(home: string): number | undefined {
  const pgrep = (args: string[]) => execFileSync('pgrep', args).toString().trim().split('\n').map(Number);
  try {
    const [launcher] = pgrep(['-f', '--', `es.path.conf=${home}/config`]);
    return pgrep(['-P', String(launcher)])[0] || undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const rssTimer = setInterval(() => (rssMaxMb = Math.max(rssMaxMb, process.memoryUsage().rss / 1048576)), 100);
  const work = mkdtempSync(join(tmpdir(), 'dfi-bench-ingest-'));
  const node = await startElasticsearch({ heap: '1g' });
  const blackhole = forkSelf(['blackhole']);
  try {
    const esPid = elasticsearchPid(node.home);
    const es = new ElasticsearchClient({ ...loadConfig({}, {}).elasticsearch, urls: [node.url], requestTimeoutMs: REQUEST_TIMEOUT_MS });
    const info = await es.info();
    process.stdout.write(`Elasticsearch ${info.version} at ${node.url}; ${EVENTS} events per phase\n`);

    const direct = await directBulk(es, 'bench-direct-', esPid);
    process.stdout.write(`direct bulk: ${JSON.stringify(direct)}\n`);

    const loopback = { host: '127.0.0.1', port: 0 };
    const proxyConfig = (urls: string[], prefix: string, queueDir: string) =>
      loadConfig({}, {
        elasticsearch: { urls, indexPrefix: prefix, requestTimeoutMs: REQUEST_TIMEOUT_MS },
        ingest: { gelfUdp: loopback, gelfTcp: { ...loopback, enabled: false }, jsonUdp: { ...loopback, enabled: false }, jsonTcp: { ...loopback, enabled: false }, jsonHttp: { ...loopback, enabled: false } },
        queue: { dir: queueDir },
      });

    const e2eCtx = createContext(proxyConfig([node.url], E2E_PREFIX, join(work, 'q-e2e')), createLogger('warn'));
    const e2eRate = Math.min(MAX_RATE, Math.round(direct.eps * 1.2));
    const e2e = await throughProxy(e2eCtx, e2eRate, 2, esPid, async () => (await e2eCtx.metrics.indexed.get()).values[0]?.value ?? 0);
    await es.refresh(`${E2E_PREFIX}*`);
    const inEs = await es.search(`${E2E_PREFIX}*`, { size: 0, track_total_hits: true });
    const e2eIndexed = (typeof inEs.hits.total === 'number' ? inEs.hits.total : (inEs.hits.total?.value ?? 0)) - WARMUP_DOCS;
    process.stdout.write(`e2e: ${JSON.stringify(e2e)} indexed in ES: ${e2eIndexed}\n`);
    await e2eCtx.es.close();

    const ready = (await blackhole.next()) as { ready: number };
    const aloneCtx = createContext(proxyConfig([`http://127.0.0.1:${ready.ready}`], 'bench-alone-', join(work, 'q-alone')), createLogger('warn'));
    const startDocs = blackhole.latest.docs;
    const alone = await throughProxy(aloneCtx, MAX_RATE, 3, undefined, async () => blackhole.latest.docs - startDocs);
    process.stdout.write(`proxy alone: ${JSON.stringify(alone)}\n`);
    await aloneCtx.es.close();

    const queue = await queueAppend(join(work, 'q-append'));
    const date = new Date().toISOString();
    const result = {
      benchmark: 'ingest',
      date,
      machine: { cores: cpus().length, cpu: cpus()[0]?.model, node: process.version, loadAverage1mAtEnd: loadavg()[0] },
      es_version: info.version,
      events_per_phase: EVENTS,
      direct_bulk_eps: direct.eps,
      direct_bulk: direct,
      e2e_eps: e2e.eps,
      e2e_sent: e2e.sent,
      e2e_indexed: e2eIndexed,
      e2e_loss: e2e.sent - e2eIndexed,
      e2e_sender_rate_cap_eps: e2eRate,
      e2e,
      proxy_alone_eps: alone.eps,
      proxy_alone_sent: alone.sent,
      proxy_alone_delivered: alone.delivered,
      proxy_alone_loss: alone.sent - alone.delivered,
      proxy_alone: alone,
      proxy_rss_mb_max: round(rssMaxMb, 1),
      ratio_e2e_to_direct: round(e2e.eps / direct.eps, 3),
      ratio_proxy_alone_to_direct: round(alone.eps / direct.eps, 3),
      targets: { e2e_to_direct: '>= 0.9 with 0 loss', proxy_alone_eps: '>= 50000' },
      queue_append: queue,
    };
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    const file = join(__dirname, 'results', `ingest-${date.slice(0, 10)}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\nwritten to ${file}\n`);
    await es.close();
  } finally {
    clearInterval(rssTimer);
    blackhole.child.kill();
    await node.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'sender') {
  void runSender(Number(args[0]), Number(args[1]), Number(args[2]), Number(args[3])).then(() => process.exit(0));
} else if (mode === 'blackhole') {
  runBlackhole();
} else {
  main().then(
    () => process.exit(0),
    (err: Error) => {
      process.stderr.write(`${err.stack}\n`);
      process.exit(1);
    }
  );
}
