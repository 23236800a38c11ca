/**
 * df-limits' `df.evaluate_limits` middleware for one API call, as DreamFactory runs it: every active limit whose key
 * built from the stored record equals the key built from the call is counted (hit) unless it is over its rate; the
 * ones over their rate refuse the call (429), except where DreamFactory lets a more specific limit override them:
 * - a user's `instance.user`, `instance.user.service` or `instance.user.service.endpoint` limit overrides the matching
 *   each-user type (`instance.each_user`, `.each_user.service`, `.each_user.service.endpoint`) for that user — by user
 *   only: DreamFactory does not compare the service or endpoint;
 * - a limit with a verb equal to the call's overrides another limit of the same type and period that matches the call
 *   (DreamFactory does not compare the ids, so any same-type, same-period verb limit for this verb will do).
 * Overridden limits still count (and lock out) as usual; they just do not refuse the call.
 */
import type { LimitCounters } from './limit-counters';
import { PERIODS, isEachUser, limitKey, trimSlashes, type SimLimitType } from './limit-rules';

/** The columns evaluation reads. */
export interface EvaluatedLimit {
  id: number;
  type: SimLimitType;
  rate: number;
  period: number;
  user_id: number | null;
  role_id: number | null;
  service_id: number | null;
  endpoint: string | null;
  verb: string | null;
  is_active: boolean;
}

export interface LimitedCall {
  userId?: number;
  roleId?: number;
  /** How the caller authenticated: each-user limits count session (JWT) and basic-auth calls only. */
  auth: 'session' | 'basic' | 'apiKey';
  serviceId?: number;
  /** The route's resource: everything after `/api/v2/{service}/`. */
  resource: string;
  method: string;
}

export interface Evaluation<L extends EvaluatedLimit> {
  /** The limits that refuse the call (in id order); empty when the call goes through. */
  refused: L[];
  /** The last active limit evaluated and its key: DreamFactory's 429 headers describe this one, whatever it is. */
  last?: { limit: L; key: string };
}

const EACH_USER_OVERRIDDEN_BY: Partial<Record<SimLimitType, SimLimitType>> = {
  'instance.each_user': 'instance.user',
  'instance.each_user.service': 'instance.user.service',
  'instance.each_user.service.endpoint': 'instance.user.service.endpoint',
};

/** The resource a limit's endpoint sees: the endpoint itself when the call matches it (exactly, or up to a `*`). */
function resourceFor(limit: EvaluatedLimit, resource: string): string {
  const derived = trimSlashes(resource);
  const endpoint = limit.endpoint;
  if (!endpoint || !resource) {
    return derived;
  }
  const star = endpoint.lastIndexOf('*');
  if (star >= 0) {
    return resource.length >= star && endpoint.slice(0, star) === resource.slice(0, star) ? endpoint : derived;
  }
  return endpoint === resource ? endpoint : derived;
}

export function evaluateLimits<L extends EvaluatedLimit>(
  limits: readonly L[],
  counters: LimitCounters,
  call: LimitedCall
): Evaluation<L> {
  const active = limits.filter((l) => l.is_active);
  const userOverrides = new Set(active.filter((l) => l.user_id !== null).map((l) => `${l.type}:${String(l.user_id)}`));
  const verbLimits = active.filter((l) => l.verb !== null);
  const refused: L[] = [];
  let last: Evaluation<L>['last'];
  for (const limit of active) {
    const eachUser = isEachUser(limit.type);
    const derivedResource = resourceFor(limit, call.resource);
    const derivedVerb = limit.verb === null ? null : call.method;
    const fromCall = (type: SimLimitType, period: number) =>
      limitKey({
        type,
        userId: call.userId ?? null,
        roleId: call.roleId ?? null,
        serviceId: call.serviceId ?? null,
        endpoint: derivedResource,
        verb: derivedVerb,
        period,
      });
    const checkKey = limitKey({
      type: limit.type,
      userId: limit.user_id ?? (eachUser ? (call.userId ?? null) : null),
      roleId: limit.role_id,
      serviceId: limit.service_id,
      endpoint: limit.endpoint,
      verb: limit.verb,
      period: limit.period,
    });
    last = { limit, key: checkKey };
    const derivedKey = fromCall(limit.type, limit.period);
    if (checkKey !== derivedKey || (eachUser && call.auth === 'apiKey')) {
      continue;
    }
    const seconds = PERIODS[limit.period].seconds;
    if (!counters.tooManyAttempts(checkKey, limit.rate, seconds)) {
      counters.hit(checkKey, seconds);
      continue;
    }
    const overridingType = EACH_USER_OVERRIDDEN_BY[limit.type];
    const userOverride = overridingType !== undefined && userOverrides.has(`${overridingType}:${String(call.userId)}`);
    const verbOverride = verbLimits.some(
      (v) => v.id !== limit.id && v.verb === call.method && fromCall(v.type, v.period) === checkKey
    );
    if (!userOverride && !verbOverride) {
      refused.push(limit);
    }
  }
  return { refused, last };
}
