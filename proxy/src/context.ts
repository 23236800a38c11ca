import type { Config } from './config';
import type { Logger } from './logger';
import { ElasticsearchClient } from './clients/elasticsearch';
import { DreamFactoryClient } from './clients/dreamfactory';
import { createMetrics, type Metrics } from './metrics';
import { redactorFromConfig, type Redactor } from './redaction';
import { ProbeTracker } from './doctor/probe-tracker';

/** What every part of the proxy gets: config, logger, metrics, the redactor and one client per upstream. */
export interface ProxyContext {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  /** Applied to every event, dead letter, log line and API answer. */
  redactor: Redactor;
  es: ElasticsearchClient;
  df: DreamFactoryClient;
  /** Shared by the ingest pipeline (which reports stages) and the doctor (which times its probes). */
  probes: ProbeTracker;
  startedAt: Date;
  version: string;
}

export const PROXY_VERSION: string = require('../../package.json').version;

export function createContext(config: Config, logger: Logger, redactor: Redactor = redactorFromConfig(config)): ProxyContext {
  const metrics = createMetrics();
  return {
    config,
    logger,
    metrics,
    redactor,
    es: new ElasticsearchClient(config.elasticsearch),
    df: new DreamFactoryClient(config.dreamfactory, (outcome) => metrics.dfRequests.inc({ outcome })),
    probes: new ProbeTracker(),
    startedAt: new Date(),
    version: PROXY_VERSION,
  };
}
