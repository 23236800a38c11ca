import { DfError } from './errors';
import { listResponse, parseFilter, type Row } from './list-query';
import { SimStore } from './store';

const FIELDS = new Set(['id', 'name', 'email', 'is_active']);
const rows: Row[] = [
  { id: 1, name: 'Ada', email: 'ada@example.com', is_active: true },
  { id: 2, name: null, email: 'bob@example.com', is_active: false },
  { id: 3, name: "O'Neil", email: 'oneil@corp.example', is_active: true },
];
const ids = (filter: string) => rows.filter(parseFilter(filter, FIELDS)).map((r) => r.id);

describe('DreamFactory filter strings', () => {
  it.each<[string, number[]]>([
    ["(email like '%EXAMPLE.COM')", [1, 2]],
    ['(name like "a%")', [1]],
    ['id in (1, 3)', [1, 3]],
    ['(is_active = true) and (id > 1)', [3]],
    ['(is_active=1) or (id = 2)', [1, 2, 3]],
    ['id != 2 and not (id = 1)', [3]],
    ['name is null', [2]],
    ['(name is not null) and (id <= 1)', [1]],
    ["name = 'O''Neil'", [3]],
    ['', [1, 2, 3]],
  ])('%s → %j', (filter, expected) => {
    expect(ids(filter)).toEqual(expected);
  });

  it.each([
    ["(password like '%a%')", 'password'],
    ['(id = 1) and', ''],
    ['id ~ 3', '~ 3'],
  ])("refuses %s naming '%s'", (filter, field) => {
    expect(() => parseFilter(filter, FIELDS)).toThrow(
      new DfError(400, `Invalid or unparsable field in filter request: '${field}'`)
    );
  });

  it('caps out-of-range page sizes at max_records_returned and counts before paging', () => {
    expect(listResponse(rows, { limit: '0', include_count: 'true', fields: 'id' }, FIELDS)).toEqual({
      resource: [{ id: 1 }, { id: 2 }, { id: 3 }],
      meta: { count: 3 },
    });
  });
});

describe('SimStore limit writes', () => {
  it('refuses twins within one batch and writes neither', () => {
    const store = new SimStore({ users: 2, limits: false });
    const twin = { name: 'a', type: 'instance', rate: 1, period: 'hour' };
    expect(() => store.createLimits([twin, { ...twin, name: 'b' }])).toThrow(
      'A limit already exists with those parameters. No records added.'
    );
    expect(store.limits).toEqual([]);
  });

  it('keeps records created before a record that fails the model rules, as DreamFactory does without rollback', () => {
    const store = new SimStore({ users: 2, limits: false });
    const ok = { name: 'a', type: 'instance', rate: 1, period: 'hour' };
    expect(() => store.createLimits([ok, { name: 'b', type: 'instance', rate: 1, period: 'fortnight' }])).toThrow(
      expect.objectContaining({
        code: 1000,
        context: expect.objectContaining({ error: [1], resource: [{ id: 1 }, expect.any(Object)] }),
      })
    );
    expect(store.limits.map((l) => l.name)).toEqual(['a']);
  });
});
