/**
 * The proxy's parts, each built once from the config and handed to the parts that use it: the Elasticsearch and
 * DreamFactory clients, the user directory, the query engine and the operations (setup, retention, status, doctor).
 * `serve` (main.ts) starts them with ingest, the limit sampler and the HTTP server; tests and benchmarks assemble the
 * same parts.
 */
import type { FastifyInstance } from 'fastify';
import { DreamFactoryClient } from './clients/dreamfactory';
import { ElasticsearchClient } from './clients/elasticsearch';
import type { Config } from './config';
import { ProbeTracker } from './doctor/probe-tracker';
import { UserDirectory } from './dreamfactory/directory';
import { LimitSampler } from './limit-sampler';
import type { Logger } from './logger';
import { createMetrics, type Metrics } from './metrics';
import { redactorFromConfig, type Redactor } from './redaction';
import type { Ingest, IngestDeps } from './pipeline';
import { PROXY_VERSION, type ProxyInfo } from './proxy-info';
import { QueryEngine } from './query/run';
import { buildServer } from './server';
import { Operations } from './status/operations';

export interface ProxyParts {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  /** Applied to every event, dead letter, log line and API answer. */
  redactor: Redactor;
  /** Shared by the ingest pipeline (which reports stages) and the doctor (which times its probes). */
  probes: ProbeTracker;
  proxy: ProxyInfo;
  es: ElasticsearchClient;
  df: DreamFactoryClient;
  directory: UserDirectory;
  queryEngine: QueryEngine;
  operations: Operations;
}

export function createProxyParts(
  config: Config,
  logger: Logger,
  redactor: Redactor = redactorFromConfig(config)
): ProxyParts {
  const metrics = createMetrics();
  const proxy: ProxyInfo = { version: PROXY_VERSION, startedAt: new Date() };
  const es = new ElasticsearchClient(config.elasticsearch);
  const df = new DreamFactoryClient(config.dreamfactory, (outcome) => metrics.dfRequests.inc({ outcome }));
  const directory = new UserDirectory(df, config.dreamfactory.directoryTtlMs, (lookup, users) => {
    metrics.directoryLookups.inc({ result: lookup });
    metrics.directoryUsers.set(users);
  });
  const queryEngine = new QueryEngine({
    search: es,
    df,
    directory,
    redactor,
    elasticsearch: config.elasticsearch,
    logger,
    metrics,
  });
  const probes = new ProbeTracker();
  const operations = new Operations({
    config,
    logger,
    es,
    df,
    proxy,
    probes,
    ingestSnapshot: () => metrics.ingest.snapshot(),
  });
  return { config, logger, metrics, redactor, probes, proxy, es, df, directory, queryEngine, operations };
}

/** The HTTP server over the parts: /health, /metrics, the token-protected /api, and GELF over HTTP when `ingest` runs. */
export function buildProxyServer(parts: ProxyParts, ingest?: Pick<Ingest, 'sourceDeps'>): Promise<FastifyInstance> {
  const { config, logger, metrics, redactor, proxy, df, queryEngine, operations } = parts;
  return buildServer({
    logger,
    metrics,
    proxy,
    api: {
      apiToken: config.apiToken,
      redactor,
      query: { engine: queryEngine, version: proxy.version },
      limits: { df, limitWriteRole: config.limitWriteRole },
      operations,
    },
    gelfHttp:
      ingest && config.ingest.gelfHttpEnabled
        ? { deps: ingest.sourceDeps, maxMessageBytes: config.ingest.maxMessageBytes }
        : undefined,
  });
}

/**
 * The limit sampler over the parts. It has its own DreamFactory client (and so its own directory), so its requests
 * are counted as its cost in insights_limit_dreamfactory_requests_total; it writes through the proxy's ES client.
 */
export function createLimitSampler({ config, logger, metrics, es }: ProxyParts): LimitSampler {
  const df = new DreamFactoryClient(config.dreamfactory, (outcome) => {
    metrics.dfRequests.inc({ outcome });
    metrics.limitDreamFactoryRequests.inc();
  });
  return new LimitSampler(
    { intervalSeconds: config.limitHistory.sampleSeconds, indexPrefix: config.elasticsearch.limitIndexPrefix },
    {
      dreamfactory: df,
      directory: new UserDirectory(df, config.dreamfactory.directoryTtlMs),
      es,
      esUrls: config.elasticsearch.urls,
      metrics,
      logger,
    }
  );
}

/** The ingest path over the parts: its sink writes through the proxy's Elasticsearch client. */
export function ingestDeps(parts: ProxyParts): IngestDeps {
  return {
    config: parts.config,
    logger: parts.logger,
    metrics: parts.metrics,
    bulkWriter: parts.es,
    probes: parts.probes,
    redactor: parts.redactor,
  };
}
