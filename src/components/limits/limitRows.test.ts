import { counterLevel, summarizeCounters } from './counterSummary';
import { filterRows, toLimitRows } from './limitRows';
import { counter, limitView } from './testing/relayMock';

describe('counter colours', () => {
  it.each([
    [0, 100, 'ok'],
    [74, 100, 'ok'],
    [75, 100, 'warning'],
    [89, 100, 'warning'],
    [90, 100, 'critical'],
    [100, 100, 'critical'],
    [0, 0, 'ok'],
  ])('%i of %i is %s', (attempts, max, level) => {
    expect(counterLevel(attempts, max)).toBe(level);
  });
});

describe('counter summary', () => {
  it('shows an unused limit as 0 of its rate', () => {
    expect(summarizeCounters({ rate: 30, counters: [] }, false)).toEqual({ attempts: 0, max: 30 });
  });

  it('shows the busiest user of an each-user limit, with the aggregate', () => {
    const counters = [counter(3, 'a', 4, 10), counter(3, 'b', 9, 10), counter(3, 'c', 1, 10)];
    expect(summarizeCounters({ rate: 10, counters }, true)).toEqual({
      attempts: 9,
      max: 10,
      perUser: { users: 3, totalAttempts: 14 },
    });
  });
});

describe('limit rows', () => {
  const rows = toLimitRows([
    limitView({ id: 1, name: 'Week cap', type: 'instance', rate: 7000, period: '7-day' }),
    limitView({
      id: 2,
      name: 'Long',
      type: 'instance.service',
      rate: 5,
      period: '30-day',
      serviceId: 4,
      serviceName: 'db',
    }),
    limitView({ id: 3, name: 'Gone', type: 'instance.role', roleId: 9 }),
  ]);

  it('words rates with the admin UI period names and compares them per second', () => {
    expect(rows.map((r) => r.rateText)).toEqual(['7000 / week', '5 / 30 days', '100 / hour']);
    expect(rows[1].ratePerSecond).toBeCloseTo(5 / 18144000);
  });

  it('keeps a limit’s own quirks as notes, apart from warnings about other limits', () => {
    expect(rows[1].notes).toEqual([expect.stringContaining('lasts 210 days')]);
    expect(rows[1].warnings).toEqual([]);
    expect(rows[0].notes).toEqual([]);
  });

  it('shows the id of a role DreamFactory no longer names', () => {
    expect(rows[2].roleName).toBe('#9');
  });

  it('searches names, types and related names case-insensitively', () => {
    expect(filterRows(rows, 'DB').map((r) => r.id)).toEqual([2]);
    expect(filterRows(rows, 'role').map((r) => r.id)).toEqual([3]);
    expect(filterRows(rows, ' ').map((r) => r.id)).toEqual([1, 2, 3]);
  });
});
