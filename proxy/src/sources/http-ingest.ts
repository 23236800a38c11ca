/**
 * Shared by the GELF HTTP route and DreamFactory's JSON HTTP listener: take the body as raw bytes whatever the
 * content type (DreamFactory's libcurl says `application/x-www-form-urlencoded` for a JSON body), detect gzip/zlib by
 * magic (graypy labels zlib bytes `Content-Encoding: gzip,deflate`, so the header is not trusted), decode, and
 * answer only once the message is queued.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodePayload } from '../gelf/payload';
import type { DropReason } from '../pipeline-types';
import type { Delivery } from './deliver';

export interface HttpIngestOptions {
  path: string;
  maxMessageBytes: number;
  /** Status and body for an accepted message. */
  accepted: { status: number; body: string };
}

const REJECTIONS: Partial<Record<DropReason, { status: number; message: string }>> = {
  bad_json: { status: 400, message: 'Body is not valid JSON' },
  not_object: { status: 400, message: 'Body must be a JSON object' },
  bad_compression: { status: 400, message: 'Body looks compressed (gzip/zlib) but does not decompress' },
  too_big: { status: 413, message: 'Message is larger than the configured maximum (ingest.maxMessageBytes)' },
  bomb: { status: 413, message: 'Message decompresses past the configured maximum (ingest.maxMessageBytes)' },
};

/** Registers the route in its own encapsulated scope, so its raw-body parser does not change other routes. */
export async function registerHttpIngest(app: FastifyInstance, options: HttpIngestOptions, delivery: Delivery): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.maxMessageBytes }, (_request, body, done) => done(null, body));
    scope.setErrorHandler((err: { code?: string; statusCode?: number; message: string }, _request, reply) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        delivery.received(0);
        delivery.drop('too_big');
      }
      return reply.code(err.statusCode ?? 500).send({ error: err.message });
    });
    scope.post(options.path, async (request: FastifyRequest, reply: FastifyReply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      delivery.received(body.length);
      const result = decodePayload(body, options.maxMessageBytes);
      if ('drop' in result) {
        delivery.drop(result.drop);
        const rejection = REJECTIONS[result.drop] ?? { status: 400, message: `Message dropped: ${result.drop}` };
        return reply.code(rejection.status).send({ error: rejection.message });
      }
      try {
        await delivery.deliver(result, { address: request.socket.remoteAddress, port: request.socket.remotePort });
      } catch (err) {
        request.log.warn({ err: (err as Error).message }, 'ingest handler failed');
        return reply.code(503).send({ error: 'Cannot accept the message now; retry later' });
      }
      return reply.code(options.accepted.status).type('text/plain').send(options.accepted.body);
    });
  });
}
