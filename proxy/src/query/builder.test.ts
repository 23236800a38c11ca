import { dimension, type TimeseriesQuery } from '@shared/query';
import { buildTimeseriesSearch, decodeCursor, encodeCursor, eventQuery, parseRange, pickInterval, QueryInputError } from './builder';

const range = parseRange({ from: '2026-11-20T00:00:00Z', to: '2026-11-21T00:00:00Z' });
const day = { range };

describe('query builder', () => {
  it('refuses ranges users can fix, naming them', () => {
    expect(() => parseRange({ from: 'yesterday', to: '2026-11-21T00:00:00Z' })).toThrow('Invalid time range "yesterday"');
    expect(() => parseRange({ from: '2026-11-22T00:00:00Z', to: '2026-11-21T00:00:00Z' })).toThrow('is after to');
  });

  it('selects anonymous events (no user id) alongside listed users', () => {
    const query = eventQuery(range, { users: ['3', 'anonymous'], methods: ['get'], services: [' '] });
    expect(query.bool?.filter).toEqual([
      expect.objectContaining({ range: expect.anything() }),
      {
        bool: {
          should: [{ terms: { 'user.id': ['3'] } }, { bool: { must_not: [{ exists: { field: 'user.id' } }] } }],
          minimum_should_match: 1,
        },
      },
      { terms: { 'event.request.method': ['GET'] } },
    ]);
    expect(eventQuery(range, { users: ['anonymous'] }).bool?.filter).toContainEqual({ bool: { must_not: [{ exists: { field: 'user.id' } }] } });
    // "All" from a template variable: no filter at all.
    expect(eventQuery(range, { users: ['7', '*'], services: ['*'] }).bool?.filter).toHaveLength(1);
  });

  it('picks a nice auto interval from the panel and widens it to stay under the bucket cap', () => {
    expect(pickInterval({ ...day, intervalMs: 20000, maxDataPoints: 5000 }, 1, 'auto')).toEqual({ interval: '30s', intervalMs: 30000 });
    expect(pickInterval({ ...day, maxDataPoints: 1000 }, 1, 'auto').interval).toBe('2m');
    expect(pickInterval({ ...day, intervalMs: 1000 }, 1, 'auto').interval).toBe('2s');
    // 24 h at 1 s is 86,400 buckets: over the cap even for one series.
    expect(pickInterval({ ...day, intervalMs: 1000 }, 1, 'auto').intervalMs * 60000).toBeGreaterThanOrEqual(86400000);
    const year = parseRange({ from: '2020-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' });
    expect(pickInterval({ range: year, maxDataPoints: 10 }, 1, 'auto')).toEqual({ interval: '220d', intervalMs: 220 * 86400000 });
  });

  it('refuses a fixed interval that would exceed the bucket cap, and bad interval strings', () => {
    const query: TimeseriesQuery = { refId: 'A', queryType: 'timeseries', splitBy: dimension('user', 100), interval: '10s', emptyBuckets: 'null' };
    expect(() => buildTimeseriesSearch(day, query)).toThrow(QueryInputError);
    expect(() => buildTimeseriesSearch(day, query)).toThrow('8640 buckets × 101 series');
    expect(() => buildTimeseriesSearch(day, { ...query, interval: '5 minutes' })).toThrow('Invalid interval "5 minutes"');
    expect(buildTimeseriesSearch(day, { ...query, interval: '1h' }).intervalMs).toBe(3600000);
  });

  it('round-trips the logs cursor and refuses tampered ones', () => {
    const cursor = { pitId: 'abc', searchAfter: [1763596800000, 42] };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor(undefined)).toBeUndefined();
    expect(decodeCursor([])).toBeUndefined();
    expect(decodeCursor(['abc', 1763596800000, 'k2Xv3Q'])).toEqual({ pitId: 'abc', searchAfter: [1763596800000, 'k2Xv3Q'] });
    for (const bad of [[1, 2, 3], ['abc', 'x', 1], ['abc', 1], ['abc', 1, ''], ['abc', 1, 2, 3]]) {
      expect(() => decodeCursor(bad)).toThrow('Invalid logs cursor');
    }
  });
});
