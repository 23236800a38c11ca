import { dailyIndexDay, expiredDailyIndices } from './retention';

const NOW = new Date('2026-03-01T23:59:00Z');

describe('expiredDailyIndices', () => {
  it('keeps today and the days-1 days before, like ILM min_age from the date in the name', () => {
    const names = ['p-2026.02.28', 'p-2026.02.01', 'p-2026.01.31', 'p-2026.01.30', 'p-2026.03.01'];
    // 30 days: 2026.01.31 + 30 d = 2026.03.02 > today, kept; 2026.01.30 + 30 d = 2026.03.01, expired.
    expect(expiredDailyIndices(names, 'p-', 30, NOW)).toEqual(['p-2026.01.30']);
    expect(expiredDailyIndices(names, 'p-', 1, NOW)).toEqual(['p-2026.01.30', 'p-2026.01.31', 'p-2026.02.01', 'p-2026.02.28']);
  });

  it('never touches names outside the exact daily pattern of its prefix', () => {
    const names = ['p-2020.01.01-restored', 'p-2020.1.1', 'p-archive', 'q-2020.01.01', 'xp-2020.01.01', 'p-2020.02.30', 'p-2020.13.01'];
    expect(expiredDailyIndices(names, 'p-', 1, NOW)).toEqual([]);
  });

  it('reads prefixes literally (a dot is not a wildcard)', () => {
    expect(dailyIndexDay('a.b-2020.01.01', 'a.b-')).toEqual(new Date('2020-01-01T00:00:00Z'));
    expect(dailyIndexDay('axb-2020.01.01', 'a.b-')).toBeUndefined();
  });
});
