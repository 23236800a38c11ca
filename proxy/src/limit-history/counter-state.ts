/**
 * Pure: what one DreamFactory limit counter did between two samples, and where it is heading.
 *
 * DreamFactory's counters (contract §2.3, §2.7) count from the first call of a fixed window that lasts one period;
 * call max + 1 is refused and starts a lockout of one full period. `limit_cache` shows only attempts, max and
 * remaining — no window start, no lockout clock — so the window is bounded from the samples: it started after the
 * last sample that saw the counter at 0 (`startedAfter`) and at or before the first that saw it in use (`startedBy`).
 *
 * From those bounds:
 * - A trip is the first sample of a run at the maximum (attempts = max, which is also how a lockout reads). A run
 *   that continues across samples is one trip. It is a new trip only once the previous run must have ended: a window
 *   ends at the latest `startedBy` + period, and a lockout begun by its last allowed call at the latest a period later.
 * - A counter that went down started a new window. If that happened before the old window could have run out
 *   (`startedAfter` + period), someone reset it (an admin's reset, a rate change of a locked-out limit, a store
 *   flush): `reset`; otherwise `ended`.
 * - A counter that went up after its window must have run out ended and restarted between the samples: `ended`.
 *
 * What a sample cannot see: a window that started, tripped, ran out and started again entirely between two samples
 * (only possible when samples are more than a period apart, e.g. across a DreamFactory outage) counts as one trip.
 */
import type { WindowChange } from './document';

export interface Point {
  at: number;
  attempts: number;
}

export interface Observation extends Point {
  max: number;
}

export interface CounterWindow {
  /** Undefined when the counter was first seen already in use. */
  startedAfter?: number;
  startedBy: number;
}

export interface CounterState extends Observation {
  /** Set while attempts > 0. */
  window?: CounterWindow;
  /** First sample of the current run at the maximum; undefined below it. */
  atMaxSince?: number;
  /** Two points of the current window the rate is measured from (see `project`). */
  anchors?: { older: Point; newer: Point };
}

export interface Step {
  state: CounterState;
  trip: boolean;
  change?: WindowChange;
}

/** DreamFactory refuses a call when attempts >= max (a rate of 0 or less refuses everything). */
export const isAtMax = (attempts: number, max: number) => attempts >= max;

/** The rate behind a projection is measured over the last 10 to 20 minutes of the window (or since it started). */
export const RATE_LOOKBACK_MS = 10 * 60_000;

export const PROJECTION_METHOD =
  'Estimate: a straight line through the counter’s growth over the last 10–20 minutes of its current window ' +
  '(since the window started, if that is more recent), extended until it reaches the limit. The window’s own start ' +
  'is known only to within one sampling interval.';

function anchorsFor(window: CounterWindow | undefined, observation: Observation): CounterState['anchors'] {
  if (!window) {
    return undefined;
  }
  // With a known start, the window's first call lies between the two samples: the midpoint at 0 calls.
  const start =
    window.startedAfter === undefined ? observation : { at: (window.startedAfter + window.startedBy) / 2, attempts: 0 };
  return { older: { at: start.at, attempts: start.attempts }, newer: { at: start.at, attempts: start.attempts } };
}

/** A counter whose window starts (or is first seen) at this observation. */
export function startState(observation: Observation, window: CounterWindow | undefined): CounterState {
  return {
    at: observation.at,
    attempts: observation.attempts,
    max: observation.max,
    window,
    atMaxSince: window && isAtMax(observation.attempts, observation.max) ? observation.at : undefined,
    anchors: anchorsFor(window, observation),
  };
}

/** Whether the previous window is over, and how: `reset` when it cannot have run out on its own. */
function windowOver(previous: CounterState, observation: Observation, periodMs: number): WindowChange | undefined {
  if (!previous.window) {
    return undefined;
  }
  const known = periodMs > 0;
  if (observation.attempts < previous.attempts) {
    const after = previous.window.startedAfter;
    // The window's first call came after `after`, so it runs past `after` + period.
    return known && after !== undefined && observation.at <= after + periodMs ? 'reset' : 'ended';
  }
  const longest = previous.atMaxSince === undefined ? periodMs : 2 * periodMs;
  return known && observation.at >= previous.window.startedBy + longest ? 'ended' : undefined;
}

export function advance(previous: CounterState | undefined, observation: Observation, periodMs: number): Step {
  const inUse = observation.attempts > 0;
  if (!previous) {
    const state = startState(observation, inUse ? { startedBy: observation.at } : undefined);
    return { state, trip: state.atMaxSince !== undefined };
  }
  const over = windowOver(previous, observation, periodMs);
  if (over || (!previous.window && inUse)) {
    const state = startState(observation, inUse ? { startedAfter: previous.at, startedBy: observation.at } : undefined);
    return { state, trip: state.atMaxSince !== undefined, change: over ?? 'started' };
  }
  if (!inUse) {
    return { state: startState(observation, undefined), trip: false };
  }
  const atMax = isAtMax(observation.attempts, observation.max);
  const trip = atMax && previous.atMaxSince === undefined;
  let anchors = previous.anchors;
  if (anchors && observation.at - anchors.newer.at >= RATE_LOOKBACK_MS) {
    anchors = { older: anchors.newer, newer: { at: observation.at, attempts: observation.attempts } };
  }
  return {
    state: {
      at: observation.at,
      attempts: observation.attempts,
      max: observation.max,
      window: previous.window,
      atMaxSince: atMax ? (previous.atMaxSince ?? observation.at) : undefined,
      anchors,
    },
    trip,
  };
}

/** The latest the counter's current window can end (a lockout may outlast it). */
export function windowEndsBy(state: CounterState, periodMs: number): number | undefined {
  return state.window && periodMs > 0 ? state.window.startedBy + periodMs : undefined;
}

export interface Projection {
  ratePerHour: number;
  /** When the counter reaches its maximum at that rate; undefined when it is not rising. */
  tripsAt?: number;
  /** True when `tripsAt` comes before the window can reset. */
  inWindow: boolean;
}

/** "At the current rate, trips at …" for a counter in use and below its maximum (see PROJECTION_METHOD). */
export function project(state: CounterState, periodMs: number): Projection | undefined {
  if (!state.anchors || state.atMaxSince !== undefined) {
    return undefined;
  }
  const from = state.anchors.older;
  const elapsed = state.at - from.at;
  if (elapsed <= 0) {
    return undefined;
  }
  const perMs = (state.attempts - from.attempts) / elapsed;
  if (perMs <= 0) {
    return { ratePerHour: 0, inWindow: false };
  }
  const tripsAt = Math.round(state.at + (state.max - state.attempts) / perMs);
  const endsBy = windowEndsBy(state, periodMs);
  return { ratePerHour: perMs * 3_600_000, tripsAt, inWindow: endsBy === undefined || tripsAt < endsBy };
}
