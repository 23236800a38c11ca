/**
 * Calls to DreamFactory's non-system services (`/api/v2/{service}/{resource}`), reduced to what limits see: the call
 * has already been counted by df.evaluate_limits (server.ts); it answers an empty list.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DfError } from './errors';
import { limitWithPeriodName, type CallOutcome, type LimitRecord, type SimStore } from './store';

/**
 * DreamFactory's 429: the refusing limits in `context`, and — on the 429 only — X-RateLimit-* and Retry-After
 * headers describing the last active limit evaluated (not necessarily one that refused).
 */
export function limitExceeded(
  reply: FastifyReply,
  refused: LimitRecord[],
  headers: CallOutcome['headers'],
  nowMs: number
): DfError {
  if (headers) {
    reply
      .header('X-RateLimit-Limit', headers.limit)
      .header('X-RateLimit-Remaining', headers.remaining)
      .header('Retry-After', headers.retryAfter)
      .header('X-RateLimit-Reset', Math.floor(nowMs / 1000) + headers.retryAfter);
  }
  const context = refused.map((limit) => ({ id: limit.id, name: limit.name, object: limitWithPeriodName(limit) }));
  return new DfError(429, 'API limit(s) exceeded. ', 429, context);
}

export function serviceCallRoutes(app: FastifyInstance, store: SimStore): void {
  const handler = async (request: FastifyRequest<{ Params: { service: string } }>) => {
    const { service } = request.params;
    if (!store.serviceByName(service)) {
      throw new DfError(404, `Service '${service}' not found.`);
    }
    return { resource: [] };
  };
  app.all('/api/v2/:service', handler);
  app.all('/api/v2/:service/*', handler);
}
