/**
 * DreamFactory's API limits as the app pages need them (docs/dreamfactory.md#api-limits): one shape (LimitView)
 * whatever DreamFactory's quirks (period as index or name, create answering 200 with ids only, names in related
 * records), and validation BEFORE any write, with DreamFactory's own rules and messages, so an invalid limit never
 * reaches DreamFactory.
 */
import type {
  BulkRequest,
  BulkResponse,
  DirectoryEntry,
  DirectoryKind,
  LimitCounter,
  LimitInput,
  LimitType,
  LimitVerb,
  LimitView,
} from '@shared/limits-api';
import {
  limitTypeInfo,
  parsePeriod,
  parseRate,
  validateLimit,
  type LimitCandidate,
  type LimitLookups,
  type LimitValidationError,
} from '@shared/limits';
import { DreamFactoryError, type DreamFactoryClient } from '../clients/dreamfactory';
import { userLabel, type DfUserRecord } from './users';

/** A refusal by our own checks, before DreamFactory saw anything. */
export class LimitValidationFailure extends Error {
  constructor(readonly detail: LimitValidationError) {
    super(detail.message);
  }
}

interface DfNamed {
  id: number;
  name?: string | null;
  description?: string | null;
  type?: string;
}

/** A `limits` row as DreamFactory answers it (period by name in lists, by index from GET /{id} for minute). */
export interface DfLimitRecord {
  id: number;
  type: LimitType;
  key_text: string;
  rate: number | string;
  period: number | string;
  user_id: number | null;
  role_id: number | null;
  service_id: number | null;
  name: string;
  description: string | null;
  is_active: boolean | number;
  created_date?: string | null;
  last_modified_date?: string | null;
  endpoint: string | null;
  verb: LimitVerb | null;
  user_by_user_id?: DfUserRecord | null;
  role_by_role_id?: DfNamed | null;
  service_by_service_id?: DfNamed | null;
  limit_cache_by_limit_id?: DfLimitCacheEntry[];
}

/**
 * A `limit_cache` entry as DreamFactory sends it (docs/dreamfactory.md#limit-counters): one counter of a limit
 * (each-user limits have one per user).
 */
export interface DfLimitCacheEntry {
  id: number;
  key: string;
  max: number;
  attempts: number;
  remaining: number;
}

const LIMIT_PATH = 'system/limit';
const CACHE_PATH = 'system/limit_cache';
const RELATED_NAMES = 'user_by_user_id,role_by_role_id,service_by_service_id';

function toCounter(entry: DfLimitCacheEntry, limitName?: string): LimitCounter {
  return {
    limitId: entry.id,
    limitName,
    key: entry.key,
    attempts: entry.attempts,
    max: entry.max,
    remaining: entry.remaining,
  };
}

/** DreamFactory answers the period by name, or by index (GET /{id} of a minute limit); some drivers send digits as text. */
const periodOf = (value: number | string) =>
  parsePeriod(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

export function toLimitView(
  record: DfLimitRecord,
  counters: DfLimitCacheEntry[] = record.limit_cache_by_limit_id ?? []
): LimitView {
  const period = periodOf(record.period);
  return {
    id: record.id,
    name: record.name,
    description: record.description ?? null,
    type: record.type,
    typeLabel: limitTypeInfo(record.type)?.label ?? record.type,
    rate: Number(record.rate),
    period: period?.period ?? (String(record.period) as LimitView['period']),
    periodSeconds: period?.seconds ?? 0,
    isActive: Boolean(record.is_active),
    userId: record.user_id ?? null,
    userName: record.user_by_user_id ? userLabel(record.user_by_user_id) : null,
    roleId: record.role_id ?? null,
    roleName: record.role_by_role_id?.name ?? null,
    serviceId: record.service_id ?? null,
    serviceName: record.service_by_service_id?.name ?? null,
    endpoint: record.endpoint ?? null,
    verb: record.verb ?? null,
    keyText: record.key_text,
    counters: counters.map((entry) => toCounter(entry, record.name)),
    createdDate: record.created_date ?? null,
    lastModifiedDate: record.last_modified_date ?? null,
  };
}

/** The stored record in the form's shape, for merging a partial update into it. */
function recordToInput(record: DfLimitRecord): LimitInput {
  return {
    name: record.name,
    description: record.description,
    type: record.type,
    rate: parseRate(record.rate) ?? Number(record.rate),
    period: periodOf(record.period)?.period ?? (String(record.period) as LimitInput['period']),
    user_id: record.user_id,
    role_id: record.role_id,
    service_id: record.service_id,
    endpoint: record.endpoint,
    verb: record.verb,
    is_active: Boolean(record.is_active),
  };
}

/** Does a record with this id exist in one of DreamFactory's system lists? */
async function existsIn(df: DreamFactoryClient, path: string, id: number): Promise<boolean> {
  const page = await df.get<{ resource: unknown[] }>(path, { filter: `id=${id}`, fields: 'id', limit: 1 });
  return page.resource.length > 0;
}

/** Existence sets for the ids this input names (DreamFactory checks users across admins and non-admins). */
async function lookupsFor(df: DreamFactoryClient, input: LimitCandidate): Promise<LimitLookups> {
  const numeric = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) ? value : undefined);
  const found = async (id: number | undefined, ...paths: string[]) => {
    const ids = new Set<number>();
    if (id !== undefined) {
      for (const path of paths) {
        if (await existsIn(df, path, id)) {
          ids.add(id);
          break;
        }
      }
    }
    return ids;
  };
  const [userIds, roleIds, serviceIds] = await Promise.all([
    found(numeric(input.user_id), 'system/user', 'system/admin'),
    found(numeric(input.role_id), 'system/role'),
    found(numeric(input.service_id), 'system/service'),
  ]);
  return { userIds, roleIds, serviceIds };
}

/** DreamFactory's checks: the shape first (no call), then the ids against DreamFactory. Throws on the first problem. */
async function validateAgainstDreamFactory(df: DreamFactoryClient, input: LimitCandidate): Promise<void> {
  const shapeError = validateLimit(input);
  if (shapeError) {
    throw new LimitValidationFailure(shapeError);
  }
  const error = validateLimit(input, await lookupsFor(df, input));
  if (error) {
    throw new LimitValidationFailure(error);
  }
}

/** Only the columns DreamFactory stores, so what we validated is what it saves. */
function writable(input: LimitCandidate): LimitCandidate {
  const { name, description, type, rate, period, user_id, role_id, service_id, endpoint, verb, is_active } = input;
  return { name, description, type, rate, period, user_id, role_id, service_id, endpoint, verb, is_active };
}

export async function listLimits(df: DreamFactoryClient): Promise<LimitView[]> {
  const records = await df.listAll<DfLimitRecord>(LIMIT_PATH, { related: `${RELATED_NAMES},limit_cache_by_limit_id` });
  return records.map((record) => toLimitView(record));
}

export async function getLimit(df: DreamFactoryClient, id: number): Promise<LimitView> {
  const record = await df.get<DfLimitRecord>(`${LIMIT_PATH}/${id}`, { related: RELATED_NAMES });
  const counters = await df.get<{ resource: DfLimitCacheEntry[] }>(CACHE_PATH, { ids: id });
  return toLimitView(record, counters.resource);
}

export async function createLimit(df: DreamFactoryClient, input: LimitCandidate): Promise<LimitView> {
  await validateAgainstDreamFactory(df, input);
  // DreamFactory answers 200 with ids only; the full record (names, counters) is read back.
  const created = await df.request<{ resource: Array<{ id: number }> }>('POST', LIMIT_PATH, {
    body: { resource: [writable(input)] },
  });
  return getLimit(df, created.resource[0].id);
}

/** Merges the change into the stored record and validates the result, as DreamFactory does, before writing. */
export async function updateLimit(df: DreamFactoryClient, id: number, patch: LimitCandidate): Promise<LimitView> {
  const current = await df.get<DfLimitRecord>(`${LIMIT_PATH}/${id}`);
  const merged: LimitCandidate = { ...recordToInput(current), ...patch };
  await validateAgainstDreamFactory(df, merged);
  await df.request('PATCH', `${LIMIT_PATH}/${id}`, { body: writable(merged) });
  return getLimit(df, id);
}

export async function deleteLimit(df: DreamFactoryClient, id: number): Promise<{ id: number }> {
  const deleted = await df.request<{ id: number }>('DELETE', `${LIMIT_PATH}/${id}`);
  return { id: deleted.id };
}

/** Every limit with its user, role and service names but no counters (the limit sampler reads those separately). */
export async function listLimitDefinitions(df: Pick<DreamFactoryClient, 'listAll'>): Promise<LimitView[]> {
  const records = await df.listAll<DfLimitRecord>(LIMIT_PATH, { related: RELATED_NAMES });
  return records.map((record) => toLimitView(record, []));
}

/** `system/limit_cache`: every counter of every limit (each-user limits: one per active non-admin user), or of one. */
export async function readLimitCache(df: Pick<DreamFactoryClient, 'get'>, limitId?: number): Promise<DfLimitCacheEntry[]> {
  const answer = await df.get<{ resource?: unknown }>(CACHE_PATH, limitId === undefined ? {} : { ids: limitId });
  if (!Array.isArray(answer?.resource)) {
    throw new DreamFactoryError(502, { message: 'DreamFactory answered system/limit_cache without a resource list.' });
  }
  return answer.resource as DfLimitCacheEntry[];
}

export async function listCounters(df: DreamFactoryClient, limitId?: number): Promise<LimitCounter[]> {
  const [cache, limits] = await Promise.all([
    readLimitCache(df, limitId),
    df.listAll<{ id: number; name: string }>(LIMIT_PATH, {
      fields: 'id,name',
      ...(limitId === undefined ? {} : { filter: `id=${limitId}` }),
    }),
  ]);
  const names = new Map(limits.map((l) => [l.id, l.name]));
  return cache.map((entry) => toCounter(entry, names.get(entry.id)));
}

/** Resets every counter of one limit (all users at once for each-user types; DreamFactory has no per-user reset). */
export async function resetCounter(df: DreamFactoryClient, limitId: number): Promise<{ limitId: number }> {
  await df.request('DELETE', `${CACHE_PATH}/${limitId}`);
  return { limitId };
}

/** Empties DreamFactory's whole limit store (with the redis driver: its whole database). */
export async function flushCounters(df: DreamFactoryClient): Promise<{ flushed: true }> {
  await df.request('DELETE', CACHE_PATH, { query: { allow_delete: true } });
  return { flushed: true };
}

/** Applies one action to each id in turn; DreamFactory's refusals are reported per id, an unreachable DreamFactory stops all. */
export async function bulk(df: DreamFactoryClient, request: BulkRequest): Promise<BulkResponse> {
  const apply: Record<BulkRequest['action'], (id: number) => Promise<unknown>> = {
    activate: (id) => df.request('PATCH', `${LIMIT_PATH}/${id}`, { body: { is_active: true } }),
    deactivate: (id) => df.request('PATCH', `${LIMIT_PATH}/${id}`, { body: { is_active: false } }),
    delete: (id) => deleteLimit(df, id),
    resetCounters: (id) => resetCounter(df, id),
  };
  const result: BulkResponse = { done: [], failed: [] };
  for (const id of request.ids) {
    try {
      await apply[request.action](id);
      result.done.push(id);
    } catch (err) {
      if (!(err instanceof DreamFactoryError) || err.unreachable) {
        throw err;
      }
      result.failed.push({ id, error: err.message });
    }
  }
  return result;
}

/** Picker options: every user (admins too: DreamFactory accepts any user id), role and service, all pages. */
export async function directory(df: DreamFactoryClient, kind: DirectoryKind): Promise<DirectoryEntry[]> {
  if (kind === 'users') {
    const fields = { fields: 'id,name,first_name,last_name,email' };
    const [users, admins] = await Promise.all([
      df.listAll<DfUserRecord>('system/user', fields),
      df.listAll<DfUserRecord>('system/admin', fields),
    ]);
    const entry = (admin: boolean) => (u: DfUserRecord) => ({
      id: Number(u.id),
      label: userLabel(u),
      detail: admin ? `${u.email ?? ''} (admin)` : (u.email ?? undefined),
    });
    return [...users.map(entry(false)), ...admins.map(entry(true))].sort((a, b) => a.id - b.id);
  }
  const path = kind === 'roles' ? 'system/role' : 'system/service';
  const rows = await df.listAll<DfNamed>(path, { fields: kind === 'roles' ? 'id,name,description' : 'id,name,type' });
  return rows.map((r) => ({
    id: r.id,
    label: r.name ?? String(r.id),
    detail: (kind === 'roles' ? r.description : r.type) ?? undefined,
  }));
}
