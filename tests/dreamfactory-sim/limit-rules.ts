/**
 * df-limits' rules for one limit record, written for the simulator from DreamFactory's behaviour (never from the
 * product's own validator, which this simulator exists to check): the ten types and the ids each needs, the periods,
 * the `key_text` every counter is stored under, and the checks a create or update runs, with DreamFactory's messages,
 * in DreamFactory's order (rate, the type's ids, endpoint, verb, then the model's required/in rules).
 */
import { DfError, batchError } from './errors';
import { filterBool, filterValidateInt } from './php';

export type SimLimitType =
  | 'instance'
  | 'instance.user'
  | 'instance.each_user'
  | 'instance.role'
  | 'instance.service'
  | 'instance.user.service'
  | 'instance.each_user.service'
  | 'instance.service.endpoint'
  | 'instance.user.service.endpoint'
  | 'instance.each_user.service.endpoint';

export type SimVerb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export const VERBS: readonly SimVerb[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** What a type's key is built from; "each user" types take the calling user's id where `user` takes the stored one. */
interface TypeShape {
  user: 'stored' | 'each' | null;
  role: boolean;
  service: boolean;
  endpoint: boolean;
}

const shape = (user: TypeShape['user'], role: boolean, service: boolean, endpoint: boolean): TypeShape => ({
  user,
  role,
  service,
  endpoint,
});

export const TYPE_SHAPES: Readonly<Record<SimLimitType, TypeShape>> = {
  instance: shape(null, false, false, false),
  'instance.user': shape('stored', false, false, false),
  'instance.each_user': shape('each', false, false, false),
  'instance.role': shape(null, true, false, false),
  'instance.service': shape(null, false, true, false),
  'instance.user.service': shape('stored', false, true, false),
  'instance.each_user.service': shape('each', false, true, false),
  'instance.service.endpoint': shape(null, false, true, true),
  'instance.user.service.endpoint': shape('stored', false, true, true),
  'instance.each_user.service.endpoint': shape('each', false, true, true),
};

export const isLimitType = (value: unknown): value is SimLimitType =>
  typeof value === 'string' && Object.hasOwn(TYPE_SHAPES, value);

export const isEachUser = (type: SimLimitType) => TYPE_SHAPES[type].user === 'each';

/** Period index → name and length. The "30-day" period is df-core's month constant: 210 days. */
export const PERIODS = [
  { name: 'minute', seconds: 60 },
  { name: 'hour', seconds: 3600 },
  { name: 'day', seconds: 86400 },
  { name: '7-day', seconds: 7 * 86400 },
  { name: '30-day', seconds: 210 * 86400 },
] as const;

/** A period sent as its name or as its index; undefined when DreamFactory would not accept it. */
export function periodIndex(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 0 && value < PERIODS.length ? value : undefined;
  }
  const index = PERIODS.findIndex((p) => p.name === value);
  return index >= 0 ? index : undefined;
}

/** The parts of a limit its key is made of. */
export interface KeyParts {
  type: SimLimitType;
  userId: number | string | null;
  roleId: number | null;
  serviceId: number | null;
  endpoint: string | null;
  verb: string | null;
  period: number;
}

const part = (value: unknown) => (value === null || value === undefined ? '' : String(value));

/** df-limits' resolveCheckKey: `instance[.user:u|.each_user:u][.role:r][.service:s][.endpoint:e][.verb:V].{period}`. */
export function limitKey(parts: KeyParts): string {
  const s = TYPE_SHAPES[parts.type];
  let key = 'instance';
  if (s.user) {
    key += `.${s.user === 'each' ? 'each_user' : 'user'}:${part(parts.userId)}`;
  }
  if (s.role) {
    key += `.role:${part(parts.roleId)}`;
  }
  if (s.service) {
    key += `.service:${part(parts.serviceId)}`;
  }
  if (s.endpoint) {
    key += `.endpoint:${part(parts.endpoint)}`;
  }
  if (parts.verb !== null) {
    key += `.verb:${parts.verb}`;
  }
  return `${key}.${PERIODS[parts.period].name}`;
}

/** df-limits trims leading and trailing slashes off endpoints. */
export const trimSlashes = (endpoint: string) => endpoint.replace(/^\/+/, '').replace(/\/+$/, '');

/** Ids that exist, for the existence checks (users are checked among admins and non-admins alike). */
export interface ExistingIds {
  user(id: unknown): boolean;
  role(id: unknown): boolean;
  service(id: unknown): boolean;
}

/** A limit's columns once checked, before the store gives it an id and dates. */
export type CheckedLimit = {
  type: SimLimitType;
  key_text: string;
  rate: number;
  period: number;
  user_id: number | null;
  role_id: number | null;
  service_id: number | null;
  name: string;
  description: string | null;
  is_active: boolean;
  endpoint: string | null;
  verb: SimVerb | null;
};

type Candidate = Record<string, unknown>;

const given = (value: unknown) => value !== undefined && value !== null;
const blank = (value: unknown) => !given(value) || (typeof value === 'string' && value.trim() === '');
const bad = (message: string) => new DfError(400, message);

/**
 * The model's own rules (Laravel `required` and `in:`), run after the resource's checks. DreamFactory reports them as
 * "Invalid data supplied." plus every message, field by field in rule order.
 */
function modelRuleErrors(record: Candidate): Record<string, string[]> | null {
  const errors: Record<string, string[]> = {};
  if (blank(record.type)) {
    errors.type = ['The type field is required.'];
  } else if (!isLimitType(record.type)) {
    errors.type = ['The selected type is invalid.'];
  }
  if (blank(record.rate)) {
    errors.rate = ['The rate field is required.'];
  }
  if (blank(record.period)) {
    errors.period = ['The period field is required.'];
  } else if (periodIndex(record.period) === undefined) {
    errors.period = ['The selected period is invalid.'];
  }
  if (blank(record.name)) {
    errors.name = ['The name field is required.'];
  }
  return Object.keys(errors).length > 0 ? errors : null;
}

/** A record failing the model's rules: its own error, as the batch reports it. */
export function invalidData(errors: Record<string, string[]>): DfError {
  const text = Object.values(errors)
    .flat()
    .map((m) => ` ${m}`)
    .join('');
  return new DfError(400, `Invalid data supplied.${text}`, 400, errors);
}

export type Checked = { record: CheckedLimit } | { invalid: DfError };

/**
 * Checks one record as the limit resource does on create (and on update, after merging the change into the stored
 * record). Resource-level problems throw a plain 400 (nothing is written); a record failing the model's rules comes
 * back as `invalid`, for the caller to report as a batch error at that record's position.
 */
export function checkLimit(record: Candidate, exists: ExistingIds): Checked {
  const name = part(record.name);
  // Rate first: present but not an integer, or 0, is refused (negative rates pass, as in DreamFactory).
  if (given(record.rate) && !filterValidateInt(record.rate)) {
    throw bad('Limit rate must be an integer. Limit not saved.');
  }
  const type = isLimitType(record.type) ? record.type : undefined;
  const s = type ? TYPE_SHAPES[type] : undefined;
  if (s?.user === 'stored') {
    if (!given(record.user_id)) {
      throw bad(`user_id must be specified with this limit type. Limit: ${name}`);
    }
    if (record.user_id !== '*' && !exists.user(record.user_id)) {
      throw bad(
        type === 'instance.user' ? `user_id does not exist for ${name} limit.` : `No user_id exists for ${name} limit.`
      );
    }
  }
  if (s?.role) {
    if (!given(record.role_id)) {
      throw bad(`role_id must be specified with this limit type. Limit: ${name}`);
    }
    if (!exists.role(record.role_id)) {
      throw bad(`No role_id exists for ${name} limit.`);
    }
  }
  if (s?.service) {
    // The by-user service types never say "must be specified": a missing id is simply not an existing service.
    if (!given(record.service_id) && s.user !== 'stored') {
      throw bad('service_id must be specified with this limit type.');
    }
    if (!given(record.service_id) || !exists.service(record.service_id)) {
      throw bad(`No service exists for ${name} limit.`);
    }
  }
  if (type === 'instance.user.service.endpoint' && !given(record.endpoint)) {
    throw bad('endpoint must be specified with this limit type.');
  }
  if (given(record.verb) && !VERBS.includes(String(record.verb).toUpperCase() as SimVerb)) {
    throw bad('Verb is invalid or not allowed.');
  }
  const errors = modelRuleErrors(record);
  if (errors) {
    return { invalid: invalidData(errors) };
  }
  return { record: toColumns(record, type!) };
}

/** The stored columns: ids the type does not use are nulled, the endpoint trimmed, the key computed. */
function toColumns(record: Candidate, type: SimLimitType): CheckedLimit {
  const s = TYPE_SHAPES[type];
  const id = (wanted: boolean, value: unknown) => (wanted && given(value) ? (value as number) : null);
  const period = periodIndex(record.period)!;
  const verb = given(record.verb) ? (String(record.verb).toUpperCase() as SimVerb) : null;
  const endpoint = s.endpoint && typeof record.endpoint === 'string' ? trimSlashes(record.endpoint) : null;
  const columns: Omit<CheckedLimit, 'key_text'> = {
    type,
    rate: filterValidateInt(record.rate)!,
    period,
    user_id: id(s.user === 'stored', record.user_id),
    role_id: id(s.role, record.role_id),
    service_id: id(s.service, record.service_id),
    name: String(record.name),
    description: given(record.description) ? String(record.description) : null,
    is_active: !given(record.is_active) || filterBool(record.is_active),
    endpoint,
    verb,
  };
  const key_text = limitKey({
    type,
    userId: columns.user_id,
    roleId: columns.role_id,
    serviceId: columns.service_id,
    endpoint,
    verb,
    period,
  });
  return { ...columns, key_text };
}

export const DUPLICATE = 'A limit already exists with those parameters. No records added.';
export const BATCH_CREATE = 'Batch Error: Not all requested records could be created.';

/** The batch error for a create whose record at `index` failed the model's rules after `created` were written. */
export function createBatchError(created: Array<{ id: number }>, failure: DfError): DfError {
  return batchError(BATCH_CREATE, [...created.map(({ id }) => ({ id })), failure]);
}
