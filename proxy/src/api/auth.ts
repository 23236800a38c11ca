import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROXY_TOKEN_HEADER } from '@shared/headers';

/** Constant-time comparison: hash both sides so length differences leak nothing either. */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (!presented) {
    return false;
  }
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function requireToken(expected: string | undefined) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!expected) {
      return reply.code(503).send({ error: 'The proxy has no API token configured (PROXY_TOKEN); /api is disabled.' });
    }
    const presented = request.headers[PROXY_TOKEN_HEADER];
    if (!tokenMatches(Array.isArray(presented) ? presented[0] : presented, expected)) {
      return reply.code(401).send({ error: `Missing or wrong proxy token (header ${PROXY_TOKEN_HEADER}).` });
    }
    return undefined;
  };
}
