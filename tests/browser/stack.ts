/**
 * Everything behind the harness page, all real and on 127.0.0.1: Elasticsearch, the DreamFactory simulator, the
 * proxy (setup, ingest, API) fed with DreamFactory log traffic, and the Grafana shim serving the built plugin.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../proxy/src/config';
import { buildProxyServer, createProxyParts, ingestDeps, type ProxyParts } from '../../proxy/src/compose';
import { createLogger } from '../../proxy/src/logger';
import { Ingest, startIngest } from '../../proxy/src/pipeline';
import { boundAddress } from '../../proxy/src/sources/bound-address';
import { buildIndexTemplate, TEMPLATE_NAME } from '../../proxy/src/setup/index-template';
import { generateEvents, sendEvent } from '../dreamfactory-sim/sender';
import { Simulator, startSimulator } from '../dreamfactory-sim/server';
import { RunningElasticsearch, startElasticsearch } from '../elasticsearch/es-runner';
import { ownedTempDir } from '../support/lifecycle';
import { buildHost } from './build-host';
import { seedLimitHistory } from './limit-history-seed';
import { RunningShim, startShim } from './shim/server';

const DIST_DIR = resolve(__dirname, '../../dist');
/** The shim provisions the app and the datasource from these files, as a Grafana mounting them would. */
const PROVISIONING_DIR = resolve(__dirname, '../../provisioning');
const LOOPBACK = { host: '127.0.0.1', port: 0 };
/** DreamFactory API calls logged before the specs run, spread over the last hour. */
export const SEEDED_EVENTS = 400;
const INDEX_WAIT_MS = 60_000;

/** Where serve.ts leaves a running stack's details for specs run with HARNESS_REUSE=1. */
export const STACK_FILE = join(__dirname, 'out', 'stack.json');

export interface StackInfo {
  /** The shim: open pages here. */
  url: string;
  proxyUrl: string;
  simulatorUrl: string;
  /** Held by the shim and the proxy only; specs use it to prove no response to the browser carries it. */
  proxyToken: string;
}

export interface HarnessStack extends StackInfo {
  stop(): Promise<void>;
}

async function startProxy(es: RunningElasticsearch, sim: Simulator, token: string, queueDir: string) {
  const config = loadConfig(
    {},
    {
      apiToken: token,
      server: LOOPBACK,
      elasticsearch: { urls: [es.url] },
      dreamfactory: { url: sim.url, apiKey: sim.apiKey },
      ingest: { gelfUdp: LOOPBACK, gelfTcp: LOOPBACK, jsonUdp: LOOPBACK, jsonTcp: LOOPBACK, jsonHttp: LOOPBACK },
      queue: { dir: queueDir },
      sink: { flushIntervalMs: 100 },
    }
  );
  const parts = createProxyParts(config, createLogger(process.env.HARNESS_PROXY_LOG ?? 'silent'));
  // The product's index template, so queries see production's mapping.
  await parts.es.putIndexTemplate(TEMPLATE_NAME, buildIndexTemplate(config.elasticsearch.indexPrefix));
  const ingest = await startIngest(ingestDeps(parts));
  const app = await buildProxyServer(parts, ingest);
  const url = await app.listen(LOOPBACK);
  // As `proxy serve` does: the status page shows the ports the listeners were given.
  parts.operations.attach({ sources: ingest.sources, http: boundAddress(app.server.address(), LOOPBACK) });
  return { parts, ingest, app, url };
}

/** DreamFactory's JSON-over-HTTP log mode: each message is acknowledged once durably queued, so none is lost. */
async function sendTraffic(parts: ProxyParts, ingest: Ingest, sim: Simulator): Promise<void> {
  const admins = new Set(sim.store.adminUsers().map((u) => u.id));
  const events = await generateEvents({
    count: SEEDED_EVENTS,
    users: sim.store.users.map((u) => ({
      id: u.id,
      email: u.email,
      name: u.name ?? u.username,
      is_sys_admin: admins.has(u.id),
    })),
    jwtSecret: sim.jwtSecret,
    seed: 7,
    startSeconds: Date.now() / 1000 - 3600,
    stepMs: 3600_000 / SEEDED_EVENTS,
  });
  const source = ingest.sources.find((s) => s.name === 'json_http');
  if (!source) {
    throw new Error('the proxy did not start its JSON HTTP listener');
  }
  for (const event of events) {
    await sendEvent('json-http', '127.0.0.1', source.address().port, event);
  }
  const pattern = `${parts.config.elasticsearch.indexPrefix}*`;
  const deadline = Date.now() + INDEX_WAIT_MS;
  let indexed = 0;
  while (Date.now() < deadline) {
    await parts.es.refresh(pattern).catch(() => undefined);
    // A daily index created a moment ago may not have its shard started yet (503): keep waiting.
    indexed = await parts.es.count(pattern).catch(() => indexed);
    if (indexed >= SEEDED_EVENTS) {
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `only ${indexed} of ${SEEDED_EVENTS} DreamFactory events reached Elasticsearch within ${INDEX_WAIT_MS} ms`
  );
}

export async function startHarnessStack(): Promise<HarnessStack> {
  if (!existsSync(join(DIST_DIR, 'module.js')) || !existsSync(join(DIST_DIR, 'datasource', 'module.js'))) {
    throw new Error('dist/ has no built plugin: run `npm run build` before the browser tests');
  }
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const fn of stops.reverse()) {
      await fn().catch(() => undefined);
    }
  };
  try {
    const [hostDir, es, simulator] = await Promise.all([
      buildHost(),
      startElasticsearch(),
      startSimulator({ users: 25, admins: 2, seed: 1 }),
    ]);
    stops.push(
      () => es.stop(),
      () => simulator.close()
    );
    const queueDir = ownedTempDir('dfi-harness-queue-');
    stops.push(() => queueDir.remove());
    const token = randomBytes(24).toString('hex');
    const proxy = await startProxy(es, simulator, token, queueDir.path);
    stops.push(
      () => proxy.parts.es.close(),
      () => proxy.ingest.stop(),
      () => proxy.app.close()
    );
    await sendTraffic(proxy.parts, proxy.ingest, simulator);
    await seedLimitHistory(proxy.parts, simulator);
    const shim: RunningShim = await startShim({
      distDir: DIST_DIR,
      hostDir,
      provisioningDir: PROVISIONING_DIR,
      // Grafana's environment, as `npm run stack` tells the user to set it.
      env: { INSIGHTS_PROXY_URL: proxy.url, PROXY_TOKEN: token },
    });
    stops.push(() => shim.close());
    return { url: shim.url, proxyUrl: proxy.url, simulatorUrl: simulator.url, proxyToken: token, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
