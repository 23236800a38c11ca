import type { LimitInput, LimitType } from './limits-api';
import {
  LIMIT_PERIODS,
  LIMIT_TYPES,
  computeKeyText,
  dfErrorFor,
  hierarchyWarnings,
  limitTypeInfo,
  parsePeriod,
  validateLimit,
  type KeyFields,
  type LimitCandidate,
  type LimitForWarnings,
  type LimitLookups,
} from './limits';

const lookups: LimitLookups = { userIds: new Set([3, 4]), roleIds: new Set([2]), serviceIds: new Set([5]) };

describe('limit types and periods', () => {
  it('labels the ten types as the admin UI does, in its order', () => {
    expect(LIMIT_TYPES.map((t) => t.label)).toEqual([
      'Instance',
      'User',
      'Each User',
      'Service',
      'Role',
      'Service by User',
      'Service by Each User',
      'Endpoint',
      'Endpoint by User',
      'Endpoint by Each User',
    ]);
  });

  it.each([
    [0, 'minute', 60],
    [1, 'hour', 3600],
    [2, 'day', 86400],
    [3, '7-day', 604800],
    [4, '30-day', 18144000],
  ])('period index %i is %s (%i s), by index and by name', (index, name, seconds) => {
    expect(parsePeriod(index)).toMatchObject({ period: name, seconds });
    expect(parsePeriod(name)).toMatchObject({ index, seconds });
  });

  it('refuses unknown periods and numeric strings (DreamFactory takes an index only as a JSON integer)', () => {
    expect(parsePeriod('fortnight')).toBeUndefined();
    expect(parsePeriod(5)).toBeUndefined();
    expect(parsePeriod('0')).toBeUndefined();
    expect(LIMIT_PERIODS[4].seconds / 86400).toBe(210);
  });
});

describe('computeKeyText', () => {
  it.each<[KeyFields, string]>([
    [{ type: 'instance', period: 'minute' }, 'instance.minute'],
    [{ type: 'instance', period: 'day', verb: 'DELETE' }, 'instance.verb:DELETE.day'],
    [{ type: 'instance.user', period: 'minute', user_id: 3 }, 'instance.user:3.minute'],
    [{ type: 'instance.each_user', period: 'hour' }, 'instance.each_user:.hour'],
    [{ type: 'instance.role', period: 0, role_id: 2 }, 'instance.role:2.minute'],
    [{ type: 'instance.service', period: '7-day', service_id: 5 }, 'instance.service:5.7-day'],
    [{ type: 'instance.user.service', period: 'day', user_id: 3, service_id: 5 }, 'instance.user:3.service:5.day'],
    [{ type: 'instance.each_user.service', period: 'day', service_id: 5 }, 'instance.each_user:.service:5.day'],
    [
      { type: 'instance.service.endpoint', period: 'hour', service_id: 5, endpoint: '/_table/contact/' },
      'instance.service:5.endpoint:_table/contact.hour',
    ],
    [{ type: 'instance.service.endpoint', period: 'hour', service_id: 5 }, 'instance.service:5.endpoint:.hour'],
    [
      {
        type: 'instance.user.service.endpoint',
        period: '30-day',
        user_id: 3,
        service_id: 5,
        endpoint: '_table/*',
        verb: 'GET',
      },
      'instance.user:3.service:5.endpoint:_table/*.verb:GET.30-day',
    ],
    [
      { type: 'instance.each_user.service.endpoint', period: 'minute', service_id: 5, endpoint: 'x' },
      'instance.each_user:.service:5.endpoint:x.minute',
    ],
    // ids a type does not use never reach the key
    [{ type: 'instance.role', period: 'minute', role_id: 2, user_id: 3, service_id: 5 }, 'instance.role:2.minute'],
  ])('%j → %s', (fields, key) => {
    expect(computeKeyText(fields)).toBe(key);
  });

  it("fills the user into an each-user key for that user's counter", () => {
    expect(computeKeyText({ type: 'instance.each_user.service', period: 'day', service_id: 5 }, 4)).toBe(
      'instance.each_user:4.service:5.day'
    );
  });
});

const base = { name: 'L', rate: 10, period: 'minute' };

describe('validateLimit', () => {
  it.each<[string, LimitCandidate]>([
    ['instance', { ...base, type: 'instance' }],
    ['user', { ...base, type: 'instance.user', user_id: 3 }],
    ['user "*"', { ...base, type: 'instance.user', user_id: '*' }],
    ['each user', { ...base, type: 'instance.each_user' }],
    ['service', { ...base, type: 'instance.service', service_id: 5 }],
    ['role', { ...base, type: 'instance.role', role_id: 2 }],
    ['service by user', { ...base, type: 'instance.user.service', user_id: 4, service_id: 5 }],
    ['service by each user', { ...base, type: 'instance.each_user.service', service_id: 5 }],
    ['endpoint without endpoint', { ...base, type: 'instance.service.endpoint', service_id: 5 }],
    [
      'endpoint by user',
      { ...base, type: 'instance.user.service.endpoint', user_id: 3, service_id: 5, endpoint: '_table/a' },
    ],
    [
      'endpoint by each user',
      { ...base, type: 'instance.each_user.service.endpoint', service_id: 5, endpoint: '_table/*' },
    ],
    ['rate as the admin UI sends it', { ...base, rate: '25', type: 'instance' }],
    ['period as an index', { ...base, period: 4, type: 'instance' }],
    ['lower-case verb', { ...base, type: 'instance', verb: 'get' }],
  ])('accepts %s', (_name, input) => {
    expect(validateLimit(input, lookups)).toBeNull();
  });

  it.each<[string, LimitCandidate, string, string]>([
    ['rate 0', { ...base, rate: 0, type: 'instance' }, 'rate', 'Limit rate must be an integer. Limit not saved.'],
    ['rate 1.5', { ...base, rate: 1.5, type: 'instance' }, 'rate', 'Limit rate must be an integer. Limit not saved.'],
    [
      'rate "ten"',
      { ...base, rate: 'ten', type: 'instance' },
      'rate',
      'Limit rate must be an integer. Limit not saved.',
    ],
    [
      'negative rate',
      { ...base, rate: -3, type: 'instance' },
      'rate',
      'Limit rate must be an integer. Limit not saved.',
    ],
    [
      'user without user_id',
      { ...base, type: 'instance.user' },
      'user_id',
      'user_id must be specified with this limit type. Limit: L',
    ],
    [
      'user with unknown user',
      { ...base, type: 'instance.user', user_id: 99 },
      'user_id',
      'user_id does not exist for L limit.',
    ],
    [
      'role without role_id',
      { ...base, type: 'instance.role' },
      'role_id',
      'role_id must be specified with this limit type. Limit: L',
    ],
    [
      'role with unknown role',
      { ...base, type: 'instance.role', role_id: 9 },
      'role_id',
      'No role_id exists for L limit.',
    ],
    [
      'service without service_id',
      { ...base, type: 'instance.service' },
      'service_id',
      'service_id must be specified with this limit type.',
    ],
    [
      'service with unknown service',
      { ...base, type: 'instance.service', service_id: 9 },
      'service_id',
      'No service exists for L limit.',
    ],
    [
      'each-user service without service_id',
      { ...base, type: 'instance.each_user.service' },
      'service_id',
      'service_id must be specified with this limit type.',
    ],
    [
      'service by user without user',
      { ...base, type: 'instance.user.service', service_id: 5 },
      'user_id',
      'user_id must be specified with this limit type. Limit: L',
    ],
    [
      'service by user, unknown user',
      { ...base, type: 'instance.user.service', user_id: 99, service_id: 5 },
      'user_id',
      'No user_id exists for L limit.',
    ],
    [
      'service by user without service',
      { ...base, type: 'instance.user.service', user_id: 3 },
      'service_id',
      'No service exists for L limit.',
    ],
    [
      'endpoint without service',
      { ...base, type: 'instance.service.endpoint' },
      'service_id',
      'service_id must be specified with this limit type.',
    ],
    [
      'endpoint by user without endpoint',
      { ...base, type: 'instance.user.service.endpoint', user_id: 3, service_id: 5, endpoint: '//' },
      'endpoint',
      'endpoint must be specified with this limit type.',
    ],
    [
      'bad verb',
      { ...base, type: 'instance.service.endpoint', service_id: 5, verb: 'FETCH' },
      'verb',
      'Verb is invalid or not allowed.',
    ],
    ['bad type', { ...base, type: 'instance.app' }, 'type', 'Invalid data supplied. The selected type is invalid.'],
    [
      'bad period',
      { ...base, type: 'instance', period: 'fortnight' },
      'period',
      'Invalid data supplied. The selected period is invalid.',
    ],
    [
      'missing name',
      { rate: 1, period: 'day', type: 'instance' },
      'name',
      'Invalid data supplied. The name field is required.',
    ],
    [
      'missing rate',
      { name: 'L', period: 'day', type: 'instance' },
      'rate',
      'Invalid data supplied. The rate field is required.',
    ],
    [
      'missing type and period',
      { name: 'L', rate: 1 },
      'type',
      'Invalid data supplied. The type field is required. The period field is required.',
    ],
  ])("refuses %s with DreamFactory's message", (_name, input, field, message) => {
    expect(validateLimit(input, lookups)).toMatchObject({ field, message });
  });

  it("checks in DreamFactory's order: rate before ids before the record rules", () => {
    expect(validateLimit({ type: 'instance.user', rate: 0 })?.field).toBe('rate');
    expect(validateLimit({ type: 'instance.user', rate: 2 })?.message).toBe(
      'user_id must be specified with this limit type. Limit: '
    );
  });

  it('skips existence checks without lookups', () => {
    expect(validateLimit({ ...base, type: 'instance.user', user_id: 99 })).toBeNull();
  });

  it('wraps record-rule failures in the batch error shape and the others in a plain 400', () => {
    const batch = validateLimit({ ...base, type: 'bogus' })!;
    expect(dfErrorFor(batch)).toEqual({
      code: 1000,
      context: {
        error: [0],
        resource: [
          {
            code: 400,
            context: { type: ['The selected type is invalid.'] },
            message: 'Invalid data supplied. The selected type is invalid.',
            status_code: 400,
          },
        ],
      },
      message: 'Batch Error: Not all requested records could be created.',
      status_code: 400,
    });
    expect(dfErrorFor(validateLimit({ ...base, type: 'instance', rate: 0 })!)).toEqual({
      code: 400,
      context: null,
      message: 'Limit rate must be an integer. Limit not saved.',
      status_code: 400,
    });
  });
});

describe('hierarchyWarnings', () => {
  const limit = (over: Partial<LimitForWarnings> & Pick<LimitInput, 'type'>): LimitForWarnings => ({
    name: 'x',
    rate: 1000,
    period: 'minute',
    is_active: true,
    ...over,
  });
  const service = limit({ id: 1, name: 'svc', type: 'instance.service', service_id: 5 });

  it.each<[string, LimitForWarnings, boolean]>([
    ['instance 500/minute vs service 1000/minute', limit({ id: 2, name: 'inst', type: 'instance', rate: 500 }), true],
    ['instance 1000/hour is lower per second', limit({ id: 2, name: 'inst', type: 'instance', period: 'hour' }), true],
    ['instance 2000/minute is higher', limit({ id: 2, name: 'inst', type: 'instance', rate: 2000 }), false],
    ['inactive instance limit', limit({ id: 2, name: 'inst', type: 'instance', rate: 5, is_active: false }), false],
    [
      'service limit on another service',
      limit({ id: 2, name: 's9', type: 'instance.service', rate: 5, service_id: 9 }),
      false,
    ],
    ['instance limit for DELETE only', limit({ id: 2, name: 'del', type: 'instance', rate: 5, verb: 'DELETE' }), false],
  ])('%s → warns: %s', (_name, other, warns) => {
    const found = hierarchyWarnings(service, [service, other]).filter((w) => w.includes('trip first'));
    expect(found).toHaveLength(warns ? 1 : 0);
    if (warns) {
      expect(found[0]).toContain(`"${other.name}"`);
    }
  });

  it('lets an each-user limit shadow per-user limits but not service limits', () => {
    const eachUser = limit({ id: 3, name: 'each', type: 'instance.each_user', rate: 10 });
    const userService = limit({ type: 'instance.user.service', user_id: 3, service_id: 5 });
    expect(hierarchyWarnings(userService, [eachUser])).toHaveLength(1);
    expect(hierarchyWarnings(service, [eachUser])).toHaveLength(0);
  });

  /**
   * Every ordered pair of types over the same user (3), role (2), service (5) and endpoint: the first limit allows
   * 1 call a minute, the second 100000 an hour. Listed: the types the first one warns about, i.e. the ones whose calls
   * it counts and refuses — so not a user's own limit against the each-user limit it overrides.
   */
  const TRIPS_FIRST: Record<LimitType, LimitType[]> = {
    instance: LIMIT_TYPES.map((t) => t.type),
    'instance.user': ['instance.user', 'instance.user.service', 'instance.user.service.endpoint'],
    'instance.each_user': [
      'instance.each_user',
      'instance.user.service',
      'instance.each_user.service',
      'instance.user.service.endpoint',
      'instance.each_user.service.endpoint',
    ],
    'instance.role': ['instance.role'],
    'instance.service': [
      'instance.service',
      'instance.user.service',
      'instance.each_user.service',
      'instance.service.endpoint',
      'instance.user.service.endpoint',
      'instance.each_user.service.endpoint',
    ],
    'instance.user.service': ['instance.user.service', 'instance.user.service.endpoint'],
    'instance.each_user.service': [
      'instance.each_user.service',
      'instance.user.service.endpoint',
      'instance.each_user.service.endpoint',
    ],
    'instance.service.endpoint': [
      'instance.service.endpoint',
      'instance.user.service.endpoint',
      'instance.each_user.service.endpoint',
    ],
    'instance.user.service.endpoint': ['instance.user.service.endpoint'],
    'instance.each_user.service.endpoint': ['instance.each_user.service.endpoint'],
  };
  const scoped = (type: LimitType, over: Partial<LimitForWarnings>): LimitForWarnings => {
    const t = limitTypeInfo(type)!;
    return limit({
      type,
      user_id: t.userId === 'none' ? null : 3,
      role_id: t.roleId === 'none' ? null : 2,
      service_id: t.serviceId === 'none' ? null : 5,
      endpoint: t.endpoint === 'none' ? null : '_table/contact',
      ...over,
    });
  };
  const pairs = LIMIT_TYPES.flatMap((b) => LIMIT_TYPES.map((n) => [b.type, n.type] as const));

  it.each(pairs)('%s (1/minute) over %s (100000/hour)', (broadType, narrowType) => {
    const broad = scoped(broadType, { id: 1, name: 'broad', rate: 1, period: 'minute' });
    const narrow = scoped(narrowType, { id: 2, name: 'narrow', rate: 100000, period: 'hour' });
    const trips = hierarchyWarnings(narrow, [broad, narrow]).filter((w) => w.includes('trip first'));
    expect(trips).toHaveLength(TRIPS_FIRST[broadType].includes(narrowType) ? 1 : 0);
  });

  it("does not warn about an each-user limit the user's own limit overrides — which DreamFactory matches by user only", () => {
    const each = limit({ id: 1, name: 'each', type: 'instance.each_user.service', service_id: 5, rate: 1 });
    const endpoint = limit({
      id: 2,
      name: 'ep',
      type: 'instance.user.service.endpoint',
      user_id: 3,
      service_id: 5,
      endpoint: '_table/contact',
    });
    expect(hierarchyWarnings(endpoint, [each, endpoint])).toHaveLength(1);
    // A user-by-service limit for the same user, even on another service, overrides the each-user limit for them.
    const own = limit({ id: 3, name: 'own', type: 'instance.user.service', user_id: 3, service_id: 9 });
    expect(hierarchyWarnings(endpoint, [each, endpoint, own])).toHaveLength(0);
    expect(hierarchyWarnings(endpoint, [each, endpoint, { ...own, is_active: false }])).toHaveLength(1);
  });

  it.each<[string, Partial<LimitForWarnings>, Array<Partial<LimitForWarnings>>, boolean]>([
    [
      'a GET limit of the same type and period overrides its verb-less twin',
      { verb: 'GET', period: 'minute' },
      [],
      false,
    ],
    ['a GET limit with another period does not', { verb: 'GET', period: 'hour' }, [], true],
    ['a verb-less limit is not overridden for calls of every verb', { verb: null, period: 'hour' }, [], true],
    [
      'another GET limit of the type and period overrides it, whatever its service',
      { verb: 'GET', period: 'hour' },
      [{ id: 3, name: 'get9', verb: 'GET', period: 'minute', service_id: 9, rate: 5000 }],
      false,
    ],
    [
      'a POST limit does not override it for GET calls',
      { verb: 'GET', period: 'hour' },
      [{ id: 3, name: 'post9', verb: 'POST', period: 'minute', service_id: 9, rate: 5000 }],
      true,
    ],
  ])('%s', (_case, narrowOver, others, warns) => {
    const plain = limit({ id: 1, name: 'plain', type: 'instance.service', service_id: 5, rate: 1, period: 'minute' });
    const narrow = limit({ id: 2, name: 'verb', type: 'instance.service', service_id: 5, rate: 100000, ...narrowOver });
    const all = [plain, narrow, ...others.map((o) => limit({ type: 'instance.service', ...o }))];
    const trips = hierarchyWarnings(narrow, all).filter((w) => w.includes('"plain"'));
    expect(trips).toHaveLength(warns ? 1 : 0);
  });

  it('counts endpoint scopes: a wildcard holds the endpoints under it, an endpoint-less limit only the service root', () => {
    const wildcard = limit({
      id: 1,
      name: 'all tables',
      type: 'instance.service.endpoint',
      service_id: 5,
      endpoint: '_table/*',
      rate: 1,
    });
    const bare = limit({
      id: 3,
      name: 'root',
      type: 'instance.service.endpoint',
      service_id: 5,
      endpoint: null,
      rate: 1,
    });
    const contact = limit({
      id: 2,
      name: 'contact',
      type: 'instance.each_user.service.endpoint',
      service_id: 5,
      endpoint: '/_table/contact/',
    });
    const schema = limit({
      id: 4,
      name: 'schema',
      type: 'instance.each_user.service.endpoint',
      service_id: 5,
      endpoint: '_schema',
    });
    expect(hierarchyWarnings(contact, [wildcard, bare, contact]).join()).toContain('"all tables"');
    expect(hierarchyWarnings(contact, [wildcard, bare, contact]).join()).not.toContain('"root"');
    expect(hierarchyWarnings(schema, [wildcard, bare, schema]).filter((w) => w.includes('trip first'))).toEqual([]);
  });

  it('notes the 210-day "30 Days" period and the all-users-at-once reset of each-user counters', () => {
    const warnings = hierarchyWarnings(limit({ type: 'instance.each_user', period: '30-day' }), []);
    expect(warnings).toEqual([
      'DreamFactory\'s "30 Days" period lasts 210 days (18144000 seconds), not 30 days.',
      'Each-user counters can only be reset for all users at once, not for one user.',
    ]);
  });
});
