import type { LimitCounter, LimitView } from '@shared/limits-api';

export type CounterLevel = 'ok' | 'warning' | 'critical';

/** DreamFactory's legacy admin colours: green below 75 %, yellow from 75 % to 90 %, red from 90 %. */
export function counterLevel(attempts: number, max: number): CounterLevel {
  const ratio = max > 0 ? attempts / max : 0;
  return ratio >= 0.9 ? 'critical' : ratio >= 0.75 ? 'warning' : 'ok';
}

export interface CounterSummary {
  /** Attempts of the counter shown in the bar: the only one, or for each-user limits the busiest user's. */
  attempts: number;
  max: number;
  /** Each-user limits only: how many users have a counter and their attempts in total. */
  perUser?: { users: number; totalAttempts: number };
}

/**
 * One bar per limit. Each-user limits have one counter per user, each against the full rate, so the bar shows the
 * busiest user (the one closest to a 429) and the text gives the aggregate.
 */
export function summarizeCounters(limit: Pick<LimitView, 'rate' | 'counters'>, eachUser: boolean): CounterSummary {
  const counters: LimitCounter[] = limit.counters ?? [];
  if (!eachUser) {
    const counter = counters[0];
    return { attempts: counter?.attempts ?? 0, max: counter?.max ?? limit.rate };
  }
  const busiest = counters.reduce<LimitCounter | undefined>(
    (top, c) => (!top || c.attempts > top.attempts ? c : top),
    undefined
  );
  return {
    attempts: busiest?.attempts ?? 0,
    max: busiest?.max ?? limit.rate,
    perUser: { users: counters.length, totalAttempts: counters.reduce((sum, c) => sum + c.attempts, 0) },
  };
}
