/**
 * Pure: one read of DreamFactory's limits list and `system/limit_cache` (contract §2.5, §2.6), joined with the user
 * directory, as one reading per counter with everything a document needs.
 *
 * `limit_cache` lists every limit, active or not; an each-user limit appears once per active non-admin user, the
 * user's id inside the key (`instance.each_user:7.service:5.hour`). A user made inactive or admin, or deleted, simply
 * stops appearing; a new user appears with 0 attempts. Entries of a limit created after the limits list was read are
 * left for the next sample (counted as `unknownLimit`), as are entries whose numbers do not parse (`malformed`).
 */
import type { LimitView } from '@shared/limits-api';
import { limitTypeInfo } from '@shared/limits';
import type { DfLimitCacheEntry } from '../dreamfactory/limits';
import { displayName, type DirectorySnapshot } from '../dreamfactory/users';
import type { LimitFields, PartyFields } from './document';

export interface LimitMeta {
  fields: LimitFields;
  /** The limit's own user, role and service (named by its record). */
  party: PartyFields;
  periodMs: number;
  eachUser: boolean;
}

export interface CounterReading {
  limit: LimitMeta;
  /** `<limit id>/<key>`. */
  id: string;
  key: string;
  /** The limit's party, with the counter's own user for each-user limits. */
  party: PartyFields;
  attempts: number;
  max: number;
  remaining: number;
}

export interface Reading {
  limits: LimitMeta[];
  counters: CounterReading[];
  skipped: { unknownLimit: number; malformed: number };
}

const EACH_USER_KEY = /^instance\.each_user:(\d+)\./;

/** The user of an each-user counter, from its key; undefined for any other key. */
export function eachUserIdOf(key: string): string | undefined {
  return EACH_USER_KEY.exec(key)?.[1];
}

function userFields(
  id: string,
  directory: DirectorySnapshot | undefined,
  fallbackName: string | null = null
): PartyFields['user'] {
  const known = directory?.users.get(id);
  return known ? { id, name: displayName(known), email: known.email } : { id, name: fallbackName, email: null };
}

export function limitMeta(view: LimitView, directory?: DirectorySnapshot): LimitMeta {
  const eachUser = limitTypeInfo(view.type)?.eachUser ?? false;
  const party: PartyFields = {};
  if (view.userId !== null && !eachUser) {
    party.user = userFields(String(view.userId), directory, view.userName);
  }
  if (view.roleId !== null) {
    party.role = { id: view.roleId, name: view.roleName };
  }
  if (view.serviceId !== null) {
    party.service = { id: view.serviceId, name: view.serviceName };
  }
  return {
    fields: {
      id: view.id,
      name: view.name,
      type: view.type,
      type_label: view.typeLabel,
      period: view.period,
      period_seconds: view.periodSeconds,
      rate: view.rate,
      active: view.isActive,
      verb: view.verb,
      endpoint: view.endpoint,
      key: view.keyText,
    },
    party,
    periodMs: view.periodSeconds * 1000,
    eachUser,
  };
}

const count = (value: unknown): number | undefined => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isInteger(n) ? n : undefined;
};

export function readCounters(
  limits: readonly LimitView[],
  cache: readonly DfLimitCacheEntry[],
  directory?: DirectorySnapshot
): Reading {
  const metas = limits.map((view) => limitMeta(view, directory));
  const byId = new Map(metas.map((meta) => [meta.fields.id, meta]));
  const counters: CounterReading[] = [];
  const skipped = { unknownLimit: 0, malformed: 0 };
  for (const entry of cache) {
    const limit = byId.get(Number(entry.id));
    if (!limit) {
      skipped.unknownLimit += 1;
      continue;
    }
    const [attempts, max, remaining] = [count(entry.attempts), count(entry.max), count(entry.remaining)];
    if (attempts === undefined || max === undefined || remaining === undefined || typeof entry.key !== 'string') {
      skipped.malformed += 1;
      continue;
    }
    const userId = limit.eachUser ? eachUserIdOf(entry.key) : undefined;
    const party = userId ? { ...limit.party, user: userFields(userId, directory) } : limit.party;
    counters.push({ limit, id: `${limit.fields.id}/${entry.key}`, key: entry.key, party, attempts, max, remaining });
  }
  return { limits: metas, counters, skipped };
}
