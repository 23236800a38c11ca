/**
 * Pure: DreamFactory's own lists (the user directory, `system/limit`, `system/limit_cache`) → table frames.
 */
import type { FrameField, FrameJSON } from '../../../src/shared/query';
import type { DirectorySnapshot } from './enrich';
import { displayName } from './enrich';

const table = (refId: string, fields: FrameField[]): FrameJSON => ({ refId, name: refId, fields, meta: { preferredVisualisationType: 'table' } });

export function usersFrame(refId: string, directory: DirectorySnapshot): FrameJSON {
  const users = [...directory.users.values()].sort((a, b) => Number(a.id) - Number(b.id) || a.id.localeCompare(b.id));
  return table(refId, [
    { name: 'ID', type: 'number', values: users.map((u) => Number(u.id)) },
    { name: 'Name', type: 'string', values: users.map(displayName) },
    { name: 'Email', type: 'string', values: users.map((u) => u.email) },
    { name: 'Admin', type: 'boolean', values: users.map((u) => u.isAdmin) },
    { name: 'Active', type: 'boolean', values: users.map((u) => u.isActive) },
    { name: 'Last login', type: 'time', values: users.map((u) => u.lastLoginMs) },
  ]);
}

/** A `limit_cache` entry (contract §2.6). */
export interface DfLimitCacheEntry {
  id: number;
  key: string;
  max: number;
  attempts: number;
  remaining: number;
}

/** A `system/limit` record with `related=limit_cache_by_limit_id` (contract §2.5). */
export interface DfLimitRecord {
  id: number;
  name: string;
  type: string;
  rate: number | string;
  period: string | number;
  is_active: boolean;
  user_id?: number | null;
  role_id?: number | null;
  service_id?: number | null;
  endpoint?: string | null;
  verb?: string | null;
  key_text?: string;
  limit_cache_by_limit_id?: DfLimitCacheEntry[] | null;
}

const PERIOD_NAMES = ['minute', 'hour', 'day', '7-day', '30-day'];
/** `GET system/limit/{id}` may return the period index instead of its name (contract §2.3). */
const periodName = (period: string | number) => (typeof period === 'number' ? (PERIOD_NAMES[period] ?? String(period)) : period);

export function limitsFrame(refId: string, limits: DfLimitRecord[]): FrameJSON {
  // Counters of one limit are summed (each_user limits have one entry per user) so gauges show the limit's load.
  const sum = (l: DfLimitRecord, key: 'attempts' | 'max' | 'remaining') =>
    (l.limit_cache_by_limit_id ?? []).reduce((acc, entry) => acc + Number(entry[key] ?? 0), 0);
  return table(refId, [
    { name: 'ID', type: 'number', values: limits.map((l) => l.id) },
    { name: 'Name', type: 'string', values: limits.map((l) => l.name) },
    { name: 'Type', type: 'string', values: limits.map((l) => l.type) },
    { name: 'Rate', type: 'number', values: limits.map((l) => Number(l.rate)) },
    { name: 'Period', type: 'string', values: limits.map((l) => periodName(l.period)) },
    { name: 'Verb', type: 'string', values: limits.map((l) => l.verb ?? null) },
    { name: 'Endpoint', type: 'string', values: limits.map((l) => l.endpoint ?? null) },
    { name: 'Active', type: 'boolean', values: limits.map((l) => Boolean(l.is_active)) },
    { name: 'Counters', type: 'number', values: limits.map((l) => l.limit_cache_by_limit_id?.length ?? 0) },
    { name: 'Attempts', type: 'number', values: limits.map((l) => sum(l, 'attempts')) },
    { name: 'Max', type: 'number', values: limits.map((l) => sum(l, 'max')) },
    { name: 'Remaining', type: 'number', values: limits.map((l) => sum(l, 'remaining')) },
  ]);
}

export function limitCountersFrame(refId: string, entries: DfLimitCacheEntry[], limitNames: ReadonlyMap<number, string>): FrameJSON {
  return table(refId, [
    { name: 'Limit ID', type: 'number', values: entries.map((e) => e.id) },
    { name: 'Limit', type: 'string', values: entries.map((e) => limitNames.get(e.id) ?? null) },
    { name: 'Key', type: 'string', values: entries.map((e) => e.key) },
    { name: 'Attempts', type: 'number', values: entries.map((e) => Number(e.attempts)) },
    { name: 'Max', type: 'number', values: entries.map((e) => Number(e.max)) },
    { name: 'Remaining', type: 'number', values: entries.map((e) => Number(e.remaining)) },
    { name: 'Used', type: 'number', values: entries.map((e) => (Number(e.max) > 0 ? Number(e.attempts) / Number(e.max) : null)), config: { unit: 'percentunit' } },
  ]);
}
