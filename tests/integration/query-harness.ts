/** A proxy wired to a real Elasticsearch index prefix and a DreamFactory directory, for the query suites. */
import type { FastifyInstance } from 'fastify';
import type { FrameJSON, QueryRequest, QueryResponse } from '@shared/query';
import { PROXY_TOKEN_HEADER } from '@shared/headers';
import { loadConfig } from '../../proxy/src/config';
import { buildProxyServer, createProxyParts, type ProxyParts } from '../../proxy/src/compose';
import { createLogger } from '../../proxy/src/logger';
import { ElasticsearchClient } from '../../proxy/src/clients/elasticsearch';
import { startSimulator, type Simulator, type SimulatorOptions } from '../dreamfactory-sim/server';
import { dropIndexTemplate, dropIndices } from './engine-admin';
import { plainEs, uniquePrefix } from './env';
import { type GeneratedEvent, indexEvents, installTemplate } from './query-data';
import { indexLimitHistory, installLimitTemplate } from './limit-history-data';
import { limitTemplateNameFor } from '../../proxy/src/setup/limit-index-template';
import type { LimitHistoryDocument } from '../../proxy/src/limit-history/document';

export const TOKEN = 'query-integration-token-0123';

export interface QueryProxy {
  app: FastifyInstance;
  parts: ProxyParts;
  query(request: QueryRequest): Promise<QueryResponse>;
  close(): Promise<void>;
}

export async function startQueryProxy(
  indexPrefix: string,
  df: { url?: string; apiKey?: string } = {},
  esUrls = plainEs().urls,
  limitIndexPrefix = plainEs().limitIndexPrefix
): Promise<QueryProxy> {
  const config = loadConfig(
    {},
    { apiToken: TOKEN, elasticsearch: { ...plainEs(), urls: esUrls, indexPrefix, limitIndexPrefix }, dreamfactory: df }
  );
  const parts = createProxyParts(config, createLogger('silent'));
  const app = await buildProxyServer(parts);
  return {
    app,
    parts,
    async query(request) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/query',
        headers: { [PROXY_TOKEN_HEADER]: TOKEN },
        payload: request,
      });
      if (response.statusCode !== 200) {
        throw new Error(`POST /api/query answered ${response.statusCode}: ${response.body}`);
      }
      return response.json();
    },
    async close() {
      await app.close();
      await parts.es.close();
    },
  };
}

/** A table frame as row objects keyed by field name. */
export function rowsOf(frame: FrameJSON): Array<Record<string, unknown>> {
  const length = frame.fields[0]?.values.length ?? 0;
  return Array.from({ length }, (_, i) => Object.fromEntries(frame.fields.map((f) => [f.name, f.values[i]])));
}

export interface QueryStack {
  /** Index prefix of this suite's events. */
  prefix: string;
  es: ElasticsearchClient;
  sim: Simulator;
  proxy: QueryProxy;
  close(): Promise<void>;
}

/**
 * What the query suites share: a fresh index prefix with the product's template and these events (and, if given,
 * this limit history under its own fresh prefix), the DreamFactory simulator, and a proxy over both. `close` removes
 * the indices and the templates again.
 */
export async function startQueryStack(
  suite: string,
  events: GeneratedEvent[],
  simulator: SimulatorOptions,
  limitHistory: LimitHistoryDocument[] = []
): Promise<QueryStack> {
  const prefix = uniquePrefix(suite);
  const limitPrefix = uniquePrefix(`${suite}-limits`);
  const es = new ElasticsearchClient(plainEs());
  await installTemplate(es, prefix);
  await indexEvents(es, prefix, events);
  if (limitHistory.length > 0) {
    await installLimitTemplate(es, limitPrefix);
    await indexLimitHistory(es, limitPrefix, limitHistory);
  }
  const sim = await startSimulator(simulator);
  const proxy = await startQueryProxy(prefix, { url: sim.url, apiKey: sim.apiKey }, plainEs().urls, limitPrefix);
  return {
    prefix,
    es,
    sim,
    proxy,
    async close() {
      await proxy.close();
      await sim.close();
      await dropIndices(plainEs(), `${prefix}*,${limitPrefix}*`);
      await dropIndexTemplate(plainEs(), `${prefix}template`);
      await dropIndexTemplate(plainEs(), limitTemplateNameFor(limitPrefix));
      await es.close();
    },
  };
}
