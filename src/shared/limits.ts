/**
 * DreamFactory's API-limit rules (docs/dreamfactory.md#api-limits), shared by the proxy (validates before relaying) and
 * the app pages (form hints, warnings). Pure: no imports but the wire types. The DreamFactory simulator deliberately has
 * its own implementation, so a wrong rule here cannot pass on both sides.
 *
 * Messages are DreamFactory's own, byte for byte, in the order df-limits checks them (Resources/System/Limit.php):
 * rate → type-specific ids → verb → the model's required/in rules (the "Batch Error" family).
 */
import {
  USER_ID_WILDCARD,
  type LimitInput,
  type LimitPeriod,
  type LimitType,
  type LimitVerb,
  type LimitView,
} from './limits-api';

type Need = 'required' | 'optional' | 'none';

export interface LimitTypeInfo {
  type: LimitType;
  /** As DreamFactory's admin UI names it (§5). */
  label: string;
  userId: Need;
  roleId: Need;
  serviceId: Need;
  endpoint: Need;
  /** Counted per user (one counter per active non-admin user; only JWT/basic-auth calls count). */
  eachUser: boolean;
}

const info = (
  type: LimitType,
  label: string,
  needs: Partial<Record<'userId' | 'roleId' | 'serviceId' | 'endpoint', Need>> = {}
) => ({
  type,
  label,
  userId: needs.userId ?? 'none',
  roleId: needs.roleId ?? 'none',
  serviceId: needs.serviceId ?? 'none',
  endpoint: needs.endpoint ?? 'none',
  eachUser: type.includes('each_user'),
});

/** The ten types in the admin UI's order. */
export const LIMIT_TYPES: readonly LimitTypeInfo[] = [
  info('instance', 'Instance'),
  info('instance.user', 'User', { userId: 'required' }),
  info('instance.each_user', 'Each User'),
  info('instance.service', 'Service', { serviceId: 'required' }),
  info('instance.role', 'Role', { roleId: 'required' }),
  info('instance.user.service', 'Service by User', { userId: 'required', serviceId: 'required' }),
  info('instance.each_user.service', 'Service by Each User', { serviceId: 'required' }),
  info('instance.service.endpoint', 'Endpoint', { serviceId: 'required', endpoint: 'optional' }),
  info('instance.user.service.endpoint', 'Endpoint by User', {
    userId: 'required',
    serviceId: 'required',
    endpoint: 'required',
  }),
  info('instance.each_user.service.endpoint', 'Endpoint by Each User', { serviceId: 'required', endpoint: 'optional' }),
];

const TYPE_BY_NAME = new Map(LIMIT_TYPES.map((t) => [t.type, t]));

export function limitTypeInfo(type: string): LimitTypeInfo | undefined {
  return TYPE_BY_NAME.get(type as LimitType);
}

export interface LimitPeriodInfo {
  period: LimitPeriod;
  /** DreamFactory stores the period as this index. */
  index: number;
  label: string;
  seconds: number;
}

/** Index = position. `30-day` is df-core's SECONDS_PER_MONTH: 18144000 s, i.e. 210 days, not 30. */
export const LIMIT_PERIODS: readonly LimitPeriodInfo[] = [
  { period: 'minute', index: 0, label: 'Minute', seconds: 60 },
  { period: 'hour', index: 1, label: 'Hour', seconds: 3600 },
  { period: 'day', index: 2, label: 'Day', seconds: 86400 },
  { period: '7-day', index: 3, label: 'Week', seconds: 604800 },
  { period: '30-day', index: 4, label: '30 Days', seconds: 18144000 },
];

export const LIMIT_VERBS: readonly LimitVerb[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** A period as DreamFactory accepts it: its name or its index (a JSON integer). Anything else → undefined. */
export function parsePeriod(value: unknown): LimitPeriodInfo | undefined {
  if (typeof value === 'number') {
    return LIMIT_PERIODS[value];
  }
  return LIMIT_PERIODS.find((p) => p.period === value);
}

export function periodSeconds(period: LimitPeriod): number {
  return parsePeriod(period)?.seconds ?? NaN;
}

/** PHP's FILTER_VALIDATE_INT as df-limits applies it: integers (JSON numbers or decimal strings without leading zeros). */
export function parseRate(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isInteger(value) ? value : undefined;
  }
  if (typeof value === 'string' && /^\s*[+-]?(0|[1-9]\d*)\s*$/.test(value)) {
    return Number.parseInt(value, 10);
  }
  return undefined;
}

/** df-limits strips leading and trailing slashes from endpoints. */
export function normaliseEndpoint(endpoint: string | null | undefined): string | null {
  return endpoint === null || endpoint === undefined ? null : endpoint.replace(/^\/+/, '').replace(/\/+$/, '');
}

export interface KeyFields {
  type: LimitType;
  period: LimitPeriod | number;
  user_id?: number | string | null;
  role_id?: number | null;
  service_id?: number | null;
  endpoint?: string | null;
  verb?: LimitVerb | null;
}

const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));

/**
 * DreamFactory's `key_text` (§2.2). Each-user types are stored with an empty user; pass `eachUserId` for the key of
 * one user's counter.
 */
export function computeKeyText(limit: KeyFields, eachUserId?: number): string {
  const t = limitTypeInfo(limit.type);
  let key = 'instance';
  if (t?.eachUser) {
    key += `.each_user:${text(eachUserId)}`;
  } else if (t?.userId === 'required') {
    key += `.user:${text(limit.user_id)}`;
  }
  if (t?.roleId === 'required') {
    key += `.role:${text(limit.role_id)}`;
  }
  if (t && t.serviceId !== 'none') {
    key += `.service:${text(limit.service_id)}`;
  }
  if (t && t.endpoint !== 'none') {
    key += `.endpoint:${text(normaliseEndpoint(limit.endpoint))}`;
  }
  if (limit.verb) {
    key += `.verb:${limit.verb.toUpperCase()}`;
  }
  return `${key}.${parsePeriod(limit.period)?.period ?? ''}`;
}

/** What DreamFactory's write endpoints receive; values may be loosely typed (the admin UI sends rate as a string). */
export type LimitCandidate = { [K in keyof LimitInput]?: unknown };

/** Ids that exist in DreamFactory, for the existence checks. DreamFactory checks users across admins and non-admins. */
export interface LimitLookups {
  userIds: ReadonlySet<number>;
  roleIds: ReadonlySet<number>;
  serviceIds: ReadonlySet<number>;
}

export interface LimitValidationError {
  field: keyof LimitInput;
  /** DreamFactory's message for this problem (for a record-level failure: the record's message, not "Batch Error"). */
  message: string;
  /** Laravel-style per-field messages when DreamFactory reports this as a record validation failure (batch error). */
  invalid?: Record<string, string[]>;
}

/** DreamFactory's error body (envelope §3.3, without the `error` wrapper). */
export interface DfErrorBody {
  code: number;
  context: unknown;
  message: string;
  status_code: number;
}

export const BATCH_CREATE_ERROR = 'Batch Error: Not all requested records could be created.';

/** The exact error DreamFactory answers a create with for this problem; `index` = the record's position in the batch. */
export function dfErrorFor(error: LimitValidationError, index = 0): DfErrorBody {
  if (!error.invalid) {
    return { code: 400, context: null, message: error.message, status_code: 400 };
  }
  return {
    code: 1000,
    context: {
      error: [index],
      resource: [{ code: 400, context: error.invalid, message: error.message, status_code: 400 }],
    },
    message: BATCH_CREATE_ERROR,
    status_code: 400,
  };
}

const present = (value: unknown) => value !== undefined && value !== null;
const exists = (ids: ReadonlySet<number> | undefined, value: unknown) => !ids || ids.has(Number(value));
const fail = (field: keyof LimitInput, message: string): LimitValidationError => ({ field, message });

/** The model's rules (`required`, `in:`), as Laravel words them; first failing field names the error. */
function recordRuleErrors(input: LimitCandidate): LimitValidationError | null {
  const invalid: Record<string, string[]> = {};
  const blank = (v: unknown) => !present(v) || (typeof v === 'string' && v.trim() === '');
  if (blank(input.type)) {
    invalid.type = ['The type field is required.'];
  } else if (!limitTypeInfo(String(input.type))) {
    invalid.type = ['The selected type is invalid.'];
  }
  if (blank(input.rate)) {
    invalid.rate = ['The rate field is required.'];
  }
  if (blank(input.period)) {
    invalid.period = ['The period field is required.'];
  } else if (!parsePeriod(input.period)) {
    invalid.period = ['The selected period is invalid.'];
  }
  if (blank(input.name)) {
    invalid.name = ['The name field is required.'];
  }
  const fields = Object.keys(invalid) as Array<keyof LimitInput>;
  if (fields.length === 0) {
    return null;
  }
  const message = `Invalid data supplied. ${fields.map((f) => invalid[f].join(' ')).join(' ')}`;
  return { field: fields[0], message, invalid };
}

/**
 * Checks a limit as DreamFactory would on create (or on update, after merging the change into the stored record).
 * Without `lookups` the existence checks are skipped (a missing id is still reported). Returns the first problem.
 * Stricter than DreamFactory in two places: a rate below 1 is refused (DreamFactory accepts negatives) and an endpoint
 * that is empty once slashes are trimmed counts as missing.
 */
export function validateLimit(input: LimitCandidate, lookups?: LimitLookups): LimitValidationError | null {
  const name = text(input.name);
  if (present(input.rate)) {
    const rate = parseRate(input.rate);
    if (rate === undefined || rate < 1) {
      return fail('rate', 'Limit rate must be an integer. Limit not saved.');
    }
  }
  const t = limitTypeInfo(String(input.type));
  if (t) {
    const userMissing = `user_id must be specified with this limit type. Limit: ${name}`;
    const userUnknown =
      t.type === 'instance.user' ? `user_id does not exist for ${name} limit.` : `No user_id exists for ${name} limit.`;
    if (t.userId === 'required') {
      if (!present(input.user_id)) {
        return fail('user_id', userMissing);
      }
      if (input.user_id !== USER_ID_WILDCARD && !exists(lookups?.userIds, input.user_id)) {
        return fail('user_id', userUnknown);
      }
    }
    if (t.roleId === 'required') {
      if (!present(input.role_id)) {
        return fail('role_id', `role_id must be specified with this limit type. Limit: ${name}`);
      }
      if (!exists(lookups?.roleIds, input.role_id)) {
        return fail('role_id', `No role_id exists for ${name} limit.`);
      }
    }
    if (t.serviceId === 'required') {
      // df-limits skips the "must be specified" check for the by-user service types and reports the id as unknown.
      if (!present(input.service_id) && t.userId !== 'required') {
        return fail('service_id', 'service_id must be specified with this limit type.');
      }
      if (!present(input.service_id) || !exists(lookups?.serviceIds, input.service_id)) {
        return fail('service_id', `No service exists for ${name} limit.`);
      }
    }
    if (t.endpoint === 'required' && !normaliseEndpoint(typeof input.endpoint === 'string' ? input.endpoint : null)) {
      return fail('endpoint', 'endpoint must be specified with this limit type.');
    }
  }
  if (present(input.verb) && !LIMIT_VERBS.includes(String(input.verb).toUpperCase() as LimitVerb)) {
    return fail('verb', 'Verb is invalid or not allowed.');
  }
  return recordRuleErrors(input);
}

/** The form's shape of a stored limit, e.g. to edit it. */
export function toLimitInput(view: LimitView): LimitInput {
  return {
    name: view.name,
    description: view.description,
    type: view.type,
    rate: view.rate,
    period: view.period,
    user_id: view.userId,
    role_id: view.roleId,
    service_id: view.serviceId,
    endpoint: view.endpoint,
    verb: view.verb,
    is_active: view.isActive,
  };
}

/** A limit for the hierarchy check: the form's input plus the stored id, if any. */
export type LimitForWarnings = LimitInput & { id?: number };

/** Does a limit on endpoint `broad` (exact, or a prefix ending in `*`) count every call on endpoint `narrow`? */
function endpointWithin(narrow: string | null | undefined, broad: string | null | undefined): boolean {
  const n = normaliseEndpoint(narrow) ?? '';
  const b = normaliseEndpoint(broad) ?? '';
  if (!b.endsWith('*')) {
    // Without an endpoint the limit counts calls to the service itself only.
    return n === b;
  }
  const prefix = b.slice(0, -1);
  return n.startsWith(prefix);
}

/** True when every call `narrow` counts is also counted by `broad`: same verb (or none) and a scope that holds it. */
function countsEveryCallOf(broad: LimitForWarnings, narrow: LimitForWarnings): boolean {
  const b = limitTypeInfo(broad.type);
  const n = limitTypeInfo(narrow.type);
  if (!b || !n || (broad.verb && broad.verb !== narrow.verb)) {
    return false;
  }
  const nPerUser = n.userId === 'required' || n.eachUser;
  if (b.eachUser && !nPerUser) {
    return false;
  }
  if (b.userId === 'required' && !(n.userId === 'required' && String(narrow.user_id) === String(broad.user_id))) {
    return false;
  }
  // Which users hold a role is not known here: a role limit only holds limits on the same role.
  if (b.roleId === 'required' && !(n.roleId === 'required' && narrow.role_id === broad.role_id)) {
    return false;
  }
  if (b.serviceId !== 'none' && !(n.serviceId !== 'none' && narrow.service_id === broad.service_id)) {
    return false;
  }
  return b.endpoint === 'none' || (n.endpoint !== 'none' && endpointWithin(narrow.endpoint, broad.endpoint));
}

/** The user-specific type that overrides each each-user type for that user. */
const OVERRIDDEN_BY: Partial<Record<LimitType, LimitType>> = {
  'instance.each_user': 'instance.user',
  'instance.each_user.service': 'instance.user.service',
  'instance.each_user.service.endpoint': 'instance.user.service.endpoint',
};

/**
 * DreamFactory's precedence (docs/dreamfactory.md#limit-precedence): `broad` still counts `narrow`'s calls but never
 * refuses them when the caller's own user limit of the overriding type exists (any service or endpoint: DreamFactory
 * compares the user only), or when `broad` has no verb and a limit of its type and period names the calls' verb.
 */
function overridden(broad: LimitForWarnings, narrow: LimitForWarnings, all: readonly LimitForWarnings[]): boolean {
  const active = [...all, narrow].filter((l) => l.is_active !== false);
  const userType = OVERRIDDEN_BY[broad.type];
  if (
    userType &&
    limitTypeInfo(narrow.type)?.userId === 'required' &&
    active.some((l) => l.type === userType && String(l.user_id) === String(narrow.user_id))
  ) {
    return true;
  }
  return (
    !broad.verb &&
    Boolean(narrow.verb) &&
    active.some(
      (l) =>
        l !== broad &&
        (l.id === undefined || l.id !== broad.id) &&
        l.verb === narrow.verb &&
        l.type === broad.type &&
        l.period === broad.period
    )
  );
}

const perSecond = (l: LimitForWarnings) => l.rate / periodSeconds(l.period);
const rateText = (l: LimitForWarnings) => `${l.rate} / ${parsePeriod(l.period)?.label.toLowerCase() ?? l.period}`;

/**
 * Things an admin should know before saving `limit`: other active limits that count all its calls, allow fewer per
 * second and are not overridden for them by DreamFactory (they trip first, so this one never does), and DreamFactory
 * quirks of its period and type.
 */
export function hierarchyWarnings(limit: LimitForWarnings, allLimits: readonly LimitForWarnings[]): string[] {
  const warnings: string[] = [];
  for (const other of allLimits) {
    const isSelf = other === limit || (limit.id !== undefined && other.id === limit.id);
    if (
      isSelf ||
      other.is_active === false ||
      !countsEveryCallOf(other, limit) ||
      !(perSecond(other) < perSecond(limit)) ||
      overridden(other, limit, allLimits)
    ) {
      continue;
    }
    const label = limitTypeInfo(other.type)?.label ?? other.type;
    warnings.push(
      `The ${label} limit "${other.name}" (${rateText(other)}) allows fewer calls than this limit (${rateText(limit)}) ` +
        'for the same calls, so it will trip first.'
    );
  }
  if (limit.period === '30-day') {
    warnings.push('DreamFactory\'s "30 Days" period lasts 210 days (18144000 seconds), not 30 days.');
  }
  if (limitTypeInfo(limit.type)?.eachUser) {
    warnings.push('Each-user counters can only be reset for all users at once, not for one user.');
  }
  return warnings;
}
