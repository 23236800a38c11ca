/** The Limits table's rows: a limit plus everything shown or sorted on, computed once per load. Pure. */
import type { LimitView } from '@shared/limits-api';
import { hierarchyWarnings, limitTypeInfo, parsePeriod, toLimitInput } from '@shared/limits';
import { summarizeCounters, type CounterSummary } from './counterSummary';
import { historyOfLimit, type LimitHistoryOverview, type LimitRowHistory } from './history/limitHistory';

export interface LimitRow {
  id: number;
  name: string;
  isActive: boolean;
  typeLabel: string;
  eachUser: boolean;
  /** `1000 / hour`. */
  rateText: string;
  /** For sorting rates across periods. */
  ratePerSecond: number;
  counter: CounterSummary;
  /** Share of the shown counter used, for sorting. */
  usage: number;
  userName: string;
  roleName: string;
  serviceName: string;
  endpoint: string;
  verb: string;
  /** Broader limits that trip before this one (from the other limits). */
  warnings: string[];
  /** DreamFactory quirks of this limit alone (210-day "30 Days", per-user resets). */
  notes: string[];
  /** From the limit sampler, once loaded: usage over 24 h, trips in 7 days, the current window's projection. */
  history?: LimitRowHistory;
  /** For sorting (0 until the history is loaded). */
  trips: number;
  limit: LimitView;
}

export function rateText(rate: number, period: string): string {
  return `${rate} / ${(parsePeriod(period)?.label ?? period).toLowerCase()}`;
}

export function toLimitRows(limits: readonly LimitView[], overview?: LimitHistoryOverview): LimitRow[] {
  const forWarnings = limits.map((l) => ({ ...toLimitInput(l), id: l.id }));
  return limits.map((limit, i) => {
    const type = limitTypeInfo(limit.type);
    const eachUser = type?.eachUser ?? false;
    const counter = summarizeCounters(limit, eachUser);
    const seconds = parsePeriod(limit.period)?.seconds ?? limit.periodSeconds;
    const notes = hierarchyWarnings(forWarnings[i], []);
    return {
      id: limit.id,
      name: limit.name,
      isActive: limit.isActive,
      typeLabel: type?.label ?? limit.typeLabel ?? limit.type,
      eachUser,
      rateText: rateText(limit.rate, limit.period),
      ratePerSecond: seconds > 0 ? limit.rate / seconds : 0,
      counter,
      usage: counter.max > 0 ? counter.attempts / counter.max : 0,
      userName: nameOrId(limit.userName, limit.userId),
      roleName: nameOrId(limit.roleName, limit.roleId),
      serviceName: nameOrId(limit.serviceName, limit.serviceId),
      endpoint: limit.endpoint ?? '',
      verb: limit.verb ?? 'All verbs',
      warnings: hierarchyWarnings(forWarnings[i], forWarnings).filter((w) => !notes.includes(w)),
      notes,
      history: historyOfLimit(overview, limit.id),
      trips: overview?.trips.get(limit.id) ?? 0,
      limit,
    };
  });
}

/** A deleted user/role/service has no name any more; show its id rather than nothing. */
function nameOrId(name: string | null, id: number | null): string {
  return name ?? (id === null ? '' : `#${id}`);
}

/** Case-insensitive match on every text column and the description. */
export function filterRows(rows: readonly LimitRow[], search: string): LimitRow[] {
  const needle = search.trim().toLowerCase();
  if (!needle) {
    return [...rows];
  }
  return rows.filter((row) =>
    [
      row.name,
      row.limit.description ?? '',
      row.typeLabel,
      row.userName,
      row.roleName,
      row.serviceName,
      row.endpoint,
      row.verb,
      row.rateText,
    ].some((text) => text.toLowerCase().includes(needle))
  );
}
