/**
 * The page's readers over frames the proxy really answers: the golden frames recorded from real Elasticsearch for
 * the limit-history query types (proxy/src/query/__golden__, six hours of samples of four limits).
 */
import type { FrameJSON } from '@shared/query';
import forecastLimits from '../../../../proxy/src/query/__golden__/limit-forecast-limits-all.frames.json';
import forecastCounters from '../../../../proxy/src/query/__golden__/limit-forecast-counters-near.frames.json';
import forecastOutage from '../../../../proxy/src/query/__golden__/limit-forecast-during-outage.frames.json';
import usageByLimitFrames from '../../../../proxy/src/query/__golden__/limit-usage-by-limit.frames.json';
import {
  describeLimitProjection,
  describeProjection,
  forecastByLimit,
  historyOfLimit,
  nearLimitRows,
  readForecastMeta,
  usageByLimit,
} from './limitHistory';

const frame = (frames: unknown) => (frames as FrameJSON[])[0];
const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16);

describe('limit history readers', () => {
  it('read each limit’s usage series, null where DreamFactory could not be sampled', () => {
    const usage = usageByLimit(frame(usageByLimitFrames));
    expect([...usage.keys()]).toEqual([1, 2, 3, 4]);
    const fairUse = usage.get(1)!;
    expect(fairUse.slice(0, 3).map((p) => [clock(p.time), p.usage])).toEqual([
      ['06:00', 0.15],
      ['06:30', 0.33],
      ['07:00', 0.51],
    ]);
    // 09:00–09:30 was the outage.
    expect(fairUse.find((p) => clock(p.time) === '09:00')?.usage).toBeNull();
    expect(usage.get(4)!.every((p) => p.usage === 0 || p.usage === null)).toBe(true);
  });

  it('read one forecast per limit: the busiest counter, and the nearest projected trip with whose counter it is', () => {
    const forecast = forecastByLimit(frame(forecastLimits));
    expect(forecast.get(1)).toEqual({
      usage: 1,
      user: 'user3@example.com',
      countersAtMax: 1,
      ratePerHour: 24,
      tripsAt: Date.parse('2026-11-20T14:20:00Z'),
      inWindow: true,
      projectedFor: 'user4@example.com',
    });
    expect(forecast.get(4)).toMatchObject({ usage: 0, tripsAt: null, user: null });
    expect(readForecastMeta(frame(forecastLimits))).toEqual({
      sampledAt: '2026-11-20T08:50:00.000Z',
      projectionMethod: expect.stringMatching(/^Estimate: /),
      notices: [],
    });
  });

  it('read counters near their limits, most urgent first, and keep the proxy’s word on an outage', () => {
    const rows = nearLimitRows(frame(forecastCounters));
    expect(rows.map((r) => [r.key, r.limit, r.user, r.usage, r.lockedOut])).toEqual([
      ['1/3', 'Fair use per user', 'user3@example.com', 1, true],
      ['2/3', 'Orders API', 'user3@example.com', 1, true],
      ['1/4', 'Fair use per user', 'user4@example.com', 0.34, false],
    ]);
    expect(readForecastMeta(frame(forecastOutage)).notices).toEqual([
      expect.stringContaining('DreamFactory could not be read at 2026-11-20T09:15:00.000Z'),
    ]);
  });

  it.each([
    [
      { usage: 1, tripsAt: null, inWindow: false, ratePerHour: null, atMaxSince: Date.parse('2026-11-20T08:45:00Z') },
      'at-limit',
      'At its limit since 08:45',
    ],
    [
      { usage: 0.34, tripsAt: Date.parse('2026-11-20T14:20:00Z'), inWindow: true, ratePerHour: 24 },
      'projected',
      'Estimate: at the current rate, trips at 14:20',
    ],
    [
      { usage: 0.09, tripsAt: Date.parse('2026-11-21T15:20:00Z'), inWindow: false, ratePerHour: 6 },
      'resets-first',
      'Estimate: its window resets before it would trip',
    ],
    [{ usage: 0.5, tripsAt: null, inWindow: false, ratePerHour: 0 }, 'not-rising', 'Not rising in this window'],
    [{ usage: 0, tripsAt: null, inWindow: false, ratePerHour: null }, 'idle', 'Not in use'],
  ])('word a projection as an estimate: %j → %s', (state, kind, text) => {
    expect(describeProjection(state, clock)).toEqual({ kind, text });
  });

  it('say a limit in use with no counter projected to trip in its window is not expected to trip', () => {
    const forecast = forecastByLimit(frame(forecastLimits));
    expect(describeLimitProjection(forecast.get(3)!, clock)).toEqual({
      kind: 'no-trip-expected',
      text: 'Estimate: not expected to trip in this window',
    });
    expect(describeLimitProjection(forecast.get(1)!, clock).kind).toBe('at-limit');
    expect(describeLimitProjection(forecast.get(4)!, clock).kind).toBe('idle');
  });

  it('give a limit without history an empty series and no trips once the history is loaded', () => {
    const overview = { usage: new Map(), trips: new Map([[2, 6]]), forecast: new Map(), notices: [] };
    expect(historyOfLimit(undefined, 1)).toBeUndefined();
    expect(historyOfLimit(overview, 2)).toEqual({ usage: [], trips: 6, forecast: undefined });
  });
});
