import type { FastifyInstance } from 'fastify';
import { createDelivery, SourceDeps } from './deliver';
import { registerHttpIngest } from './http-ingest';

/**
 * GELF over HTTP, Graylog-style: `POST /gelf` with a JSON object body (plain, gzip or zlib) → 202 Accepted once
 * fsynced in the queue; 400 with a message for bad JSON; 413 over `ingest.maxMessageBytes`. Mounted on the proxy's
 * own server.
 */
export async function registerGelfHttpRoute(app: FastifyInstance, deps: SourceDeps, maxMessageBytes: number): Promise<void> {
  const delivery = createDelivery('gelf_http', deps, { durable: true });
  await registerHttpIngest(app, { path: '/gelf', maxMessageBytes, accepted: { status: 202, body: '' } }, delivery);
}
