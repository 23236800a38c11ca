import type { LimitView } from '@shared/limits-api';
import type { DfLimitCacheEntry } from '../dreamfactory/limits';
import { documentId, type CounterDocument, type LimitDocument, type LimitHistoryDocument } from './document';
import { readCounters } from './readings';
import { EMPTY_MEMORY, gapDocument, restoreMemory, sampleDocuments, type SamplerMemory } from './sample';
import { directoryOf, limitView } from './testing/fixtures';

const S = 1000;
const T0 = Date.parse('2026-03-02T09:00:00Z');
const directory = directoryOf([
  { id: '7', email: 'ada@example.com', name: 'Ada' },
  { id: '8', email: 'ben@example.com', name: 'Ben' },
]);

/** An each-user limit's cache entries: attempts per user id. */
const eachUser = (
  limitId: number,
  max: number,
  attempts: Record<number, number>,
  period = 'hour'
): DfLimitCacheEntry[] =>
  Object.entries(attempts).map(([user, n]) => ({
    id: limitId,
    key: `instance.each_user:${user}.${period}`,
    max,
    attempts: n,
    remaining: max - n,
  }));

/** Runs samples at the given seconds after T0 through one memory, returning each sample's documents. */
function runSamples(
  limits: LimitView[],
  samples: Array<[number, DfLimitCacheEntry[]]>,
  memory: SamplerMemory = { ...EMPTY_MEMORY, lastSampleAt: T0 - 30 * S }
) {
  const out: Array<{ docs: LimitHistoryDocument[]; trips: number; memory: SamplerMemory }> = [];
  for (const [seconds, cache] of samples) {
    const result = sampleDocuments(T0 + seconds * S, readCounters(limits, cache, directory), memory);
    memory = result.memory;
    out.push({ docs: result.documents, trips: result.trips, memory });
  }
  return out;
}

const counters = (docs: LimitHistoryDocument[]) => docs.filter((d): d is CounterDocument => d.kind === 'counter');
const limitDoc = (docs: LimitHistoryDocument[], id: number) =>
  docs.find((d): d is LimitDocument => d.kind === 'limit' && d.limit.id === id)!;
/** A compact view of the counter documents: `user:attempts` plus `!` for a trip. */
const stored = (docs: LimitHistoryDocument[]) =>
  counters(docs).map((d) => `${d.user?.id ?? '-'}:${d.counter.attempts}${d.trip ? '!' : ''}`);

const FAIR_USE = limitView({ id: 1, type: 'instance.each_user', rate: 10, keyText: 'instance.each_user:.hour' });

describe('sample documents', () => {
  it('writes one document per each-user counter in use, none for idle ones, and one per limit', () => {
    const [first] = runSamples([FAIR_USE], [[0, eachUser(1, 10, { 7: 4, 8: 0, 9: 10 })]]);
    expect(stored(first.docs)).toEqual(['7:4', '9:10!']);
    expect(limitDoc(first.docs, 1)).toMatchObject({
      kind: 'limit',
      usage: 1,
      counters: { total: 3, in_use: 2, at_max: 1, tripped: 1 },
      busiest: { key: 'instance.each_user:9.hour', user_id: '9', user_label: '9' },
    });
    const ada = counters(first.docs)[0];
    expect(ada).toMatchObject({
      '@timestamp': '2026-03-02T09:00:00.000Z',
      limit: {
        id: 1,
        name: 'Limit 1',
        type: 'instance.each_user',
        period: 'hour',
        period_seconds: 3600,
        rate: 10,
        active: true,
      },
      user: { id: '7', name: 'Ada', email: 'ada@example.com' },
      usage: 0.4,
      counter: { id: '1/instance.each_user:7.hour', attempts: 4, max: 10, remaining: 6, locked_out: false },
      trip: false,
      window: {
        change: 'started',
        started_after: '2026-03-02T08:59:30.000Z',
        started_by: '2026-03-02T09:00:00.000Z',
        ends_by: '2026-03-02T10:00:00.000Z',
      },
      previous_sample_at: '2026-03-02T08:59:30.000Z',
    });
  });

  it('shows a trip exactly once however long the counter stays at its maximum', () => {
    const samples = runSamples(
      [FAIR_USE],
      [0, 30, 60, 90, 120].map((t, i) => [t, eachUser(1, 10, { 7: Math.min(10, 4 * i) })])
    );
    expect(samples.map((s) => stored(s.docs))).toEqual([[], ['7:4'], ['7:8'], ['7:10!'], ['7:10']]);
    expect(samples.reduce((sum, s) => sum + s.trips, 0)).toBe(1);
    expect(counters(samples[4].docs)[0].counter).toMatchObject({
      locked_out: true,
      at_max_since: '2026-03-02T09:01:30.000Z',
    });
  });

  it('stores a counter that dropped to 0 once (with why), then stops storing it', () => {
    const samples = runSamples(
      [FAIR_USE],
      [
        [0, eachUser(1, 10, { 7: 6 })],
        [30, eachUser(1, 10, { 7: 0 })],
        [60, eachUser(1, 10, { 7: 0 })],
      ]
    );
    expect(samples.map((s) => stored(s.docs))).toEqual([['7:6'], ['7:0'], []]);
    expect(counters(samples[1].docs)[0].window).toEqual({ change: 'reset' });
    expect(samples[2].memory.counters.size).toBe(0);
  });

  it('treats a user appearing at the maximum as a trip, and a user vanishing and coming back as the same run', () => {
    const samples = runSamples(
      [FAIR_USE],
      [
        [0, eachUser(1, 10, { 7: 10 })],
        // User 7 deactivated: gone from limit_cache; user 8 created and already at the maximum.
        [30, eachUser(1, 10, { 8: 10 })],
        [60, eachUser(1, 10, { 7: 10, 8: 10 })],
      ]
    );
    expect(samples.map((s) => stored(s.docs))).toEqual([['7:10!'], ['8:10!'], ['7:10', '8:10']]);
    expect(samples[1].memory.counters.has('1/instance.each_user:7.hour')).toBe(true);
  });

  it('forgets a vanished counter once its window and lockout are certainly over, and counters of deleted limits', () => {
    const [, later] = runSamples(
      [FAIR_USE],
      [
        [0, eachUser(1, 10, { 7: 10 })],
        [2 * 3600 + 1, []],
      ]
    );
    expect(later.memory.counters.size).toBe(0);
    const [, deleted] = runSamples(
      [FAIR_USE],
      [
        [0, eachUser(1, 10, { 7: 3 })],
        [30, []],
      ]
    );
    expect(deleted.memory.counters.size).toBe(1);
    const gone = sampleDocuments(T0 + 60 * S, readCounters([], [], directory), deleted.memory);
    expect(gone.memory.counters.size).toBe(0);
    expect(gone.documents).toEqual([]);
  });

  it('treats every counter as seen first on the very first sample', () => {
    const [first] = runSamples([FAIR_USE], [[0, eachUser(1, 10, { 7: 10, 8: 2 })]], EMPTY_MEMORY);
    expect(stored(first.docs)).toEqual(['7:10!', '8:2']);
    expect(counters(first.docs)[1]).not.toHaveProperty('previous_sample_at');
    expect(counters(first.docs)[1].window).toEqual({
      started_by: '2026-03-02T09:00:00.000Z',
      ends_by: '2026-03-02T10:00:00.000Z',
    });
  });

  it('puts the nearest projected trip of its counters on the limit document', () => {
    const limit = limitView({
      id: 1,
      type: 'instance.each_user',
      rate: 100,
      period: 'day',
      keyText: 'instance.each_user:.day',
    });
    const [, second] = runSamples(
      [limit],
      [
        [0, eachUser(1, 100, { 7: 10, 8: 1 }, 'day')],
        [60, eachUser(1, 100, { 7: 40, 8: 2 }, 'day')],
      ]
    );
    // Ada's window began between 08:59:30 and 09:00:00 (taken as 08:59:45): 40 calls in 75 s is 1,920 an hour, so
    // the remaining 60 take 112.5 s. Ben's 2 calls in 75 s: 96 an hour, his remaining 98 take 61 min 15 s.
    const ada = { rate_per_hour: 1920, trips_at: '2026-03-02T09:02:52.500Z', in_window: true };
    expect(limitDoc(second.docs, 1).projection).toEqual({
      ...ada,
      key: 'instance.each_user:7.day',
      user_id: '7',
      user_label: 'ada@example.com',
    });
    expect(counters(second.docs).map((d) => d.projection)).toEqual([
      ada,
      { rate_per_hour: 96, trips_at: '2026-03-02T10:02:15.000Z', in_window: true },
    ]);
  });

  it('writes a limit document for a limit without counters, with usage 0', () => {
    const [first] = runSamples(
      [limitView({ id: 5, type: 'instance.service', serviceId: 3, serviceName: 'files' })],
      [[0, []]]
    );
    expect(first.docs).toEqual([
      expect.objectContaining({
        kind: 'limit',
        usage: 0,
        counters: { total: 0, in_use: 0, at_max: 0, tripped: 0 },
        service: { id: 3, name: 'files' },
      }),
    ]);
  });

  it('resumes after a restart from the stored last sample: a trip in progress is not counted again', () => {
    const [, second] = runSamples(
      [FAIR_USE],
      [
        [0, eachUser(1, 10, { 7: 3, 8: 0 })],
        [30, eachUser(1, 10, { 7: 10, 8: 0 })],
      ]
    );
    const restored = restoreMemory(T0 + 30 * S, counters(second.docs));
    const [afterRestart] = runSamples([FAIR_USE], [[60, eachUser(1, 10, { 7: 10, 8: 10 })]], restored);
    expect(stored(afterRestart.docs)).toEqual(['7:10', '8:10!']);
    expect(restored.counters.get('1/instance.each_user:7.hour')).toMatchObject({
      window: { startedAfter: T0 - 30 * S, startedBy: T0 },
      atMaxSince: T0 + 30 * S,
    });
  });

  it('gives a retried sample the same ids and another sample new ones', () => {
    const read = readCounters([FAIR_USE], eachUser(1, 10, { 7: 4 }), directory);
    const ids = (at: number) => sampleDocuments(at, read, EMPTY_MEMORY).documents.map(documentId);
    expect(ids(T0)).toEqual(ids(T0));
    expect(new Set([...ids(T0), ...ids(T0 + S)]).size).toBe(4);
  });

  it('records a failed sample as a gap with its reason, never as zeros', () => {
    expect(
      gapDocument(T0, 'DreamFactory is unreachable at http://df:80: timed out after 15000 ms', T0 - 30 * S)
    ).toEqual({
      '@timestamp': '2026-03-02T09:00:00.000Z',
      kind: 'gap',
      gap: {
        reason: 'DreamFactory is unreachable at http://df:80: timed out after 15000 ms',
        last_sample_at: '2026-03-02T08:59:30.000Z',
      },
    });
  });
});
