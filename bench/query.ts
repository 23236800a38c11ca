/**
 * `npm run bench:query`: our activity query (POST /api/query: validation, ES aggregation, shaping, enrichment) against
 * the bare Elasticsearch aggregation with the same body, on the same data, with a warm and a cold user directory.
 *
 *   BENCH_EVENTS=1000000 BENCH_USERS=5000 BENCH_RUNS=15 npm run bench:query
 *
 * Starts its own Elasticsearch node and DreamFactory directory stub on 127.0.0.1, writes bench/results/query-<date>.json
 * and stops both. The shard request cache is off on the bench indices, so every run really aggregates.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { ACTIVITY_PRESETS, type ActivityQuery, type QueryRequest } from '@shared/query';
import { createProxyParts } from '../proxy/src/compose';
import { loadConfig } from '../proxy/src/config';
import { createLogger } from '../proxy/src/logger';
import { buildActivitySearch, parseRange } from '../proxy/src/query/builder';
import { enrichFrames } from '../proxy/src/query/enrich';
import { shapeActivity } from '../proxy/src/query/shaper';
import { queryApi } from '../proxy/src/api/query';
import { makeUsers, startDirectoryStub } from '../proxy/src/dreamfactory/testing/df-directory-stub';
import { startElasticsearch } from '../tests/elasticsearch/es-runner';
import { generateEvents, indexEvents } from '../tests/integration/query-data';
import { buildIndexTemplate } from '../proxy/src/setup/index-template';
import Fastify from 'fastify';
import { writeBenchResult } from './lib/results';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const USERS = Number(process.env.BENCH_USERS ?? 5000);
const RUNS = Math.min(Number(process.env.BENCH_RUNS ?? 15), 100);
const COLD_RUNS = Math.min(Number(process.env.BENCH_COLD_RUNS ?? 5), 20);
const CHUNK = 50_000;
const PREFIX = 'bench-query-';
const TOKEN = 'bench-query-token-0123456789';
const START = Date.parse('2026-11-01T00:00:00Z');
const SPAN = 7 * 86400000;
const RANGE = { from: new Date(START).toISOString(), to: new Date(START + SPAN).toISOString() };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number) => Math.round(x * 100) / 100;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function main(): Promise<void> {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(`bench:query: ${EVENTS} events, ${USERS} users, ${RUNS} warm runs`);
  const es = await startElasticsearch({ heap: '1g' });
  const users = makeUsers(USERS - 2, 3);
  const stub = await startDirectoryStub(users, makeUsers(2, 1, true));
  const config = loadConfig({}, {
    apiToken: TOKEN,
    logLevel: 'silent',
    // Generous: the bulk load shares two cores with everything else on the machine.
    elasticsearch: { urls: [es.url], indexPrefix: PREFIX, requestTimeoutMs: 300000 },
    dreamfactory: { url: stub.url, apiKey: stub.apiKey },
  });
  const parts = createProxyParts(config, createLogger('silent'));
  const app = Fastify();
  await app.register(queryApi({ engine: parts.queryEngine, version: parts.proxy.version }), { prefix: '/api' });
  try {
    const { index_patterns, priority, template } = buildIndexTemplate(PREFIX, { refreshInterval: '-1' });
    // Every run must really aggregate (no shard request cache); a bench index needs no per-request fsync.
    template.settings['index.requests.cache.enable'] = false;
    template.settings['index.translog.durability'] = 'async';
    await parts.es.raw.indices.putIndexTemplate({ name: `${PREFIX}template`, index_patterns, priority, template });

    const userIds = users.map((u) => String(u.id)).concat(['1', '2']);
    const loadMs = await time(async () => {
      for (let done = 0; done < EVENTS; done += CHUNK) {
        const count = Math.min(CHUNK, EVENTS - done);
        await indexEvents(parts.es, PREFIX, generateEvents({ count, seed: 1000 + done, startMs: START, spanMs: SPAN, userIds }), 5000, 2);
        log(`  indexed ${done + count} events`);
      }
    });
    log(`loaded ${EVENTS} events in ${round(loadMs / 1000)} s (${Math.round(EVENTS / (loadMs / 1000))} events/s)`);

    const presets: Record<string, unknown> = {};
    for (const [name, preset] of Object.entries(ACTIVITY_PRESETS)) {
      const query: ActivityQuery = { refId: 'A', queryType: 'activity', groupBy: [...preset.groupBy], showOther: true, shareOfTotal: true };
      const request: QueryRequest = { range: RANGE, queries: [query] };
      const body = buildActivitySearch({ range: parseRange(RANGE) }, query);
      const raw = () => parts.es.search(`${PREFIX}*`, body);
      const ours = async () => {
        const response = await app.inject({ method: 'POST', url: '/api/query', payload: request });
        if (response.statusCode !== 200 || response.json().results.A.error) {
          throw new Error(`query failed: ${response.body.slice(0, 500)}`);
        }
      };
      await raw();
      await ours();
      const rawMs: number[] = [];
      const warmMs: number[] = [];
      const coldMs: number[] = [];
      // Interleaved, so noise from the shared machine hits both sides alike.
      for (let i = 0; i < RUNS; i++) {
        rawMs.push(await time(raw));
        warmMs.push(await time(ours));
      }
      for (let i = 0; i < COLD_RUNS; i++) {
        parts.directory.clear();
        coldMs.push(await time(ours));
      }
      // Our own CPU work on one real response (shape, join users, serialize), free of Elasticsearch's noise.
      const response = await raw();
      const { snapshot } = await parts.directory.read();
      const ownMs: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        ownMs.push(await time(async () => JSON.stringify(enrichFrames([shapeActivity(query, response)], snapshot))));
      }
      presets[name] = {
        rows: shapeActivity(query, response).fields[0].values.length,
        shape_enrich_serialize_ms: round(median(ownMs)),
        raw_es_ms: round(median(rawMs)),
        ours_warm_ms: round(median(warmMs)),
        ours_cold_ms: round(median(coldMs)),
        ratio_warm: round(median(warmMs) / median(rawMs)),
        runs: { raw: rawMs.map(round), warm: warmMs.map(round), cold: coldMs.map(round) },
      };
      log(`${name}: ${JSON.stringify({ ...(presets[name] as object), runs: undefined })}`);
    }

    const headline = presets.apisByUser as Record<string, number>;
    const result = {
      benchmark: 'query',
      date: new Date().toISOString(),
      events: EVENTS,
      users: USERS,
      headline_query: 'apisByUser (user 100 → method 10 → endpoint 100, share of total)',
      raw_es_ms: headline.raw_es_ms,
      shape_enrich_serialize_ms: headline.shape_enrich_serialize_ms,
      ours_warm_ms: headline.ours_warm_ms,
      ours_cold_ms: headline.ours_cold_ms,
      ratio_warm: headline.ratio_warm,
      target_ratio_warm: 1.1,
      load_seconds: round(loadMs / 1000),
      load_events_per_second: Math.round(EVENTS / (loadMs / 1000)),
      presets,
      environment: { node: process.version, cpus: cpus().length, elasticsearch: es.version, es_heap: '1g', request_cache: false },
    };
    const file = writeBenchResult('query', result.date, result);
    log(`wrote ${file}`);
  } finally {
    await app.close();
    await parts.es.close();
    await stub.close();
    await es.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
