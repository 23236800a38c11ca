/**
 * Calls to DreamFactory's non-system services (`/api/v2/{service}/{resource}`), reduced to what limits see: each call
 * is counted by df.evaluate_limits semantics (SimStore.recordCall) and answers an empty list, or DreamFactory's 429.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DfError } from './errors';
import { limitWithPeriodName, type CallOutcome, type SimStore } from './store';
import type { Identity } from './server';

/**
 * DreamFactory's 429: the refusing limits in `context`, X-RateLimit-* headers describing the last limit evaluated, and
 * its Retry-After quirk (the lockout timer is stored as now + period × 60, so it reads 60× the real lockout).
 */
function limitHeaders(reply: FastifyReply, outcome: CallOutcome, nowMs: number): void {
  if (!outcome.last) {
    return;
  }
  reply
    .header('X-RateLimit-Limit', outcome.last.max)
    .header('X-RateLimit-Remaining', Math.max(0, outcome.last.remaining));
  if (outcome.status === 429) {
    const retryAfter = outcome.last.periodSeconds * 60;
    reply.header('Retry-After', retryAfter).header('X-RateLimit-Reset', Math.floor(nowMs / 1000) + retryAfter);
  }
}

export function serviceCallRoutes(
  app: FastifyInstance,
  store: SimStore,
  identityOf: (request: FastifyRequest) => Identity
): void {
  const handler = async (
    request: FastifyRequest<{ Params: { service: string; '*'?: string } }>,
    reply: FastifyReply
  ) => {
    const { service } = request.params;
    if (service === 'system' || !store.services.some((s) => s.name === service)) {
      throw new DfError(404, `Service '${service}' not found.`);
    }
    const identity = identityOf(request);
    const outcome = store.recordCall({
      service,
      userId: identity.userId,
      auth: identity.auth,
      verb: request.method,
      endpoint: request.params['*'] ?? '',
    });
    limitHeaders(reply, outcome, store.now());
    if (outcome.status === 429) {
      const context = outcome.exceeded.map((id) => {
        const limit = store.limit(id);
        return { id, name: limit.name, object: limitWithPeriodName(limit) };
      });
      throw new DfError(429, 'API limit(s) exceeded. ', 429, context);
    }
    return { resource: [] };
  };
  app.all('/api/v2/:service', handler);
  app.all('/api/v2/:service/*', handler);
}
