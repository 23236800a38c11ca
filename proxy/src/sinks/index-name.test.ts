import { dailyIndexName } from './index-name';

const now = new Date('2026-11-23T12:00:00Z');

describe('dailyIndexName', () => {
  it.each([
    ['2026-05-27T08:53:20.123Z', 'logstash-dreamfactory-2026.05.27'],
    // 23:30 at UTC-05:00 is already the next day in UTC (Logstash names indices in UTC too).
    ['2026-12-31T23:30:00-05:00', 'logstash-dreamfactory-2027.01.01'],
    ['2026-01-01T00:30:00+02:00', 'logstash-dreamfactory-2025.12.31'],
    [1716800000123, 'logstash-dreamfactory-2024.05.27'],
  ])('names the UTC day of @timestamp %p', (timestamp, expected) => {
    expect(dailyIndexName('logstash-dreamfactory-', timestamp, now)).toBe(expected);
  });

  it.each([undefined, 'not a date', { a: 1 }])('falls back to the current UTC day for %p', (timestamp) => {
    expect(dailyIndexName('p-', timestamp, now)).toBe('p-2026.11.23');
  });
});
