import Fastify, { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { ProxyContext } from './context';
import { registerApi } from './api';
import type { Ingest } from './pipeline';
import { registerGelfHttpRoute } from './sources';

/** Largest JSON body the API accepts (limit bodies are tiny; queries are small). GELF HTTP sets its own limit. */
const API_BODY_LIMIT = 1024 * 1024;

/** `ingest` (the running pipeline) mounts GELF HTTP at POST /gelf unless `ingest.gelfHttpEnabled` is off. */
export async function buildServer(ctx: ProxyContext, ingest?: Pick<Ingest, 'sourceDeps'>): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: API_BODY_LIMIT,
  });

  app.get('/health', async () => ({
    status: 'ok',
    version: ctx.version,
    uptimeSeconds: Math.round((Date.now() - ctx.startedAt.getTime()) / 1000),
  }));

  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });

  await registerApi(app, ctx);
  if (ingest && ctx.config.ingest.gelfHttpEnabled) {
    await registerGelfHttpRoute(app, ingest.sourceDeps, ctx.config.ingest.maxMessageBytes);
  }
  return app;
}
