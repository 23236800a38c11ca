/**
 * `npm run bench:limit-sampler`: what limit sampling costs DreamFactory and Elasticsearch for 100 limits × 1,000 users.
 *
 * The real sampler reads the DreamFactory simulator (1,000 users, 100 limits, calls recorded through its limit
 * enforcement) and writes into a real Elasticsearch node with the limit template setup installs. Per scenario it
 * counts the DreamFactory requests of a first sample (user directory read) and of later ones (directory cached), the
 * documents each sample indexes and their size on disk; per day and per minute figures follow from the sample interval
 * and the directory's cache time. Writes bench/results/limit-sampler-<date>.json.
 *
 *   BENCH_SAMPLES=3 npm run bench:limit-sampler
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { DreamFactoryClient } from '../proxy/src/clients/dreamfactory';
import { ElasticsearchClient } from '../proxy/src/clients/elasticsearch';
import { loadConfig } from '../proxy/src/config';
import { buildLimitIndexTemplate, limitTemplateNameFor } from '../proxy/src/setup/limit-index-template';
import { LimitSampler } from '../proxy/src/limit-sampler';
import { createLogger } from '../proxy/src/logger';
import { createMetrics } from '../proxy/src/metrics';
import { UserDirectory } from '../proxy/src/dreamfactory/directory';
import { startSimulator, type Simulator } from '../tests/dreamfactory-sim/server';
import { startElasticsearch } from '../tests/elasticsearch/es-runner';
import { writeBenchResult } from './lib/results';

const USERS = 1000;
const SAMPLES = Math.max(2, Number(process.env.BENCH_SAMPLES ?? 3));
const DEFAULTS = loadConfig({});
const SAMPLE_SECONDS = DEFAULTS.limitHistory.sampleSeconds;
const DIRECTORY_TTL_MS = DEFAULTS.dreamfactory.directoryTtlMs;
const SAMPLES_PER_DAY = 86400 / SAMPLE_SECONDS;

const SERVICES = ['db', 'mysql', 'files', 'email'];
const VERBS = ['GET', 'POST', 'PUT', 'DELETE'];
const PERIODS = ['minute', 'hour', 'day', '7-day', '30-day'];
/** More than any scenario's calls make, so nothing trips and every counter stays in use. */
const RATE = 1_000_000;

type LimitKind = 'instance.service' | 'instance.each_user.service';

/** 100 distinct limits of a kind: 4 services × (any verb and 4 verbs) × 5 periods. */
function limitRows(kind: LimitKind, serviceIds: Map<string, number>, count = 100) {
  const rows = SERVICES.flatMap((service) =>
    [null, ...VERBS].flatMap((verb) =>
      PERIODS.map((period) => ({
        name: `${kind} ${service} ${verb ?? 'any'} ${period}`,
        type: kind,
        service_id: serviceIds.get(service),
        verb,
        period,
        rate: RATE,
      }))
    )
  );
  return rows.slice(0, count);
}

interface Scenario {
  name: string;
  description: string;
  limits: (serviceIds: Map<string, number>) => Array<Record<string, unknown>>;
  /** Users (by position among the active non-admins) who call every service with every verb once. */
  activeUsers: number;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'idle',
    description: '100 each-user limits, no calls in their windows',
    limits: (ids) => limitRows('instance.each_user.service', ids),
    activeUsers: 0,
  },
  {
    name: 'instance-wide-in-use',
    description: '100 limits that are not per user, all in use',
    limits: (ids) => limitRows('instance.service', ids),
    activeUsers: USERS,
  },
  {
    name: 'mixed',
    description: '10 each-user limits with 200 active users, 90 other limits in use',
    limits: (ids) => [
      ...limitRows('instance.each_user.service', ids)
        .filter((r) => r.service_id === ids.get('db'))
        .slice(0, 10),
      ...limitRows('instance.service', ids, 90),
    ],
    activeUsers: 200,
  },
  {
    name: 'worst-case',
    description: '100 each-user limits, each with a counter in use for every active user',
    limits: (ids) => limitRows('instance.each_user.service', ids),
    activeUsers: USERS,
  },
];

async function runScenario(scenario: Scenario, esUrl: string, log: (line: string) => void) {
  const sim: Simulator = await startSimulator({ users: USERS, admins: 3, seed: 17, limits: false });
  const es = new ElasticsearchClient(
    loadConfig({}, { elasticsearch: { urls: [esUrl], requestTimeoutMs: 300_000 } }).elasticsearch
  );
  const prefix = `bench-limits-${scenario.name}-`;
  try {
    await es.putIndexTemplate(limitTemplateNameFor(prefix), buildLimitIndexTemplate(prefix));
    const serviceIds = new Map(
      SERVICES.map((name) => [name, sim.store.services.find((s) => s.name === name)!.id as number])
    );
    sim.store.createLimits(scenario.limits(serviceIds));
    const callers = sim.store
      .nonAdmins()
      .filter((u) => u.is_active)
      .slice(0, scenario.activeUsers);
    for (const user of callers) {
      for (const service of SERVICES) {
        for (const verb of VERBS) {
          sim.store.recordCall({ service, verb, userId: user.id, auth: 'jwt' });
        }
      }
    }

    const metrics = createMetrics();
    let requests = 0;
    const df = new DreamFactoryClient(
      { url: sim.url, apiKey: sim.apiKey, timeoutMs: 60_000, directoryTtlMs: DIRECTORY_TTL_MS },
      () => {
        requests += 1;
      }
    );
    const sampler = new LimitSampler(
      { intervalSeconds: SAMPLE_SECONDS, indexPrefix: prefix },
      {
        dreamfactory: df,
        directory: new UserDirectory(df, DIRECTORY_TTL_MS),
        es,
        esUrls: [esUrl],
        metrics,
        logger: createLogger('silent'),
      }
    );
    const samples: Array<{ outcome: string; dreamFactoryRequests: number; documents: number; ms: number }> = [];
    for (let i = 0; i < SAMPLES; i++) {
      const before = { requests, documents: (await metrics.limitDocumentsIndexed.get()).values[0]?.value ?? 0 };
      const t0 = performance.now();
      const outcome = await sampler.sampleOnce();
      const ms = performance.now() - t0;
      const documents = ((await metrics.limitDocumentsIndexed.get()).values[0]?.value ?? 0) - before.documents;
      samples.push({ outcome, dreamFactoryRequests: requests - before.requests, documents, ms: Math.round(ms) });
      log(
        `  ${scenario.name} sample ${i + 1}: ${outcome}, ${requests - before.requests} DreamFactory requests, ${documents} documents, ${Math.round(ms)} ms`
      );
    }
    await es.refresh(`${prefix}*`);
    const [stats] = await es.listIndices(`${prefix}*`);
    const documentsStored = await es.count(`${prefix}*`);

    const cold = samples[0].dreamFactoryRequests;
    const warm = samples[samples.length - 1].dreamFactoryRequests;
    // A directory read every DIRECTORY_TTL_MS on top of the per-sample requests.
    const requestsPerMinute = warm * (60 / SAMPLE_SECONDS) + (cold - warm) * (60_000 / DIRECTORY_TTL_MS);
    const documentsPerSample = samples[samples.length - 1].documents;
    const bytesPerDocument = stats && documentsStored > 0 ? stats.storeBytes / documentsStored : undefined;
    return {
      scenario: scenario.name,
      description: scenario.description,
      limits: sim.store.limits.length,
      activeUsers: callers.length,
      counters: documentsPerSample - sim.store.limits.length,
      samples,
      dreamFactoryRequestsPerMinute: Math.round(requestsPerMinute * 10) / 10,
      documentsPerSample,
      documentsPerDay: documentsPerSample * SAMPLES_PER_DAY,
      storeBytesPerDocument: bytesPerDocument && Math.round(bytesPerDocument),
      storeGbPerDay:
        bytesPerDocument && Math.round(((bytesPerDocument * documentsPerSample * SAMPLES_PER_DAY) / 1e9) * 100) / 100,
    };
  } finally {
    await es.raw.indices.delete({ index: `${prefix}*`, ignore_unavailable: true }).catch(() => undefined);
    await es.raw.indices
      .deleteIndexTemplate({ name: limitTemplateNameFor(prefix) }, { ignore: [404] })
      .catch(() => undefined);
    await es.close();
    await sim.close();
  }
}

async function main(): Promise<void> {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const loadAtStart = loadavg();
  log(
    `bench:limit-sampler: 100 limits × ${USERS} users, ${SAMPLES} samples per scenario (load ${loadAtStart.map((l) => l.toFixed(2)).join(' ')})`
  );
  const node = await startElasticsearch({ heap: '1g' });
  try {
    const scenarios = [];
    for (const scenario of SCENARIOS) {
      scenarios.push(await runScenario(scenario, node.url, log));
    }
    const result = {
      bench: 'limit-sampler',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, loadAtStart, loadAtEnd: loadavg() },
      elasticsearch: node.version,
      sampleSeconds: SAMPLE_SECONDS,
      directoryTtlMs: DIRECTORY_TTL_MS,
      users: USERS,
      scenarios,
    };
    const file = writeBenchResult('limit-sampler', result.date, result);
    for (const s of scenarios) {
      log(
        `${s.scenario}: ${s.dreamFactoryRequestsPerMinute} DreamFactory requests/min, ${s.documentsPerSample} documents/sample = ${s.documentsPerDay} a day, ${s.storeBytesPerDocument} B each on disk (${s.storeGbPerDay} GB a day)`
      );
    }
    log(`wrote ${file}`);
  } finally {
    await node.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
