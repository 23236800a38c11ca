import Fastify, { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { registerApi, type ApiDeps } from './api';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import type { ProxyInfo } from './proxy-info';
import { registerGelfHttpRoute, type SourceDeps } from './sources';

/** Largest JSON body the API accepts (limit bodies are tiny; queries are small). GELF HTTP sets its own limit. */
const API_BODY_LIMIT = 1024 * 1024;

export interface ServerDeps {
  logger: Logger;
  metrics: Pick<Metrics, 'registry'>;
  proxy: ProxyInfo;
  api: ApiDeps;
  /** GELF over HTTP at POST /gelf, delivering into the running ingest path; absent when ingest does not run here. */
  gelfHttp?: { deps: SourceDeps; maxMessageBytes: number };
}

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: API_BODY_LIMIT,
  });

  app.get('/health', async () => ({
    status: 'ok',
    version: deps.proxy.version,
    uptimeSeconds: Math.round((Date.now() - deps.proxy.startedAt.getTime()) / 1000),
  }));

  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  await registerApi(app, deps.api);
  if (deps.gelfHttp) {
    await registerGelfHttpRoute(app, deps.gelfHttp.deps, deps.gelfHttp.maxMessageBytes);
  }
  return app;
}
