/**
 * `npm run bench:soak [-- --duration 300 --rate 1000]`: a real Elasticsearch, the proxy in its own process (so its RSS
 * and CPU are its own) and a sender in a third process sending DreamFactory GELF-UDP datagrams (the simulator's byte
 * format: zlib, one datagram per message) with sequence numbers at a fixed rate. Afterwards it accounts for every
 * sequence number: indexed (distinct, exact via composite aggregation), kernel drops (/proc/net/snmp RcvbufErrors,
 * system-wide), our drops (the proxy's `dropped` metric) and the unexplained rest. Probe events sent once a second
 * measure send → searchable latency (polled every 250 ms, so ±250 ms plus the 5 s refresh interval of the template).
 * Writes bench/results/soak-<date>.json. Loopback only; every process it starts is stopped at the end.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, estypes } from '@elastic/elasticsearch';
import { freePort, startElasticsearch } from '../tests/elasticsearch/es-runner';
import { generateEvents } from '../tests/dreamfactory-sim/sender';
import { ProcSample, parsePrometheus, percentile, sampleProcess, sumBy, udpRcvbufErrors } from './lib/proc';
import { gelfDatagrams, type DfLogEvent } from '../tests/dreamfactory-sim/log-formats';
import { writeBenchResult } from './lib/results';

const ROOT = resolve(__dirname, '..');
const PREFIX = 'soak-dreamfactory-';
const WARMUP_S = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A pool of realistic events; the sender stamps each copy with its sequence number and the current time. */
async function eventPool(): Promise<DfLogEvent[]> {
  const users = Array.from({ length: 50 }, (_, i) => ({
    id: i + 1,
    email: `user${i + 1}@example.com`,
    name: `User ${i + 1}`,
  }));
  return generateEvents({
    count: 200,
    users,
    jwtSecret: 'soak-secret-soak-secret-soak-secret',
    seed: 7,
    sequence: true,
  });
}

function stamped(base: DfLogEvent, params: Record<string, unknown>): DfLogEvent {
  const event = structuredClone(base);
  const request = (event.event as { request: { parameters: unknown } }).request;
  request.parameters = params;
  event.timestamp = Date.now() / 1000;
  return event;
}

/** Child process: `seconds` of `rate` events/s in 10 ms slices; prints {sent} at the end. */
async function sender(port: number, rate: number, seconds: number): Promise<void> {
  const pool = await eventPool();
  const socket = createSocket('udp4');
  const started = Date.now();
  let sent = 0;
  const total = rate * seconds;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((Date.now() - started) * rate) / 1000));
    for (; sent < due; sent++) {
      socket.send(gelfDatagrams(stamped(pool[sent % pool.length], { seq: sent }))[0], port, '127.0.0.1');
    }
    await sleep(10);
  }
  await sleep(200);
  socket.close();
  process.stdout.write(`${JSON.stringify({ sent, seconds: (Date.now() - started) / 1000 })}\n`);
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`proxy exited with ${child.exitCode}`);
    }
    try {
      if ((await fetch(url)).ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await sleep(500);
  }
  throw new Error(`${url} not ready in ${timeoutMs} ms`);
}

/**
 * Exact number of distinct sequence numbers indexed: every document's `seq` read back (sorted by _doc, search_after,
 * after a refresh with writes finished). Aggregations were not used: cardinality is approximate, and a composite
 * aggregation over the `flattened` parameters field returned one bucket on 8.19.
 */
async function distinctIndexed(es: Client): Promise<number> {
  const seqs = new Set<number>();
  let after: estypes.SortResults | undefined;
  for (let page = 0; page < 10_000; page++) {
    const res = await es.search<{ event?: { request?: { parameters?: { seq?: number | string } } } }>({
      index: `${PREFIX}*`,
      size: 10_000,
      sort: ['_doc'],
      _source: ['event.request.parameters.seq'],
      query: { exists: { field: 'event.request.parameters.seq' } },
      ...(after ? { search_after: after } : {}),
    });
    for (const hit of res.hits.hits) {
      seqs.add(Number(hit._source?.event?.request?.parameters?.seq));
    }
    if (res.hits.hits.length < 10_000) {
      break;
    }
    after = res.hits.hits.at(-1)!.sort;
  }
  return seqs.size;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { duration: { type: 'string', default: '300' }, rate: { type: 'string', default: '200' } },
  });
  const duration = Math.min(Number(values.duration), 3600);
  const rate = Math.min(Number(values.rate), 20_000);
  const children: ChildProcess[] = [];
  const work = mkdtempSync(join(tmpdir(), 'dfi-soak-'));
  const es = await startElasticsearch({});
  const client = new Client({ node: es.url });
  const cleanup = async () => {
    for (const c of children) {
      if (c.exitCode === null) {
        c.kill('SIGTERM');
      }
    }
    await client.close();
    await es.stop();
    rmSync(work, { recursive: true, force: true });
  };
  // Interrupted (Ctrl-C, a timeout): still stop Elasticsearch and the proxy rather than orphan them.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  }
  try {
    const [httpPort, udpPort] = [await freePort(), await freePort()];
    const configFile = join(work, 'config.json');
    const off = { enabled: false };
    writeFileSync(
      configFile,
      JSON.stringify({
        logLevel: 'warn',
        server: { host: '127.0.0.1', port: httpPort },
        elasticsearch: { urls: [es.url], indexPrefix: PREFIX },
        ingest: {
          gelfUdp: { host: '127.0.0.1', port: udpPort },
          gelfTcp: off,
          jsonUdp: off,
          jsonTcp: off,
          jsonHttp: off,
          gelfHttpEnabled: false,
        },
        queue: { dir: join(work, 'queue') },
        retention: { mode: 'off' },
      })
    );
    const proxy = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'proxy/src/main.ts'), 'serve'], {
      env: { ...process.env, INSIGHTS_CONFIG: configFile },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    children.push(proxy);
    const metricsUrl = `http://127.0.0.1:${httpPort}/metrics`;
    await waitForHttp(metricsUrl, proxy, 60_000);
    const metrics = async () => parsePrometheus(await (await fetch(metricsUrl)).text());

    const loadAtStart = loadavg()[0];
    const kernelBefore = udpRcvbufErrors();
    const startedAt = Date.now();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', __filename, 'send', String(udpPort), String(rate), String(duration + WARMUP_S)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      }
    );
    children.push(child);
    let senderOut = '';
    child.stdout!.on('data', (d) => (senderOut += d));
    const senderDone = new Promise((r) => child.on('exit', r));

    // Probes (one a second, own socket, `probe` parameter instead of `seq`) and resource samples (every 5 s).
    const pool = await eventPool();
    const probeSocket = createSocket('udp4');
    const probes = new Map<number, { sentAt: number; seenAt?: number }>();
    const samples: Array<ProcSample & { warmup: boolean }> = [];
    let running = true;
    const probeLoop = (async () => {
      for (let n = 0; running; n++) {
        const sentAt = Date.now();
        probeSocket.send(gelfDatagrams(stamped(pool[n % pool.length], { probe: n }))[0], udpPort, '127.0.0.1');
        probes.set(n, { sentAt });
        await sleep(1000);
      }
    })();
    const pollLoop = (async () => {
      while (running || [...probes.values()].some((p) => !p.seenAt && Date.now() - p.sentAt < 60_000)) {
        const open = [...probes].filter(([, p]) => !p.seenAt).map(([n]) => String(n));
        if (open.length) {
          const res = await client
            .search({
              index: `${PREFIX}*`,
              size: open.length,
              _source: ['event.request.parameters.probe'],
              query: { terms: { 'event.request.parameters.probe': open } },
            })
            .catch(() => undefined);
          const now = Date.now();
          for (const hit of res?.hits.hits ?? []) {
            const n = Number(
              (hit._source as { event: { request: { parameters: { probe: number } } } }).event.request.parameters.probe
            );
            const probe = probes.get(n);
            if (probe && !probe.seenAt) {
              probe.seenAt = now;
            }
          }
        }
        await sleep(250);
      }
    })();
    const sampleLoop = (async () => {
      while (running) {
        samples.push({ ...sampleProcess(proxy.pid!), warmup: Date.now() - startedAt < WARMUP_S * 1000 });
        await sleep(5000);
      }
    })();

    await senderDone;
    const sent = JSON.parse(senderOut.trim().split('\n').pop() ?? '{}') as { sent: number; seconds: number };
    running = false;
    await Promise.all([probeLoop, sampleLoop]);
    probeSocket.close();
    // Drain: queue empty and the indexed count stable (bounded at 120 s).
    let drainedMs = 0;
    for (let prev = -1; drainedMs < 120_000; drainedMs += 1000) {
      const m = await metrics();
      const indexedNow = sumBy(m, 'insights_sink_indexed_total').total ?? 0;
      if ((sumBy(m, 'insights_queue_depth_events').total ?? 0) === 0 && indexedNow === prev) {
        break;
      }
      prev = indexedNow;
      await sleep(1000);
    }
    await pollLoop;
    samples.push({ ...sampleProcess(proxy.pid!), warmup: false });
    const m = await metrics();
    const kernelDrops = udpRcvbufErrors() - kernelBefore;
    await client.indices.refresh({ index: `${PREFIX}*` });
    const indexed = await distinctIndexed(client);
    const ourDrops = sumBy(m, 'insights_ingest_dropped_total', 'reason');
    const ourDropTotal = Object.values(ourDrops).reduce((a, b) => a + b, 0);
    const latencies = [...probes.values()]
      .filter((p) => p.seenAt)
      .map((p) => p.seenAt! - p.sentAt)
      .sort((a, b) => a - b);
    const measured = samples.filter((s) => !s.warmup);
    const cpuPercent = measured
      .slice(1)
      .map(
        (s, i) => Math.round(((s.cpuSeconds - measured[i].cpuSeconds) / ((s.at - measured[i].at) / 1000)) * 1000) / 10
      );
    const nodeInfo = await client.info().catch(() => undefined);
    const report = {
      benchmark: 'soak',
      date: new Date().toISOString(),
      machine: {
        cores: cpus().length,
        cpu: cpus()[0]?.model,
        node: process.version,
        loadAverage1mAtStart: loadAtStart,
        loadAverage1mAtEnd: loadavg()[0],
        shared: 'yes: other engineers ran tests/benchmarks on the same 2 cores',
      },
      elasticsearch: es.version ?? nodeInfo?.version.number,
      durationSeconds: duration,
      warmupSeconds: WARMUP_S,
      targetRate: rate,
      sent: sent.sent,
      senderSeconds: sent.seconds,
      indexedDistinct: indexed,
      lost: sent.sent - indexed,
      loss: {
        kernelRcvbufErrors: kernelDrops,
        ours: ourDrops,
        unexplained: Math.max(0, sent.sent - indexed - kernelDrops - ourDropTotal),
        note: 'RcvbufErrors is system-wide; probes (one a second) also travel the same socket',
      },
      proxyMetrics: {
        received: sumBy(m, 'insights_ingest_received_total').total,
        decoded: sumBy(m, 'insights_ingest_decoded_total').total,
        indexed: sumBy(m, 'insights_sink_indexed_total').total,
        failed: sumBy(m, 'insights_sink_failed_total', 'kind'),
        deadLettered: sumBy(m, 'insights_sink_dead_lettered_total').total,
      },
      drainSeconds: drainedMs / 1000,
      latencyMs: {
        probes: probes.size,
        seen: latencies.length,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: latencies.at(-1) ?? null,
      },
      proxy: {
        rssMiB: measured.map((s) => Math.round(s.rssBytes / 1048576)),
        rssMiBMax: Math.round(Math.max(...measured.map((s) => s.rssBytes)) / 1048576),
        cpuPercentPer5s: cpuPercent,
        cpuPercentMean: cpuPercent.length
          ? Math.round((cpuPercent.reduce((a, b) => a + b, 0) / cpuPercent.length) * 10) / 10
          : null,
      },
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    writeBenchResult('soak', report.date, report);
  } finally {
    await cleanup();
  }
}

const [mode, ...args] = process.argv.slice(2);
(mode === 'send' ? sender(Number(args[0]), Number(args[1]), Number(args[2])) : main()).catch((err: Error) => {
  process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
