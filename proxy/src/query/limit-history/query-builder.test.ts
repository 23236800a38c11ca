import { defaultQuery, type LimitUsageQuery } from '@shared/query';
import { parseRange, QueryInputError } from '../builder';
import { buildLimitUsageSearch, limitFilters, usageSource } from './query-builder';

const day = { range: parseRange({ from: '2026-11-20T00:00:00Z', to: '2026-11-21T00:00:00Z' }), maxDataPoints: 96 };
const usage = (overrides: Partial<LimitUsageQuery>) => ({
  ...(defaultQuery('limitUsage') as LimitUsageQuery),
  ...overrides,
});

describe('limit history search builder', () => {
  it('reads usage from limit documents unless users are filtered or split out', () => {
    expect(usageSource(usage({ splitBy: 'limit' }))).toBe('limit');
    expect(usageSource(usage({ splitBy: 'service' }))).toBe('limit');
    expect(usageSource(usage({ splitBy: 'user' }))).toBe('counter');
    expect(usageSource(usage({ splitBy: 'counter' }))).toBe('counter');
    expect(usageSource(usage({ splitBy: 'limit', filters: { users: ['7'] } }))).toBe('counter');
    expect(usageSource(usage({ splitBy: 'limit', filters: { users: ['*'] } }))).toBe('limit');
  });

  it('selects the limits that apply to a filter value: that value, or none at all', () => {
    expect(limitFilters({ users: ['7'], methods: ['get'] }, [3])).toEqual([
      {
        bool: {
          should: [{ terms: { 'user.id': ['7'] } }, { bool: { must_not: [{ exists: { field: 'user.id' } }] } }],
          minimum_should_match: 1,
        },
      },
      {
        bool: {
          should: [{ terms: { 'limit.verb': ['GET'] } }, { bool: { must_not: [{ exists: { field: 'limit.verb' } }] } }],
          minimum_should_match: 1,
        },
      },
      { terms: { 'limit.id': [3] } },
    ]);
    // API-key-only calls are counted by the limits not tied to a user.
    expect(limitFilters({ users: ['anonymous'] })).toEqual([
      { bool: { must_not: [{ exists: { field: 'user.id' } }] } },
    ]);
    expect(limitFilters({ services: ['*'], statusClasses: ['5xx'] })).toEqual([]);
  });

  it('widens an automatic interval so many series stay under the bucket cap, and refuses a fixed one that would not', () => {
    expect(buildLimitUsageSearch(day, usage({ splitBy: 'limit', size: 3 })).interval).toBe('15m');
    expect(buildLimitUsageSearch(day, usage({ splitBy: 'limit', size: 1000 })).interval).toBe('30m');
    expect(() => buildLimitUsageSearch(day, usage({ splitBy: 'limit', size: 10000, interval: '15m' }))).toThrow(
      QueryInputError
    );
  });
});
