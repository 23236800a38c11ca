import { DfError } from './errors';
import { listResponse, parseFilter, type Column, type Query, type Row, type Table } from './list-query';
import { startSimulator, type Simulator } from './server';
import { simClient } from './sim-client';

const columns: Column[] = ['id', 'name', 'email', 'is_active'].map((name) => ({
  name,
  type: name === 'id' ? 'id' : name === 'is_active' ? 'boolean' : 'string',
  allowNull: name === 'name',
}));
const TABLE: Table = { name: 'user', label: 'User', plural: 'Users', nameField: 'name', columns };
const FIELDS = new Set(columns.map((c) => c.name));
const rows: Row[] = [
  { id: 1, name: 'Ada', email: 'ada@example.com', is_active: true },
  { id: 2, name: null, email: 'bob@example.com', is_active: false },
  { id: 3, name: "O'Neil", email: 'oneil@corp.example', is_active: true },
  { id: 4, name: 'Ada', email: 'ada2@example.com', is_active: true },
];
const ids = (filter: string) => rows.filter(parseFilter(filter, FIELDS)).map((r) => r.id);
const list = (query: Query, maxRecords = 100000) => listResponse(rows, query, TABLE, { maxRecords });

describe('DreamFactory filter strings', () => {
  it.each<[string, number[]]>([
    ["(email like '%EXAMPLE.COM')", [1, 2, 4]],
    ['(name like "a%")', [1, 4]],
    ['id in (1, 3)', [1, 3]],
    ['(is_active = true) and (id > 1)', [3, 4]],
    ['(is_active=1) or (id = 2)', [1, 2, 3, 4]],
    ['id != 2 and not (id = 1)', [3, 4]],
    ['name is null', [2]],
    ['(name is not null) and (id <= 1)', [1]],
    ["name = 'O''Neil'", [3]],
    ['', [1, 2, 3, 4]],
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
});

describe('page size: DB_MAX_RECORDS_RETURNED', () => {
  it.each<[string | undefined, number]>([
    ['2', 2],
    ['3', 3],
    ['0', 3],
    ['-1', 3],
    ['50', 3],
    ['abc', 3],
    ['2abc', 2],
    [undefined, 3],
  ])('limit=%s with a cap of 3 answers %i records', (limit, count) => {
    expect((list({ limit, fields: 'id' }, 3) as { resource: Row[] }).resource).toHaveLength(count);
  });

  it('counts every matching record in meta.count, whatever the page', () => {
    expect(list({ limit: '1', offset: '3', include_count: 'true', fields: 'id' }, 3)).toEqual({
      resource: [{ id: 4 }],
      meta: { count: 4 },
    });
  });

  it('answers everything when the cap is 0 (DreamFactory then sends no LIMIT)', () => {
    expect((list({ fields: 'id' }, 0) as { resource: Row[] }).resource).toHaveLength(4);
  });

  it('applies the cap to ?ids= too', () => {
    expect(() => list({ ids: '1,2,3', fields: 'id' }, 2)).toThrow(
      'Batch Error: Not all requested records could be retrieved.'
    );
  });
});

describe('list parameters', () => {
  it('as_list answers the id_field values; several id fields as "(a,b)"', () => {
    expect(list({ as_list: 'true', filter: 'id < 3' })).toEqual({ resource: [1, 2] });
    expect(list({ as_list: 'true', id_field: 'email', filter: 'id < 3' })).toEqual({
      resource: ['ada@example.com', 'bob@example.com'],
    });
    expect(list({ as_list: 'true', id_field: 'id,name', filter: 'id < 3' })).toEqual({ resource: ['(1,Ada)', '(2,)'] });
    expect(list({ as_list: 'true', filter: 'id > 9' })).toEqual({ resource: [] });
  });

  it('id_field alone changes nothing', () => {
    expect(list({ id_field: 'email', fields: 'id', limit: '1' })).toEqual({ resource: [{ id: 1 }] });
  });

  it('wrap=false answers a bare list; with meta, PHP turns the list into an object keyed "0", "1", …, "meta"', () => {
    expect(list({ wrap: 'false', fields: 'id', limit: '2' })).toEqual([{ id: 1 }, { id: 2 }]);
    const withMeta = list({ wrap: 'false', fields: 'id', limit: '2', include_count: '1' });
    expect(withMeta).toEqual({ 0: { id: 1 }, 1: { id: 2 }, meta: { count: 4 } });
    expect(Object.keys(withMeta as object)).toEqual(['0', '1', 'meta']);
    expect(list({ wrap: 'true', fields: 'id', limit: '1' })).toEqual({ resource: [{ id: 1 }] });
  });

  it('count_only answers the bare number of matching records', () => {
    expect(list({ count_only: 'true', filter: 'is_active = true' })).toBe(3);
  });

  it("include_schema adds the table's schema to meta", () => {
    const answer = list({ include_schema: 'true', limit: '1' }) as { meta: { schema: Row } };
    expect(Object.keys(answer.meta.schema)).toEqual([
      'alias',
      'name',
      'is_view',
      'label',
      'plural',
      'description',
      'primary_key',
      'name_field',
      'field',
      'related',
    ]);
    expect(answer.meta.schema).toMatchObject({ name: 'user', primary_key: ['id'], name_field: 'name' });
    expect((answer.meta.schema.field as Row[]).map((f) => f.name)).toEqual(['id', 'name', 'email', 'is_active']);
  });

  it('group keeps one record per distinct value, before paging', () => {
    expect(list({ group: 'name', fields: 'id,name' })).toEqual({
      resource: [
        { id: 1, name: 'Ada' },
        { id: 2, name: null },
        { id: 3, name: "O'Neil" },
      ],
    });
    expect(() => list({ group: 'password' })).toThrow("Unknown column 'password' in 'group statement'");
  });
});

describe('the wrap header', () => {
  let sim: Simulator;
  const call = simClient(() => sim);
  beforeAll(async () => {
    sim = await startSimulator({ users: 3, admins: 1, limits: false });
  });
  afterAll(() => sim.close());

  it('counts like the parameter', async () => {
    const res = await call('GET', 'system/role?fields=id&limit=1', { headers: { wrap: 'false' } });
    expect(res.json).toEqual([{ id: 1 }]);
  });
});
