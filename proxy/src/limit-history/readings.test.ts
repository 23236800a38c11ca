import { eachUserIdOf, readCounters } from './readings';
import { directoryOf, limitView } from './testing/fixtures';

const directory = directoryOf([
  { id: '7', email: 'ada@example.com', name: 'Ada Lovelace' },
  { id: '9', email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' },
]);

describe('reading limit_cache with the limits list and the directory', () => {
  it.each([
    ['instance.each_user:7.hour', '7'],
    ['instance.each_user:12.service:5.endpoint:_table/contact.verb:GET.day', '12'],
    ['instance.each_user:.hour', undefined],
    ['instance.user:7.hour', undefined],
  ])('finds the user of each-user key %s', (key, user) => {
    expect(eachUserIdOf(key)).toBe(user);
  });

  it('gives each-user counters their own user (named by the directory) and other counters the limit’s party', () => {
    const limits = [
      limitView({
        id: 1,
        type: 'instance.each_user.service',
        serviceId: 5,
        serviceName: 'db',
        keyText: 'instance.each_user:.service:5.hour',
      }),
      limitView({ id: 2, type: 'instance.user', userId: 9, userName: 'Grace Hopper', keyText: 'instance.user:9.hour' }),
      limitView({ id: 3, type: 'instance.role', roleId: 2, roleName: 'Partners', keyText: 'instance.role:2.hour' }),
    ];
    const reading = readCounters(
      limits,
      [
        { id: 1, key: 'instance.each_user:7.service:5.hour', max: 100, attempts: 3, remaining: 97 },
        { id: 1, key: 'instance.each_user:8.service:5.hour', max: 100, attempts: 0, remaining: 100 },
        { id: 2, key: 'instance.user:9.hour', max: 100, attempts: 100, remaining: 0 },
        { id: 3, key: 'instance.role:2.hour', max: 100, attempts: 1, remaining: 99 },
      ],
      directory
    );
    expect(reading.counters.map((c) => [c.id, c.party])).toEqual([
      [
        '1/instance.each_user:7.service:5.hour',
        { service: { id: 5, name: 'db' }, user: { id: '7', name: 'Ada Lovelace', email: 'ada@example.com' } },
      ],
      // Not in the directory (yet): kept by id.
      [
        '1/instance.each_user:8.service:5.hour',
        { service: { id: 5, name: 'db' }, user: { id: '8', name: null, email: null } },
      ],
      ['2/instance.user:9.hour', { user: { id: '9', name: 'Grace Hopper', email: 'grace@example.com' } }],
      ['3/instance.role:2.hour', { role: { id: 2, name: 'Partners' } }],
    ]);
    expect(reading.limits.map((l) => [l.fields.id, l.eachUser, l.periodMs])).toEqual([
      [1, true, 3_600_000],
      [2, false, 3_600_000],
      [3, false, 3_600_000],
    ]);
  });

  it('names a limit’s user from the limit record when the directory is unavailable', () => {
    const reading = readCounters(
      [limitView({ id: 2, type: 'instance.user', userId: 9, userName: 'Grace Hopper' })],
      [],
      undefined
    );
    expect(reading.limits[0].party.user).toEqual({ id: '9', name: 'Grace Hopper', email: null });
  });

  it('leaves out and counts entries of limits it has not read and entries whose numbers do not parse', () => {
    const reading = readCounters(
      [limitView({ id: 1, type: 'instance' })],
      [
        {
          id: 1,
          key: 'instance.hour',
          max: '100' as unknown as number,
          attempts: '4' as unknown as number,
          remaining: 96,
        },
        { id: 44, key: 'instance.minute', max: 10, attempts: 1, remaining: 9 },
        { id: 1, key: 'instance.hour', max: 100, attempts: 'many' as unknown as number, remaining: 96 },
      ]
    );
    expect(reading.counters.map((c) => [c.attempts, c.max, c.remaining])).toEqual([[4, 100, 96]]);
    expect(reading.skipped).toEqual({ unknownLimit: 1, malformed: 1 });
  });
});
