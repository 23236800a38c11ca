/**
 * `npm run bench:ingest`: the proxy against a C shipper, side by side in one run on this machine, into one
 * Elasticsearch node started here. Writes bench/results/ingest-<date>.json.
 *
 * Shippers, each receiving 30,000 DreamFactory-shaped events per phase over loopback UDP from a sender process that
 * builds every datagram before the clock starts:
 *   - rsyslog (Debian packages, its own instance): imudp → mmjsonparse → omelasticsearch (bulk mode), JSON datagrams;
 *   - the proxy as shipped (the esbuild bundle, `node dist-proxy/proxy.js serve`, setup on start), JSON datagrams
 *     (DreamFactory's `udp` mode) and DreamFactory's GELF datagrams (zlib, its 38-byte-header chunks for large ones);
 *   - direct `_bulk` of the same documents from this process (the ceiling).
 * Rates: 2,000, 5,000, 8,000, 12,000 events/s and unthrottled (a burst), the burst with the receive buffer the README
 * recommends (both shippers get the same effective size) and with the kernel's default. Elasticsearch is warmed first.
 * Delivered events are counted by distinct sequence number after a refresh; CPU is user+system of the whole process
 * tree (every thread) from /proc/<pid>/stat, for the shipper and for Elasticsearch separately; RSS is sampled every
 * 100 ms; kernel drops are each shipper's socket's `drops` (/proc/net/udp).
 *
 * End to end (ES the bottleneck): Elasticsearch is pinned to one core (taskset), the proxy and sender (or this
 * process, for direct `_bulk`) to the other; the proxy drains a backlog of the 30,000 GELF events from its disk queue
 * (received while Elasticsearch was stopped) and its rate is compared with direct `_bulk` of the same documents at the
 * sink's batch size and concurrency (see `e2e_method` in the result).
 *
 *   npm run bench:ingest                  # full run (about 5 minutes on 2 cores)
 *   npm run bench:ingest -- --smoke       # seconds: tiny counts, an in-process `_bulk` stand-in instead of ES
 */
import { ChildProcess, execFileSync, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@elastic/elasticsearch';
import { PROXY_TOKEN_HEADER } from '@shared/headers';
import { loadConfig } from '../proxy/src/config';
import { buildIndexTemplate, templateNameFor } from '../proxy/src/setup/index-template';
import type { ReceivedMessage } from '../proxy/src/pipeline-types';
import { encodeEvent, headerEnd } from '../proxy/src/sinks/bulk-record';
import { procLocalAddress, sumDrops } from '../proxy/src/sources/kernel-drops';
import { createRedactor, DEFAULT_REDACTION_RULES } from '../proxy/src/redaction';
import { transformMessage, transformOptionsFromConfig } from '../proxy/src/transforms';
import { freePort, startElasticsearch } from '../tests/elasticsearch/es-runner';
import { gelfPayload } from '../tests/dreamfactory-sim/log-formats';
import { BulkTarget, elasticsearchTarget, recordingTarget } from './lib/bulk-target';
import { benchEvents, SenderJob, SenderMessage, Wire } from './lib/ingest-sender';
import { parsePrometheus, processTree, sampleTree, stopChild, sumBy, udpRcvbufErrors, udpReceiveBuffer } from './lib/proc';
import { ensureRsyslog, startRsyslog } from './lib/rsyslog';
import { writeBenchResult } from './lib/results';

const ROOT = resolve(__dirname, '..');
const { values: args } = parseArgs({ options: { smoke: { type: 'boolean', default: false }, out: { type: 'string' } } });
const SMOKE = args.smoke!;
const EVENTS = Number(process.env.BENCH_EVENTS ?? (SMOKE ? 300 : 30_000));
const RATES = process.env.BENCH_RATES ? process.env.BENCH_RATES.split(',').map(Number) : SMOKE ? [2000] : [2000, 5000, 8000, 12000];
/** Node's options for the proxy: those proxy/Dockerfile's CMD runs it with (BENCH_NODE_FLAGS tries others). */
const PROXY_NODE_FLAGS = process.env.BENCH_NODE_FLAGS === undefined ? dockerfileNodeFlags() : process.env.BENCH_NODE_FLAGS.split(' ').filter(Boolean);
/** The environment proxy/Dockerfile gives the proxy beyond its configuration. */
const PROXY_RUNTIME_ENV = { MALLOC_MMAP_THRESHOLD_: '131072' };
/** What README "Configuration" tells users to set (ingest.udpReceiveBufferBytes' default). */
const README_RECV_BUFFER = loadConfig({}).ingest.udpReceiveBufferBytes;
const KERNEL_DEFAULT = 'kernel_default';
const STALL_MS = SMOKE ? 1500 : 5000;
const POLL_MS = SMOKE ? 100 : 500;
const PROXY_TOKEN = 'bench-ingest-token-0123456789';

type Shipper = 'proxy' | 'rsyslog' | 'direct';
type BufferChoice = 'readme' | typeof KERNEL_DEFAULT;

interface PhaseSpec {
  name: string;
  shipper: Shipper;
  wire: Wire;
  /** Events/s; 0 = unthrottled. */
  rate: number;
  buffer: BufferChoice;
  /** Elasticsearch on core 1, everything else on core 0. */
  pinned?: boolean;
  /**
   * Elasticsearch is stopped (SIGSTOP) while the events arrive, so they pile up in the proxy's disk queue; the phase
   * measures from SIGCONT until all are indexed: the sink draining a backlog with Elasticsearch the bottleneck.
   */
  backlog?: { esPid: number };
}

interface Phase {
  name: string;
  shipper: Shipper;
  wire: Wire;
  rate: number | 'unthrottled';
  receive_buffer: BufferChoice;
  /** The socket's receive buffer as the kernel accounts it (`ss` rb: twice the SO_RCVBUF value set). */
  receive_buffer_kernel_bytes?: number;
  pinned: boolean;
  sent: number;
  datagrams?: number;
  send_seconds?: number;
  indexed: number;
  kernel_drops: number;
  /** Drops the shipper counted itself (the proxy's insights_ingest_dropped_total, every reason). */
  shipper_drops: number;
  counted_drops: number;
  /** sent - indexed - counted_drops: 0 means every event is accounted for. */
  unexplained: number;
  duration_seconds: number;
  eps: number;
  cpu_seconds: number;
  events_per_cpu_second: number;
  es_cpu_seconds: number;
  events_per_total_cpu_second: number;
  rss_mb_max: number;
  load_average: number;
  /** Machine-wide Udp RcvbufErrors during the phase (other traffic on the box counts too). */
  system_rcvbuf_errors: number;
}

/** The options between `node` and the bundle in the proxy image's `CMD ["node", …, "dist-proxy/proxy.js", "serve"]`. */
function dockerfileNodeFlags(): string[] {
  const cmd = /^CMD (\[.*"dist-proxy\/proxy\.js".*\])$/m.exec(readFileSync(join(ROOT, 'proxy/Dockerfile'), 'utf8'));
  if (!cmd) {
    throw new Error('proxy/Dockerfile has no CMD running dist-proxy/proxy.js');
  }
  const argv = JSON.parse(cmd[1]) as string[];
  return argv.slice(1, argv.indexOf('dist-proxy/proxy.js'));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** What a SIGINT/SIGTERM must stop before the benchmark exits (Elasticsearch, shippers, the sender, temp dirs). */
const running = new Set<() => Promise<void> | void>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void Promise.allSettled([...running].map((stop) => stop())).then(() => process.exit(130));
  });
}
const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;
const log = (line: string) => process.stdout.write(`${line}\n`);

// ---------------------------------------------------------------------------------------------------------------
// Shippers

interface RunningShipper {
  pid: number;
  udpPort: number;
  /** Drops the shipper counted itself, read once the phase is over. */
  ownDrops(): Promise<number>;
  /** A Prometheus metric of the proxy, summed over its series (0 for rsyslog). */
  metric(name: string): Promise<number>;
  stop(): Promise<void>;
}

function proxyBundle(): string {
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/build-proxy.ts')], { cwd: ROOT, stdio: 'ignore' });
  return join(ROOT, 'dist-proxy/proxy.js');
}

async function startProxy(bundle: string, target: BulkTarget, spec: PhaseSpec, work: string): Promise<RunningShipper> {
  const [httpPort, udpPort] = [await freePort(), await freePort()];
  const off = { enabled: false };
  const config = {
    logLevel: 'warn',
    apiToken: PROXY_TOKEN,
    server: { host: '127.0.0.1', port: httpPort },
    elasticsearch: { urls: [target.url], indexPrefix: `${spec.name}-` },
    ingest: {
      gelfUdp: spec.wire === 'gelf' ? { host: '127.0.0.1', port: udpPort } : off,
      jsonUdp: spec.wire === 'json' ? { host: '127.0.0.1', port: udpPort } : off,
      gelfTcp: off,
      jsonTcp: off,
      jsonHttp: off,
      udpReceiveBufferBytes: spec.buffer === KERNEL_DEFAULT ? 0 : README_RECV_BUFFER,
    },
    queue: { dir: join(work, `queue-${spec.name}`) },
    setupOnStart: !SMOKE,
  };
  const configFile = join(work, `proxy-${spec.name}.json`);
  writeFileSync(configFile, JSON.stringify(config));
  const child = spawn(process.execPath, [...PROXY_NODE_FLAGS, bundle, 'serve'], { env: { ...process.env, ...PROXY_RUNTIME_ENV, INSIGHTS_CONFIG: configFile }, stdio: ['ignore', 'ignore', 'inherit'] });
  const metric = async (name: string) => {
    const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`, { headers: { [PROXY_TOKEN_HEADER]: PROXY_TOKEN } })).text();
    return sumBy(parsePrometheus(text), name).total ?? 0;
  };
  const health = `http://127.0.0.1:${httpPort}/health`;
  const deadline = Date.now() + 60_000;
  while (!(await fetch(health).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the proxy did not start (exit ${child.exitCode})`);
    }
    await sleep(100);
  }
  return {
    pid: child.pid!,
    udpPort,
    ownDrops: () => metric('insights_ingest_dropped_total'),
    metric,
    stop: () => stopChild(child),
  };
}

async function startPeer(target: BulkTarget, spec: PhaseSpec, work: string, recvBuffer: number): Promise<RunningShipper> {
  const url = new URL(target.url);
  const udpPort = await freePort();
  const rsyslog = await startRsyslog({
    dir: join(work, `rsyslog-${spec.name}`),
    port: udpPort,
    esHost: url.hostname,
    esPort: Number(url.port),
    index: `${spec.name}-all`,
    recvBufferBytes: spec.buffer === KERNEL_DEFAULT ? undefined : recvBuffer,
  });
  return { pid: rsyslog.pid, udpPort, ownDrops: async () => 0, metric: async () => 0, stop: () => rsyslog.stop() };
}

function pin(pid: number, core: string): void {
  execFileSync('taskset', ['-a', '-p', '-c', core, String(pid)], { stdio: 'ignore' });
}

// ---------------------------------------------------------------------------------------------------------------
// The sender process

async function startSender(job: SenderJob): Promise<{ child: ChildProcess; ready: { datagrams: number }; go(): Promise<{ sent: number; datagrams: number; seconds: number }> }> {
  const child = fork(join(__dirname, 'lib/ingest-sender.ts'), [JSON.stringify(job)], { execArgv: ['--import', 'tsx'] });
  const messages: SenderMessage[] = [];
  const waiters: Array<(m: SenderMessage) => void> = [];
  child.on('message', (m: SenderMessage) => (waiters.length ? waiters.shift()!(m) : messages.push(m)));
  const next = () => (messages.length ? Promise.resolve(messages.shift()!) : new Promise<SenderMessage>((r) => waiters.push(r)));
  const ready = (await next()) as Extract<SenderMessage, { ready: unknown }>;
  return {
    child,
    ready: ready.ready,
    go: async () => {
      child.send({ go: true });
      return ((await next()) as Extract<SenderMessage, { done: unknown }>).done;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Phases

async function runShipperPhase(spec: PhaseSpec, ctx: RunContext): Promise<Phase> {
  const shipper = spec.shipper === 'proxy' ? await startProxy(ctx.bundle, ctx.target, spec, ctx.work) : await startPeer(ctx.target, spec, ctx.work, ctx.effectiveRecvBuffer);
  running.add(shipper.stop);
  let sender: Awaited<ReturnType<typeof startSender>> | undefined;
  const stopSender = () => void sender?.child.kill();
  running.add(stopSender);
  try {
    sender = await startSender({ port: shipper.udpPort, wire: spec.wire, events: EVENTS, rate: spec.rate, seed: 11 });
    if (spec.pinned) {
      pin(shipper.pid, '0');
      pin(sender.child.pid!, '0');
    }
    await sleep(SMOKE ? 200 : 1000);
    const socketDrops = () => sumDrops(readProcUdp(), procLocalAddress('127.0.0.1', shipper.udpPort));
    if (spec.backlog) {
      return await drainBacklog(spec, spec.backlog.esPid, shipper, sender, socketDrops, ctx);
    }
    const dropsBefore = socketDrops();
    const rcvbufBefore = udpRcvbufErrors();
    const load = loadavg()[0];
    const before = { at: Date.now(), shipper: sampleTree(shipper.pid).cpuSeconds, es: ctx.esCpu() };
    let rssMax = 0;
    const rssTimer = setInterval(() => (rssMax = Math.max(rssMax, sampleTree(shipper.pid).rssBytes)), 100);
    const sent = await sender.go();

    // Done when every event sent is indexed or dropped in the kernel, or nothing has moved for STALL_MS.
    const prefix = `${spec.name}-`;
    let indexed = 0;
    let lastChange = Date.now();
    for (;;) {
      const now = await ctx.target.count(prefix);
      if (now !== indexed) {
        indexed = now;
        lastChange = Date.now();
      }
      if (indexed >= sent.sent - socketDrops() || Date.now() - lastChange > STALL_MS) {
        break;
      }
      await sleep(POLL_MS);
    }
    const after = { shipper: sampleTree(shipper.pid).cpuSeconds, es: ctx.esCpu() };
    clearInterval(rssTimer);
    const kernelDrops = socketDrops() - dropsBefore;
    const shipperDrops = await shipper.ownDrops();
    const distinct = await ctx.target.distinctSequences(prefix);
    const duration = (lastChange - before.at) / 1000;
    return phaseRecord(spec, {
      sent: sent.sent,
      datagrams: sent.datagrams,
      send_seconds: round(sent.seconds, 3),
      indexed: distinct,
      kernel_drops: kernelDrops,
      shipper_drops: shipperDrops,
      duration_seconds: round(duration, 2),
      cpu_seconds: after.shipper - before.shipper,
      es_cpu_seconds: after.es - before.es,
      rss_mb_max: rssMax / 1048576,
      load_average: load,
      system_rcvbuf_errors: udpRcvbufErrors() - rcvbufBefore,
      receive_buffer_kernel_bytes: udpReceiveBuffer(shipper.udpPort),
    });
  } finally {
    stopSender();
    running.delete(stopSender);
    await shipper.stop();
    running.delete(shipper.stop);
  }
}

/** Fills the proxy's queue while Elasticsearch is stopped, then times the drain from SIGCONT to the last event indexed. */
async function drainBacklog(
  spec: PhaseSpec,
  esPid: number,
  shipper: RunningShipper,
  sender: Awaited<ReturnType<typeof startSender>>,
  socketDrops: () => number,
  ctx: RunContext
): Promise<Phase> {
  const dropsBefore = socketDrops();
  const load = loadavg()[0];
  const signalEs = (signal: 'SIGSTOP' | 'SIGCONT') => {
    for (const pid of processTree(esPid)) {
      process.kill(pid, signal);
    }
  };
  signalEs('SIGSTOP');
  let sent: Awaited<ReturnType<typeof sender.go>>;
  try {
    sent = await sender.go();
    // Everything received is in the queue before the clock starts.
    const deadline = Date.now() + 60_000;
    while ((await shipper.metric('insights_ingest_queued_total')) + (await shipper.ownDrops()) + (socketDrops() - dropsBefore) < sent.sent && Date.now() < deadline) {
      await sleep(100);
    }
  } finally {
    signalEs('SIGCONT');
  }
  const before = { at: Date.now(), shipper: sampleTree(shipper.pid).cpuSeconds, es: ctx.esCpu() };
  let rssMax = 0;
  const expected = sent.sent - (socketDrops() - dropsBefore) - (await shipper.ownDrops());
  let indexed = 0;
  const deadline = Date.now() + 300_000;
  while (indexed < expected && Date.now() < deadline) {
    rssMax = Math.max(rssMax, sampleTree(shipper.pid).rssBytes);
    await sleep(50);
    indexed = await shipper.metric('insights_sink_indexed_total');
  }
  const doneAt = Date.now();
  const after = { shipper: sampleTree(shipper.pid).cpuSeconds, es: ctx.esCpu() };
  return phaseRecord(spec, {
    sent: sent.sent,
    datagrams: sent.datagrams,
    send_seconds: round(sent.seconds, 3),
    indexed: await ctx.target.distinctSequences(`${spec.name}-`),
    kernel_drops: socketDrops() - dropsBefore,
    shipper_drops: await shipper.ownDrops(),
    duration_seconds: round((doneAt - before.at) / 1000, 2),
    cpu_seconds: after.shipper - before.shipper,
    es_cpu_seconds: after.es - before.es,
    rss_mb_max: rssMax / 1048576,
    load_average: load,
    system_rcvbuf_errors: 0,
    receive_buffer_kernel_bytes: udpReceiveBuffer(shipper.udpPort),
  });
}

/** Direct `_bulk` of the proxy's own documents for the same events, at the sink's batch size and concurrency. */
async function runDirectPhase(spec: PhaseSpec, ctx: RunContext): Promise<Phase> {
  const { batchMaxDocs, concurrency } = loadConfig({}).sink;
  const bodies = await bulkBodies(`${spec.name}-`, batchMaxDocs);
  await ctx.installTemplate(`${spec.name}-`);
  if (spec.pinned) {
    pin(process.pid, '0');
  }
  const load = loadavg()[0];
  const before = { at: Date.now(), cpu: process.cpuUsage(), es: ctx.esCpu() };
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        await ctx.bulk(bodies[next++]);
      }
    })
  );
  const seconds = (Date.now() - before.at) / 1000;
  const cpu = process.cpuUsage(before.cpu);
  const after = { es: ctx.esCpu() };
  if (spec.pinned) {
    pin(process.pid, '0,1');
  }
  return phaseRecord(spec, {
    sent: EVENTS,
    indexed: await ctx.target.distinctSequences(`${spec.name}-`),
    kernel_drops: 0,
    shipper_drops: 0,
    duration_seconds: round(seconds, 2),
    cpu_seconds: (cpu.user + cpu.system) / 1e6,
    es_cpu_seconds: after.es - before.es,
    // This process holds the benchmark too: its memory says nothing about a shipper.
    rss_mb_max: 0,
    load_average: load,
    system_rcvbuf_errors: 0,
  });
}

function phaseRecord(
  spec: PhaseSpec,
  m: Omit<Phase, 'name' | 'shipper' | 'wire' | 'rate' | 'receive_buffer' | 'pinned' | 'counted_drops' | 'unexplained' | 'eps' | 'events_per_cpu_second' | 'events_per_total_cpu_second'>
): Phase {
  const counted = m.kernel_drops + m.shipper_drops;
  return {
    name: spec.name,
    shipper: spec.shipper,
    wire: spec.wire,
    rate: spec.rate === 0 ? 'unthrottled' : spec.rate,
    receive_buffer: spec.buffer,
    pinned: spec.pinned ?? false,
    ...m,
    counted_drops: counted,
    unexplained: m.sent - m.indexed - counted,
    eps: Math.round(m.indexed / Math.max(m.duration_seconds, 0.001)),
    cpu_seconds: round(m.cpu_seconds, 2),
    events_per_cpu_second: Math.round(m.indexed / Math.max(m.cpu_seconds, 0.01)),
    es_cpu_seconds: round(m.es_cpu_seconds, 2),
    events_per_total_cpu_second: Math.round(m.indexed / Math.max(m.cpu_seconds + m.es_cpu_seconds, 0.01)),
    rss_mb_max: round(m.rss_mb_max, 1),
    load_average: round(m.load_average, 2),
  };
}

/** The proxy's transform of the phase's events (GELF), as bulk bodies: what the sink would send. */
async function bulkBodies(prefix: string, batchDocs: number): Promise<Buffer[]> {
  const options = transformOptionsFromConfig(loadConfig({}).ingest, createRedactor({ ...DEFAULT_REDACTION_RULES, fingerprintKey: randomBytes(32) }));
  const records: Buffer[] = [];
  for (const event of await benchEvents(EVENTS, 11)) {
    const payload = Buffer.from(gelfPayload(event));
    const message: ReceivedMessage = { source: 'gelf_udp', format: 'gelf', body: JSON.parse(payload.toString()), payload, receivedAt: new Date(), remoteAddress: '127.0.0.1' };
    const result = transformMessage(message, options);
    if ('event' in result) {
      const record = Buffer.from(`${encodeEvent(result.event, prefix, new Date())}\n`);
      record[headerEnd(record)] = 0x0a;
      records.push(record);
    }
  }
  const bodies: Buffer[] = [];
  for (let i = 0; i < records.length; i += batchDocs) {
    bodies.push(Buffer.concat(records.slice(i, i + batchDocs)));
  }
  return bodies;
}

function readProcUdp(): string[] {
  return ['/proc/net/udp', '/proc/net/udp6'].flatMap((f) => {
    try {
      return readFileSync(f, 'latin1').split('\n').slice(1);
    } catch {
      return [];
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------

interface RunContext {
  bundle: string;
  target: BulkTarget;
  work: string;
  /** SO_RCVBUF the proxy ends up with for README's request (the kernel caps it); rsyslog is given the same. */
  effectiveRecvBuffer: number;
  esCpu(): number;
  bulk(body: Buffer): Promise<void>;
  /** The proxy's index template for a prefix, as its setup installs it (direct `_bulk` writes the same mapping). */
  installTemplate(prefix: string): Promise<void>;
}

// Phase names are index prefixes, each with its own template: none may be a prefix of another (bench-direct-*).
const DIRECT: PhaseSpec = { name: 'bench-direct-ceiling', shipper: 'direct', wire: 'gelf', rate: 0, buffer: 'readme' };

function plan(rsyslog: boolean): PhaseSpec[] {
  const shippers: Array<[Shipper, Wire]> = [...(rsyslog ? [['rsyslog', 'json'] as [Shipper, Wire]] : []), ['proxy', 'json'], ['proxy', 'gelf']];
  const phases: PhaseSpec[] = [];
  for (const rate of RATES) {
    for (const [shipper, wire] of shippers) {
      phases.push({ name: `bench-${shipper}-${wire}-${rate}`, shipper, wire, rate, buffer: 'readme' });
    }
  }
  for (const buffer of ['readme', KERNEL_DEFAULT] as BufferChoice[]) {
    for (const [shipper, wire] of shippers) {
      phases.push({ name: `bench-${shipper}-${wire}-burst-${buffer.replace('_', '-')}`, shipper, wire, rate: 0, buffer });
    }
  }
  if (SMOKE && !process.env.BENCH_ONLY) {
    // One paced phase per wire would do; keep the smoke short: paced JSON, a GELF burst into the kernel default, direct.
    return [...phases.filter((p) => p.name === 'bench-proxy-json-2000' || p.name === 'bench-proxy-gelf-burst-kernel-default'), DIRECT];
  }
  phases.push(DIRECT);
  return phases;
}

function elasticsearchPid(home: string): number | undefined {
  try {
    const [launcher] = execFileSync('pgrep', ['-f', '--', `es.path.conf=${home}/config`]).toString().trim().split('\n').map(Number);
    return Number(execFileSync('pgrep', ['-P', String(launcher)]).toString().trim().split('\n')[0]) || undefined;
  } catch {
    return undefined;
  }
}

/** Indexes the direct documents a few times, so no phase pays for a cold node (JIT, caches, first mappings). */
async function warmUp(ctx: RunContext): Promise<void> {
  await ctx.installTemplate('bench-warmup-');
  for (let round = 0; round < 3; round++) {
    for (const body of await bulkBodies('bench-warmup-', 2000)) {
      await ctx.bulk(body);
    }
  }
  await ctx.target.deleteIndices('bench-warmup-');
}

function ratio(a: number | undefined, b: number | undefined): number | null {
  return a === undefined || b === undefined || b === 0 ? null : round(a / b, 2);
}

function summary(phases: Phase[]) {
  const find = (shipper: Shipper, wire: Wire, rate: Phase['rate'], buffer: BufferChoice = 'readme', pinned = false) =>
    phases.find((p) => p.shipper === shipper && p.wire === wire && p.rate === rate && p.receive_buffer === buffer && p.pinned === pinned);
  const efficiency = (rate: number) => {
    const peer = find('rsyslog', 'json', rate)?.events_per_cpu_second;
    const byWire = { json: ratio(find('proxy', 'json', rate)?.events_per_cpu_second, peer), gelf: ratio(find('proxy', 'gelf', rate)?.events_per_cpu_second, peer) };
    return { min: byWire.json === null || byWire.gelf === null ? null : Math.min(byWire.json, byWire.gelf), byWire };
  };
  const burst = (buffer: BufferChoice) => {
    const peer = find('rsyslog', 'json', 'unthrottled', buffer)?.indexed;
    return { json: ratio(find('proxy', 'json', 'unthrottled', buffer)?.indexed, peer), gelf: ratio(find('proxy', 'gelf', 'unthrottled', buffer)?.indexed, peer) };
  };
  const bursts = { readme: burst('readme'), kernel_default: burst(KERNEL_DEFAULT) };
  const burstRatios = Object.values(bursts).flatMap((b) => Object.values(b)).filter((r): r is number => r !== null);
  const proxyPhases = phases.filter((p) => p.shipper === 'proxy');
  const e2e = phases.find((p) => p.shipper === 'proxy' && p.pinned);
  const e2eDirect = phases.find((p) => p.shipper === 'direct' && p.pinned);
  const cpu2k = efficiency(2000);
  const cpu5k = efficiency(5000);
  return {
    ratio_cpu_efficiency_vs_rsyslog_2k: cpu2k.min,
    ratio_cpu_efficiency_vs_rsyslog_5k: cpu5k.min,
    ratio_cpu_efficiency_by_wire: { '2k': cpu2k.byWire, '5k': cpu5k.byWire },
    burst_kept_vs_rsyslog: burstRatios.length ? Math.min(...burstRatios) : null,
    burst_kept_vs_rsyslog_by_buffer: bursts,
    e2e_to_direct: ratio(e2e?.eps, e2eDirect?.eps),
    proxy_rss_mb_max: proxyPhases.length ? Math.max(...proxyPhases.map((p) => p.rss_mb_max)) : null,
    proxy_rss_mb_max_at_5k: Math.max(...proxyPhases.filter((p) => p.rate === 5000).map((p) => p.rss_mb_max), 0) || null,
    every_phase_accounted: phases.every((p) => p.unexplained === 0),
    lost_at_8k_12k: Object.fromEntries(
      proxyPhases.filter((p) => !p.pinned && (p.rate === 8000 || p.rate === 12000)).map((p) => [p.name, p.sent - p.indexed])
    ),
  };
}

async function main(): Promise<void> {
  const startedLoad = loadavg();
  const work = mkdtempSync(join(tmpdir(), 'dfi-bench-ingest-'));
  const rsyslogVersion = SMOKE ? undefined : ensureRsyslog();
  const bundle = proxyBundle();
  running.add(() => rmSync(work, { recursive: true, force: true }));
  const es = SMOKE ? undefined : await startElasticsearch({ heap: '1g' });
  if (es) {
    running.add(es.stop);
  }
  const target = es ? elasticsearchTarget(es.url) : await recordingTarget();
  const esPid = es ? elasticsearchPid(es.home) : undefined;
  const client = new Client({ node: target.url, requestTimeout: 300_000 });
  const ctx: RunContext = {
    bundle,
    target,
    work,
    effectiveRecvBuffer: Math.min(README_RECV_BUFFER, Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8'))),
    esCpu: () => (esPid ? sampleTree(esPid).cpuSeconds : 0),
    installTemplate: async (prefix) => {
      if (es) {
        await client.indices.putIndexTemplate({ name: templateNameFor(prefix), ...buildIndexTemplate(prefix) } as never);
      }
    },
    bulk: async (body) => {
      const res = (await client.bulk({ body } as never)) as { errors: boolean };
      if (res.errors) {
        throw new Error('direct bulk had item errors');
      }
    },
  };
  const phases: Phase[] = [];
  try {
    log(`${es ? `Elasticsearch ${es.version}` : 'bulk stand-in (smoke)'}; ${rsyslogVersion ?? 'no rsyslog'}; ${EVENTS} events per phase; load ${startedLoad[0]}`);
    if (!SMOKE) {
      await warmUp(ctx);
    }
    // BENCH_ONLY=<regex> keeps the phases whose name matches (for working on one of them).
    const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
    const specs = plan(!SMOKE).filter((spec) => !only || only.test(spec.name));
    for (const spec of specs) {
      const phase = spec.shipper === 'direct' ? await runDirectPhase(spec, ctx) : await runShipperPhase(spec, ctx);
      phases.push(phase);
      log(JSON.stringify(phase));
    }
    if (esPid && (!only || only.test('bench-e2e-pinned'))) {
      // End to end with Elasticsearch the bottleneck: ES on core 1, the shipper side on core 0.
      pin(esPid, '1');
      try {
        const direct = await runDirectPhase({ name: 'bench-direct-pinned', shipper: 'direct', wire: 'gelf', rate: 0, buffer: 'readme', pinned: true }, ctx);
        phases.push(direct);
        log(JSON.stringify(direct));
        const proxy = await runShipperPhase(
          { name: 'bench-proxy-gelf-backlog-pinned', shipper: 'proxy', wire: 'gelf', rate: 12000, buffer: 'readme', pinned: true, backlog: { esPid } },
          ctx
        );
        phases.push(proxy);
        log(JSON.stringify(proxy));
      } finally {
        pin(esPid, '0,1');
      }
    }
  } finally {
    await client.close();
    await target.close();
    await es?.stop();
    rmSync(work, { recursive: true, force: true });
  }

  const date = new Date().toISOString();
  const result = {
    benchmark: 'ingest',
    mode: SMOKE ? 'smoke' : 'full',
    date,
    machine: { cores: cpus().length, cpu: cpus()[0]?.model, node: process.version, rmem_max: ctx.effectiveRecvBuffer, load_average_at_start: startedLoad, load_average_at_end: loadavg() },
    elasticsearch: es?.version ?? null,
    rsyslog: rsyslogVersion ?? null,
    events_per_phase: EVENTS,
    proxy_node_flags: PROXY_NODE_FLAGS,
    receive_buffer: {
      readme_request_bytes: README_RECV_BUFFER,
      effective_so_rcvbuf_bytes: ctx.effectiveRecvBuffer,
      note: 'net.core.rmem_max caps what the proxy gets; rsyslog (root, SO_RCVBUFFORCE) is given the same size, so both sockets hold the same bytes (receive_buffer_kernel_bytes per phase, from ss).',
    },
    e2e_method:
      'Elasticsearch the bottleneck: it is pinned to core 1 (taskset), the proxy and sender (or this process, for direct _bulk) to core 0. direct (bench-direct-pinned): the proxy\'s documents for the same 30,000 events, _bulk at the sink\'s batch size (2000) and concurrency (3), seconds from the first request to the last response. proxy (bench-proxy-gelf-backlog-pinned): the DreamFactory GELF datagrams are sent at 12,000/s while Elasticsearch is stopped (SIGSTOP), so every event is received, transformed and in the disk queue; the clock starts at SIGCONT and stops when the proxy\'s insights_sink_indexed_total reaches the events queued (polled every 50 ms). e2e_to_direct = proxy eps / direct eps. It measures the delivery half (queue → sink → _bulk) against the ceiling; the receive half is measured by the paced phases.',
    ...summary(phases),
    phases,
  };
  const file = writeBenchResult('ingest', date, result, args.out);
  log(`written to ${file}`);
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  }
);
