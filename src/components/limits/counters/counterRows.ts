/** Rows of the Limit counters table: DreamFactory's cache entries with their limit's name and kind. Pure. */
import type { LimitCounter, LimitView } from '@shared/limits-api';
import { limitTypeInfo } from '@shared/limits';

export interface CounterRow extends LimitCounter {
  limitName: string;
  eachUser: boolean;
  /** attempts / max, for sorting. */
  usage: number;
}

export function toCounterRows(counters: readonly LimitCounter[], limits: readonly LimitView[]): CounterRow[] {
  const byId = new Map(limits.map((l) => [l.id, l]));
  return counters.map((counter) => {
    const limit = byId.get(counter.limitId);
    return {
      ...counter,
      limitName: counter.limitName ?? limit?.name ?? `#${counter.limitId}`,
      eachUser: limit ? Boolean(limitTypeInfo(limit.type)?.eachUser) : counter.key.includes('each_user'),
      usage: counter.max > 0 ? counter.attempts / counter.max : 0,
    };
  });
}
