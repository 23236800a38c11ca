/**
 * Pure: DreamFactory's own lists (the user directory; limits and counters as the limit relay reads them) → table frames.
 */
import type { LimitCounter, LimitView } from '@shared/limits-api';
import type { FrameField, FrameJSON } from '@shared/query';
import { displayName, type DirectorySnapshot } from '../dreamfactory/users';

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

/**
 * One row per limit. Attempts, Max and Remaining are those of its busiest counter (each-user limits have one counter
 * per user; the busiest is the one closest to a lockout), or 0 of `rate` when nothing has been counted yet.
 */
export function limitsFrame(refId: string, limits: LimitView[]): FrameJSON {
  const busiest = limits.map((l) =>
    l.counters.reduce<LimitCounter | undefined>((top, c) => (!top || c.attempts / (c.max || 1) > top.attempts / (top.max || 1) ? c : top), undefined)
  );
  return table(refId, [
    { name: 'ID', type: 'number', values: limits.map((l) => l.id) },
    { name: 'Name', type: 'string', values: limits.map((l) => l.name) },
    { name: 'Type', type: 'string', values: limits.map((l) => l.typeLabel) },
    { name: 'Rate', type: 'number', values: limits.map((l) => l.rate) },
    { name: 'Period', type: 'string', values: limits.map((l) => l.period) },
    { name: 'Active', type: 'boolean', values: limits.map((l) => l.isActive) },
    { name: 'User', type: 'string', values: limits.map((l) => l.userName) },
    { name: 'Role', type: 'string', values: limits.map((l) => l.roleName) },
    { name: 'Service', type: 'string', values: limits.map((l) => l.serviceName) },
    { name: 'Endpoint', type: 'string', values: limits.map((l) => l.endpoint) },
    { name: 'Verb', type: 'string', values: limits.map((l) => l.verb) },
    { name: 'Key', type: 'string', values: limits.map((l) => l.keyText) },
    { name: 'Counters', type: 'number', values: limits.map((l) => l.counters.length) },
    { name: 'Attempts', type: 'number', values: busiest.map((c) => c?.attempts ?? 0) },
    { name: 'Max', type: 'number', values: busiest.map((c, i) => c?.max ?? limits[i].rate) },
    { name: 'Remaining', type: 'number', values: busiest.map((c, i) => c?.remaining ?? limits[i].rate) },
  ]);
}

export function limitCountersFrame(refId: string, counters: LimitCounter[]): FrameJSON {
  return table(refId, [
    { name: 'Limit ID', type: 'number', values: counters.map((c) => c.limitId) },
    { name: 'Limit', type: 'string', values: counters.map((c) => c.limitName ?? null) },
    { name: 'Key', type: 'string', values: counters.map((c) => c.key) },
    { name: 'Attempts', type: 'number', values: counters.map((c) => c.attempts) },
    { name: 'Max', type: 'number', values: counters.map((c) => c.max) },
    { name: 'Remaining', type: 'number', values: counters.map((c) => c.remaining) },
    { name: 'Used', type: 'number', values: counters.map((c) => (c.max > 0 ? c.attempts / c.max : null)), config: { unit: 'percentunit' } },
  ]);
}
