/**
 * A real proxy ingest path in-process for the ingest-*.test.ts suites: every listener on an ephemeral 127.0.0.1 port,
 * GELF HTTP on the proxy's own server, a disk queue in a temp dir and the sink writing to a real Elasticsearch.
 */
import type { FastifyInstance } from 'fastify';
import type { Counter } from 'prom-client';
import { Config, ConfigInput, loadConfig } from '../../proxy/src/config';
import { buildProxyServer, createProxyParts, ingestDeps, type ProxyParts } from '../../proxy/src/compose';
import { ElasticsearchClient } from '../../proxy/src/clients/elasticsearch';
import { createLogger } from '../../proxy/src/logger';
import { Ingest, startIngest } from '../../proxy/src/pipeline';
import type { SourceName } from '../../proxy/src/pipeline-types';
import { counterValue } from '../../proxy/src/testing/metric-value';
import { ownedTempDir } from '../support/lifecycle';

export interface TestProxy {
  parts: ProxyParts;
  ingest: Ingest;
  /** http://127.0.0.1:<port> of the proxy's HTTP server (POST /gelf). */
  httpUrl: string;
  queueDir: string;
  port(source: Exclude<SourceName, 'gelf_http'>): number;
  /** Value of a Prometheus metric (e.g. insights_sink_indexed_total) for the given labels; 0 when never set. */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  stop(graceMs?: number): Promise<void>;
}

const LOOPBACK = { host: '127.0.0.1', port: 0 };

export async function startTestProxy(
  es: Config['elasticsearch'],
  options: { queueDir?: string; overrides?: ConfigInput } = {}
): Promise<TestProxy> {
  // A queue dir of its own is removed at stop; a given one (a restart test's) is the caller's.
  const ownQueue = options.queueDir === undefined ? ownedTempDir('dfi-ingest-queue-') : undefined;
  const queueDir = options.queueDir ?? ownQueue!.path;
  const config = loadConfig(
    {},
    {
      server: LOOPBACK,
      elasticsearch: es,
      ingest: { gelfUdp: LOOPBACK, gelfTcp: LOOPBACK, jsonUdp: LOOPBACK, jsonTcp: LOOPBACK, jsonHttp: LOOPBACK },
      queue: { dir: queueDir },
      sink: { flushIntervalMs: 100, retryInitialMs: 100, retryMaxMs: 1000 },
      setupOnStart: false,
      ...options.overrides,
    }
  );
  const parts = createProxyParts(config, createLogger(process.env.TEST_PROXY_LOG ?? 'silent'));
  const ingest = await startIngest(ingestDeps(parts));
  let app: FastifyInstance;
  try {
    app = await buildProxyServer(parts, ingest);
    await app.listen(LOOPBACK);
  } catch (err) {
    await ingest.stop();
    await ownQueue?.remove();
    throw err;
  }
  const address = app.server.address();
  const httpPort = typeof address === 'object' && address ? address.port : 0;
  return {
    parts,
    ingest,
    queueDir,
    httpUrl: `http://127.0.0.1:${httpPort}`,
    port(source) {
      const found = ingest.sources.find((s) => s.name === source);
      if (!found) {
        throw new Error(`source ${source} is not running`);
      }
      return found.address().port;
    },
    async metric(name, labels = {}) {
      // Gauges answer get() in the same shape as counters.
      const metric = parts.metrics.registry.getSingleMetric(name) as Counter<string> | undefined;
      return metric ? counterValue(metric, labels) : 0;
    },
    async stop(graceMs = 0) {
      await app.close();
      await ingest.stop({ graceMs });
      await parts.es.close();
      await ownQueue?.remove();
    },
  };
}

export interface IndexedDoc<T> {
  index: string;
  id: string;
  source: T;
}

/**
 * Polls (refresh + search) until `count` documents match in `indexPattern`, or throws after `timeoutMs` with what
 * was found. Returns every match (up to 10,000).
 */
export async function waitForDocs<T = Record<string, unknown>>(
  es: ElasticsearchClient,
  indexPattern: string,
  count: number,
  { timeoutMs = 60_000, query }: { timeoutMs?: number; query?: Record<string, unknown> } = {}
): Promise<Array<IndexedDoc<T>>> {
  const deadline = Date.now() + timeoutMs;
  let found: Array<IndexedDoc<T>> = [];
  while (Date.now() < deadline) {
    try {
      await es.refresh(indexPattern);
      const res = await es.search<T>(indexPattern, { size: 10_000, query: query ?? { match_all: {} }, track_total_hits: true });
      found = res.hits.hits.map((h) => ({ index: h._index, id: h._id!, source: h._source as T }));
      if (found.length >= count) {
        return found;
      }
    } catch {
      // Elasticsearch may be restarting in the outage suite; keep polling until the deadline.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`expected ${count} documents in ${indexPattern}, found ${found.length} within ${timeoutMs} ms`);
}

/** A GELF message carrying its sequence number (`_seq`), so a test can count each one it sent exactly once. */
export function sequencedGelf(host: string, seq: number): Record<string, unknown> {
  return { version: '1.1', host, short_message: `event ${seq}`, timestamp: Date.now() / 1000, level: 6, _seq: seq };
}

/** POST a GELF JSON message to the proxy's /gelf route; resolves with the HTTP status. */
export async function postGelf(httpUrl: string, body: unknown): Promise<number> {
  const res = await fetch(`${httpUrl}/gelf`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
  await res.arrayBuffer();
  return res.status;
}
