import Fastify, { FastifyBaseLogger, LogController } from 'fastify';
import type { Source } from '../pipeline-types';
import { createDelivery, SourceDeps } from './deliver';
import { registerHttpIngest } from './http-ingest';
import { boundAddress } from './bound-address';

export interface JsonHttpOptions {
  host: string;
  port: number;
  maxMessageBytes: number;
}

/**
 * DreamFactory's `http` protocol: libcurl POSTs the JSON to the root path with a form content type and counts the
 * call as successful only if the body is exactly `ok`. Its own listener, so DreamFactory needs no token.
 */
export async function startJsonHttpSource(options: JsonHttpOptions, deps: SourceDeps): Promise<Source> {
  // One request per DreamFactory API call: per-request log lines would double the log volume.
  const app = Fastify({ loggerInstance: deps.logger as FastifyBaseLogger, logController: new LogController({ disableRequestLogging: true }) });
  await registerHttpIngest(app, { path: '/', maxMessageBytes: options.maxMessageBytes, accepted: { status: 200, body: 'ok' } }, createDelivery('json_http', deps, { durable: true }));
  await app.listen({ host: options.host, port: options.port });
  const address = boundAddress(app.server.address(), options);
  deps.logger.info({ source: 'json_http', ...address }, 'listening (http)');
  return { name: 'json_http', address: () => address, close: () => app.close() };
}
