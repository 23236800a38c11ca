import type { FastifyInstance } from 'fastify';
import type { ProxyContext } from '../context';
import type { DropHandler, MessageHandler } from '../pipeline-types';
import { createDelivery } from './deliver';
import { registerHttpIngest } from './http-ingest';

/**
 * GELF over HTTP, Graylog-style: `POST /gelf` with a JSON object body (plain, gzip or zlib) → 202 Accepted once
 * queued; 400 with a message for bad JSON; 413 over `ingest.maxMessageBytes`. Mounted on the proxy's own server.
 */
export async function registerGelfHttpRoute(
  app: FastifyInstance,
  ctx: Pick<ProxyContext, 'config' | 'metrics' | 'logger'>,
  handler: MessageHandler,
  drop: DropHandler
): Promise<void> {
  const delivery = createDelivery('gelf_http', { metrics: ctx.metrics, logger: ctx.logger, handler, drop });
  await registerHttpIngest(app, { path: '/gelf', maxMessageBytes: ctx.config.ingest.maxMessageBytes, accepted: { status: 202, body: '' } }, delivery);
}
