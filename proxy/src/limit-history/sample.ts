/**
 * Pure: one sample (a reading of every counter at one time) → the documents to index, given what the sampler
 * remembers of the previous sample; and the gap document for a sample that failed.
 *
 * The memory holds only counters in use (attempts > 0), plus counters that vanished from `limit_cache` while in use
 * (an each-user counter whose user was deactivated) until their window is certainly over. Any other counter was at 0
 * at `lastSampleAt`, which is what lets idle counters go unstored and still be compared correctly.
 */
import {
  advance,
  isAtMax,
  project,
  startState,
  windowEndsBy,
  type CounterState,
  type Projection,
  type Step,
} from './counter-state';
import {
  iso,
  type CounterDocument,
  type CounterUser,
  type GapDocument,
  type LimitDocument,
  type LimitHistoryDocument,
  type ProjectionFields,
} from './document';
import type { CounterReading, LimitMeta, Reading } from './readings';

export interface SamplerMemory {
  /** Time of the last successful sample; undefined before the first (then every counter is seen for the first time). */
  lastSampleAt?: number;
  /** Counters in use at `lastSampleAt` (and recently vanished ones), by counter id. */
  counters: ReadonlyMap<string, CounterState>;
}

export const EMPTY_MEMORY: SamplerMemory = { counters: new Map() };

export interface SampleResult {
  documents: LimitHistoryDocument[];
  memory: SamplerMemory;
  trips: number;
}

const usageOf = (attempts: number, max: number) => (max > 0 ? attempts / max : 1);

function projectionFields(projection: Projection): ProjectionFields {
  return {
    rate_per_hour: projection.ratePerHour,
    ...(projection.tripsAt !== undefined ? { trips_at: iso(projection.tripsAt) } : {}),
    in_window: projection.inWindow,
  };
}

interface CounterOutcome {
  reading: CounterReading;
  step: Step;
  projection?: Projection;
}

function counterDocument(
  at: number,
  { reading, step, projection }: CounterOutcome,
  previousAt: number | undefined
): CounterDocument {
  const { state } = step;
  const window = state.window;
  const endsBy = windowEndsBy(state, reading.limit.periodMs);
  return {
    '@timestamp': iso(at),
    kind: 'counter',
    limit: reading.limit.fields,
    ...reading.party,
    usage: usageOf(reading.attempts, reading.max),
    counter: {
      id: reading.id,
      key: reading.key,
      attempts: reading.attempts,
      max: reading.max,
      remaining: reading.remaining,
      locked_out: isAtMax(reading.attempts, reading.max),
      ...(state.atMaxSince !== undefined ? { at_max_since: iso(state.atMaxSince) } : {}),
    },
    trip: step.trip,
    window: {
      ...(step.change ? { change: step.change } : {}),
      ...(window?.startedAfter !== undefined ? { started_after: iso(window.startedAfter) } : {}),
      ...(window ? { started_by: iso(window.startedBy) } : {}),
      ...(endsBy !== undefined ? { ends_by: iso(endsBy) } : {}),
    },
    ...(projection ? { projection: projectionFields(projection) } : {}),
    ...(previousAt !== undefined ? { previous_sample_at: iso(previousAt) } : {}),
  };
}

function limitDocument(at: number, limit: LimitMeta, outcomes: CounterOutcome[]): LimitDocument {
  let busiest: CounterOutcome | undefined;
  let nearest: CounterOutcome | undefined;
  const counters = { total: outcomes.length, in_use: 0, at_max: 0, tripped: 0 };
  for (const outcome of outcomes) {
    const { reading, step, projection } = outcome;
    counters.in_use += reading.attempts > 0 ? 1 : 0;
    counters.at_max += step.state.atMaxSince !== undefined ? 1 : 0;
    counters.tripped += step.trip ? 1 : 0;
    if (
      reading.attempts > 0 &&
      (!busiest || usageOf(reading.attempts, reading.max) > usageOf(busiest.reading.attempts, busiest.reading.max))
    ) {
      busiest = outcome;
    }
    if (
      projection?.inWindow &&
      projection.tripsAt !== undefined &&
      (!nearest || projection.tripsAt < nearest.projection!.tripsAt!)
    ) {
      nearest = outcome;
    }
  }
  const userOf = (outcome: CounterOutcome): CounterUser => {
    const user = limit.eachUser ? outcome.reading.party.user : undefined;
    return user ? { user_id: user.id, user_label: user.email ?? user.name ?? user.id } : {};
  };
  return {
    '@timestamp': iso(at),
    kind: 'limit',
    limit: limit.fields,
    ...limit.party,
    usage: busiest ? usageOf(busiest.reading.attempts, busiest.reading.max) : 0,
    counters,
    ...(busiest ? { busiest: { key: busiest.reading.key, ...userOf(busiest) } } : {}),
    ...(nearest
      ? {
          projection: {
            ...projectionFields(nearest.projection!),
            key: nearest.reading.key,
            ...userOf(nearest),
          },
        }
      : {}),
  };
}

/** A counter that vanished while in use is remembered until its window (and a lockout after it) is certainly over. */
function stillRelevant(state: CounterState, at: number, periodMs: number): boolean {
  return periodMs > 0 && at < (state.window?.startedBy ?? state.at) + 2 * periodMs;
}

export function sampleDocuments(at: number, reading: Reading, memory: SamplerMemory): SampleResult {
  const next = new Map<string, CounterState>();
  const counterDocs: CounterDocument[] = [];
  const byLimit = new Map<number, CounterOutcome[]>(reading.limits.map((limit) => [limit.fields.id, []]));
  let trips = 0;
  for (const counter of reading.counters) {
    const remembered = memory.counters.get(counter.id);
    // Not remembered but sampled before: it was idle (0 attempts) then.
    const previous =
      remembered ??
      (memory.lastSampleAt !== undefined ? { at: memory.lastSampleAt, attempts: 0, max: counter.max } : undefined);
    const step = advance(previous, { at, attempts: counter.attempts, max: counter.max }, counter.limit.periodMs);
    const outcome: CounterOutcome = { reading: counter, step, projection: project(step.state, counter.limit.periodMs) };
    byLimit.get(counter.limit.fields.id)?.push(outcome);
    if (counter.attempts > 0 || (previous?.attempts ?? 0) > 0) {
      counterDocs.push(counterDocument(at, outcome, previous?.at));
    }
    if (counter.attempts > 0) {
      next.set(counter.id, step.state);
    }
    trips += step.trip ? 1 : 0;
  }
  const periods = new Map(reading.limits.map((limit) => [limit.fields.id, limit.periodMs]));
  const read = new Set(reading.counters.map((counter) => counter.id));
  for (const [id, state] of memory.counters) {
    // Counter ids are `<limit id>/<key>`; a vanished counter of a deleted limit is forgotten.
    const periodMs = periods.get(Number(id.slice(0, id.indexOf('/'))));
    if (!read.has(id) && periodMs !== undefined && stillRelevant(state, at, periodMs)) {
      next.set(id, state);
    }
  }
  const limitDocs = reading.limits.map((limit) => limitDocument(at, limit, byLimit.get(limit.fields.id) ?? []));
  return { documents: [...limitDocs, ...counterDocs], memory: { lastSampleAt: at, counters: next }, trips };
}

export function gapDocument(at: number, reason: string, lastSampleAt: number | undefined): GapDocument {
  return {
    '@timestamp': iso(at),
    kind: 'gap',
    gap: { reason, ...(lastSampleAt !== undefined ? { last_sample_at: iso(lastSampleAt) } : {}) },
  };
}

/**
 * The memory as it was at the last stored sample (`lastSampleAt`, from its limit documents), rebuilt from that sample's
 * counter documents, so a restarted proxy does not count a trip in progress again.
 */
export function restoreMemory(lastSampleAt: number, documents: readonly CounterDocument[]): SamplerMemory {
  const counters = new Map<string, CounterState>();
  for (const doc of documents) {
    if (doc.counter.attempts <= 0) {
      continue;
    }
    const { started_after, started_by } = doc.window;
    const window = started_by
      ? { startedAfter: started_after ? Date.parse(started_after) : undefined, startedBy: Date.parse(started_by) }
      : undefined;
    const state = startState(
      { at: Date.parse(doc['@timestamp']), attempts: doc.counter.attempts, max: doc.counter.max },
      window
    );
    counters.set(doc.counter.id, {
      ...state,
      atMaxSince: doc.counter.at_max_since ? Date.parse(doc.counter.at_max_since) : undefined,
    });
  }
  return { lastSampleAt, counters };
}
