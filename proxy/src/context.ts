import type { Config } from './config';
import type { Logger } from './logger';
import { ElasticsearchClient } from './clients/elasticsearch';
import { DreamFactoryClient } from './clients/dreamfactory';
import { createMetrics, type Metrics } from './metrics';

/** What every part of the proxy gets: config, logger, metrics and one client per upstream. */
export interface ProxyContext {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  es: ElasticsearchClient;
  df: DreamFactoryClient;
  startedAt: Date;
  version: string;
}

export const PROXY_VERSION: string = require('../../package.json').version;

export function createContext(config: Config, logger: Logger): ProxyContext {
  const metrics = createMetrics();
  return {
    config,
    logger,
    metrics,
    es: new ElasticsearchClient(config.elasticsearch),
    df: new DreamFactoryClient(config.dreamfactory, (outcome) => metrics.dfRequests.inc({ outcome })),
    startedAt: new Date(),
    version: PROXY_VERSION,
  };
}
