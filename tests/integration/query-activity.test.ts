/**
 * Activity and timeseries numbers on real Elasticsearch equal an independent count over the raw events; user
 * enrichment equals the DreamFactory directory (> 1000 users, paged); truncation notices appear exactly when cut.
 */
import {
  ACTIVITY_PRESETS,
  ANONYMOUS_USER_LABEL,
  ANONYMOUS_USER_VALUE,
  dimension,
  type ActivityQuery,
  type DimensionSpec,
  type FrameJSON,
  type QueryFilters,
  type TimeseriesQuery,
} from '@shared/query';
import { ACTIVITY_DATASET, activityEvents, countBy, GeneratedEvent, KEYS, NO_USER } from './query-data';
import { QueryProxy, QueryStack, rowsOf, startQueryStack } from './query-harness';

const { START, SPAN, RANGE, DELETED_USER } = ACTIVITY_DATASET;
/** On the wire, null asks for one total series (an absent splitBy takes migrateQuery's default split). */
const NO_SPLIT = null;

describe('activity and timeseries queries on real Elasticsearch', () => {
  let events: GeneratedEvent[];
  let stack: QueryStack;
  let proxy: QueryProxy;

  beforeAll(async () => {
    events = activityEvents();
    // Admins 1-2 and users 3-1202, as the data set assumes: more than one DreamFactory page of 1000.
    stack = await startQueryStack('query-activity', events, { admins: 2, users: 1200, seed: 5, limits: false });
    proxy = stack.proxy;
  });

  afterAll(async () => {
    await stack?.close();
  });

  const activity = (groupBy: DimensionSpec[], extra: Partial<ActivityQuery> = {}): ActivityQuery => ({
    refId: 'A',
    queryType: 'activity',
    groupBy,
    showOther: true,
    shareOfTotal: false,
    ...extra,
  });

  async function one(query: ActivityQuery | TimeseriesQuery, range = RANGE, extra: { intervalMs?: number; maxDataPoints?: number } = {}): Promise<FrameJSON> {
    const response = await proxy.query({ range, queries: [query], ...extra });
    const result = response.results[query.refId];
    expect(result.error).toBeUndefined();
    expect(result.frames).toHaveLength(1);
    return result.frames[0];
  }

  /** Rows keyed like countBy: user id (or NO_USER) and the other dimension cells, joined by ' | '. */
  function countsOf(frame: FrameJSON, columns: string[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const row of rowsOf(frame)) {
      const key = columns.map((c) => (c === 'User ID' ? ((row[c] as string | null) ?? NO_USER) : String(row[c]))).join(' | ');
      counts.set(key, row.Calls as number);
    }
    return counts;
  }

  const COLUMN: Record<string, string> = { user: 'User ID', method: 'Method', endpoint: 'Endpoint', service: 'Service' };

  it.each(Object.entries(ACTIVITY_PRESETS))('preset %s equals an independent count of the raw events', async (_name, preset) => {
    const frame = await one(activity([...preset.groupBy]));
    const dims = preset.groupBy.map((spec) => spec.dimension);
    expect(countsOf(frame, dims.map((d) => COLUMN[d]))).toEqual(countBy(events, dims.map((d) => KEYS[d])));
    expect(frame.meta?.notices).toBeUndefined();
  });

  it('labels every user from the directory: admins by real email, deleted ids as unknown, no user as anonymous', async () => {
    const frame = await one(activity([dimension('user', 100)]));
    const directory = new Map(stack.sim.store.users.map((u) => [String(u.id), u]));
    expect(directory.size).toBe(1202);
    const rows = rowsOf(frame);
    expect(rows).toHaveLength(new Set(events.map(KEYS.user)).size);
    for (const row of rows) {
      const id = row['User ID'] as string;
      if (id === ANONYMOUS_USER_VALUE) {
        expect(row).toMatchObject({ User: ANONYMOUS_USER_LABEL, 'User Email': null, Name: null });
      } else if (id === DELETED_USER) {
        expect(row).toMatchObject({ User: `unknown user ${DELETED_USER}`, 'User Email': null });
      } else {
        const user = directory.get(id)!;
        expect(row).toMatchObject({ User: user.email, 'User Email': user.email, Name: user.name ?? null });
      }
    }
    expect(rows.find((r) => r['User ID'] === '1202')?.User).toBe(directory.get('1202')!.email);

    const seed = rowsOf(await one(activity([dimension('user', 100)], { userLabel: 'seed' })));
    expect(seed.find((r) => r['User ID'] === '1')).toMatchObject({ User: 'Admin User', 'User Email': directory.get('1')!.email });
    expect(seed.find((r) => r['User ID'] === '3')?.User).toBe(directory.get('3')!.email);
  });

  it('cuts buckets with an Other row and a notice exactly when they were cut', async () => {
    const byUser = countBy(events, [KEYS.user]);
    const top5 = [...byUser.values()].sort((a, b) => b - a).slice(0, 5);
    const frame = await one(activity([dimension('user', 5)], { shareOfTotal: true }));
    const rows = rowsOf(frame);
    expect(rows).toHaveLength(6);
    expect(rows.slice(0, 5).map((r) => r.Calls)).toEqual(top5);
    expect(rows[5]).toMatchObject({ User: 'Other', Calls: events.length - top5.reduce((a, b) => a + b, 0) });
    expect(rows.reduce((sum, r) => sum + (r.Share as number), 0)).toBeCloseTo(1, 10);
    expect(frame.meta?.notices).toEqual([
      { severity: 'warning', text: expect.stringContaining(`User was cut to the top 5: ${(rows[5].Calls as number).toLocaleString('en-US')} calls`) },
    ]);

    const hidden = await one(activity([dimension('user', 5)], { showOther: false }));
    expect(rowsOf(hidden)).toHaveLength(5);
    expect(hidden.meta?.notices?.[0].text).toContain('not shown');

    // Exactly as many users as exist: nothing is cut, so no notice.
    const exact = await one(activity([dimension('user', byUser.size)]));
    expect(exact.meta?.notices).toBeUndefined();
    expect(rowsOf(exact).reduce((sum, r) => sum + (r.Calls as number), 0)).toBe(events.length);
  });

  it('reports a nested cut per parent and keeps every call in the totals', async () => {
    const frame = await one(activity([dimension('service', 50), dimension('endpoint', 2)]));
    const rows = rowsOf(frame);
    expect(rows.reduce((sum, r) => sum + (r.Calls as number), 0)).toBe(events.length);
    const perService = countBy(events, [KEYS.service]);
    const cutServices = [...perService.keys()].filter((s) => new Set(events.filter((e) => e.event.request.service === s).map(KEYS.endpoint)).size > 2);
    expect(rows.filter((r) => r.Endpoint === 'Other').map((r) => r.Service).sort()).toEqual(cutServices.sort());
    expect(frame.meta?.notices).toHaveLength(1);
    expect(frame.meta?.notices?.[0].text).toContain(`Endpoint was cut to the top 2 per service`);
    expect(frame.meta?.notices?.[0].text).toContain(`in ${cutServices.length} group(s)`);
  });

  it.each<[string, QueryFilters, (e: GeneratedEvent) => boolean]>([
    ['users incl. anonymous', { users: ['3', 'anonymous'] }, (e) => !e.user || e.user.id === '3'],
    ['methods (any case)', { methods: ['delete', 'PATCH'] }, (e) => ['DELETE', 'PATCH'].includes(e.event.request.method)],
    ['services', { services: ['db'] }, (e) => e.event.request.service === 'db'],
    ['status classes', { statusClasses: ['5xx', '4xx'] }, (e) => e.event.response.status_code >= 400],
    ['Lucene', { lucene: 'event.request.resource:_table* AND NOT event.request.method:GET' }, (e) => e.event.request.resource.startsWith('_table') && e.event.request.method !== 'GET'],
  ])('filters by %s', async (_label, filters, keep) => {
    const frame = await one(activity([dimension('statusCode', 100)], { filters }));
    expect(countsOf(frame, ['Status code'])).toEqual(countBy(events.filter(keep), [KEYS.statusCode]));
  });

  it('answers an empty range with no rows, not a zero row', async () => {
    const empty = { from: '2020-01-01T00:00:00Z', to: '2020-01-02T00:00:00Z' };
    for (const groupBy of [[], [dimension('user')]]) {
      const frame = await one(activity(groupBy), empty);
      expect(frame.fields.map((f) => f.values.length)).toEqual(frame.fields.map(() => 0));
      expect(frame.meta?.notices).toBeUndefined();
    }
  });

  it('gives a clear per-query error for a bad Lucene query and still answers the other query', async () => {
    const response = await proxy.query({
      range: RANGE,
      queries: [activity([dimension('user')], { refId: 'bad', filters: { lucene: 'status:(' } }), activity([], { refId: 'good' })],
    });
    expect(response.results.bad.error).toMatch(/^Elasticsearch rejected the query: /);
    expect(rowsOf(response.results.good.frames[0])).toEqual([{ Calls: events.length }]);
  });

  it('draws one series per user with nulls for empty buckets, summing to the raw count per hour', async () => {
    const query: TimeseriesQuery = { refId: 'T', queryType: 'timeseries', splitBy: dimension('user', 3), interval: '1h', emptyBuckets: 'null' };
    // Three hours before the data start: buckets that must be null, not zero.
    const range = { from: new Date(START - 3 * 3600000).toISOString(), to: RANGE.to };
    const frame = await one(query, range);
    const [time, ...series] = frame.fields;
    expect(time.values).toHaveLength(51);
    expect(series.map((s) => s.config?.displayName)).toEqual([...series.slice(0, 3).map((s) => s.labels?.User), 'Other']);
    expect(series.map((s) => s.values.slice(0, 3))).toEqual(series.map(() => [null, null, null]));
    const perHour = countBy(events, [(e) => String(Math.floor(Date.parse(e['@timestamp']) / 3600000) * 3600000)]);
    (time.values as number[]).forEach((t, i) => {
      const sum = series.reduce((acc, s) => acc + ((s.values[i] as number | null) ?? 0), 0);
      expect(sum).toBe(perHour.get(String(t)) ?? 0);
    });
    expect(frame.meta?.notices?.[0].text).toContain('Only the top 3 user series');

    const zeros = await one({ ...query, emptyBuckets: 'zero', splitBy: NO_SPLIT }, range);
    expect(zeros.fields[1].values.slice(0, 3)).toEqual([0, 0, 0]);
    expect(zeros.meta?.notices).toBeUndefined();
  });

  it('picks an auto interval from the panel and stays under the bucket cap', async () => {
    const frame = await one({ refId: 'T', queryType: 'timeseries', splitBy: NO_SPLIT, interval: 'auto', emptyBuckets: 'null' }, RANGE, { intervalMs: 60000, maxDataPoints: 200 });
    // 48 h / 200 points = 14.4 min → the next nice interval is 15 min.
    expect(frame.meta?.custom?.intervalMs).toBe(900000);
    expect((frame.fields[1].values as Array<number | null>).reduce<number>((a, b) => a + (b ?? 0), 0)).toBe(events.length);
  });
});
