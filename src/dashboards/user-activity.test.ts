import { ACTIVITY_PRESETS, ANY_VALUE, InsightsQuery, migrateQuery } from '@shared/query';
import dashboard from './user-activity.json';
import appPlugin from '../plugin.json';

type Panel = Extract<(typeof dashboard.panels)[number], { targets: unknown }> & { transformations?: unknown };
type Target = InsightsQuery & { datasource?: { type: string; uid: string } };

/** Panels with a query (rows only group them). */
const panels = dashboard.panels.filter((p): p is Panel => 'targets' in p);
const rows = dashboard.panels.filter((p) => p.type === 'row');
const targetsOf = (panel: Panel) => panel.targets as unknown as Target[];
const EVENT_TYPES = ['activity', 'timeseries', 'logs'];
const eventPanels = panels.filter((panel) => targetsOf(panel).some((t) => EVENT_TYPES.includes(t.queryType)));
const panel = (title: string) => panels.find((p) => p.title === title)!;

describe('the bundled user-activity dashboard', () => {
  it('is importable by the app: fixed uid, id null, integer revision, listed in the app includes with that uid', () => {
    expect(dashboard.uid).toBe('dreamfactory-user-activity');
    expect(dashboard.id).toBeNull();
    expect(Number.isInteger(dashboard.revision)).toBe(true);
    expect(dashboard.title).toBe('DreamFactory user activity');
    const include = appPlugin.includes.find((inc) => inc.type === 'dashboard') as {
      path: string;
      uid?: string;
      name: string;
    };
    expect(include).toMatchObject({ path: 'dashboards/user-activity.json', uid: dashboard.uid, name: dashboard.title });
  });

  it('has the tags, range and refresh users expect', () => {
    expect(dashboard.tags).toEqual(['dreamfactory', 'users', 'api', 'activity']);
    expect(dashboard.time).toEqual({ from: 'now-24h', to: 'now' });
    expect(dashboard.refresh).toBe('1m');
  });

  it('offers datasource, user, service and method variables; the last three multi-value with All meaning "no filter"', () => {
    const [ds, ...rest] = dashboard.templating.list;
    expect(ds).toMatchObject({ type: 'datasource', name: 'datasource', query: 'dreamfactory-insights-datasource' });
    expect(rest.map((v) => [v.name, (v.query as { kind: string }).kind])).toEqual([
      ['user', 'users'],
      ['service', 'services'],
      ['method', 'methods'],
    ]);
    for (const variable of rest) {
      expect(variable).toMatchObject({ type: 'query', multi: true, includeAll: true, allValue: ANY_VALUE });
      expect(variable.datasource).toEqual({ type: 'dreamfactory-insights-datasource', uid: '${datasource}' });
    }
  });

  it('gives every panel exactly one query, on the datasource variable, unchanged by migration', () => {
    for (const p of panels) {
      const targets = targetsOf(p);
      expect(targets).toHaveLength(1);
      expect(p.datasource).toEqual({ type: 'dreamfactory-insights-datasource', uid: '${datasource}' });
      expect(targets[0].datasource).toEqual(p.datasource);
      expect(migrateQuery(targets[0] as never)).toEqual(targets[0]);
    }
  });

  it('uses no transformations (each panel’s shape comes from its query)', () => {
    for (const p of panels) {
      expect(p.transformations ?? []).toEqual([]);
    }
  });

  it('filters every event panel by every variable', () => {
    expect(eventPanels.length).toBeGreaterThanOrEqual(7);
    for (const p of eventPanels) {
      const { filters } = targetsOf(p)[0];
      expect({ title: p.title, users: filters?.users, services: filters?.services, methods: filters?.methods }).toEqual(
        {
          title: p.title,
          users: ['$user'],
          services: ['$service'],
          methods: ['$method'],
        }
      );
    }
  });

  it.each([
    ['Total API calls by user', ACTIVITY_PRESETS.callsByUser],
    ['APIs accessed by each user', ACTIVITY_PRESETS.apisByUser],
    ['User access to specific services', ACTIVITY_PRESETS.servicesByUser],
  ])('has the seed panel "%s" as a table grouped like the seed', (title, preset) => {
    const p = panel(title);
    expect(p.type).toBe('table');
    const [target] = targetsOf(p);
    expect(target.queryType).toBe('activity');
    expect(target.queryType === 'activity' && target.groupBy).toEqual(preset.groupBy);
  });

  it('goes beyond the seed: calls over time, status classes, errors, endpoints, events and limit usage', () => {
    const kinds = panels.map((p) => [p.type, targetsOf(p)[0].queryType]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        ['timeseries', 'timeseries'],
        ['bargauge', 'activity'],
        ['logs', 'logs'],
        ['bargauge', 'limitCounters'],
      ])
    );
    const errors = targetsOf(panel('Error responses (4xx/5xx) over time by service'))[0];
    expect(errors.filters?.statusClasses).toEqual(['4xx', '5xx']);
  });

  it('has a Limits row: usage over time, trips and the counters nearest to tripping, on the dashboard’s variables', () => {
    expect(rows.map((row) => row.title)).toEqual(['Limits']);
    const below = panels.filter((p) => p.gridPos.y > rows[0].gridPos.y);
    expect(below.map((p) => [p.type, targetsOf(p)[0].queryType])).toEqual([
      ['timeseries', 'limitUsage'],
      ['timeseries', 'limitTrips'],
      ['table', 'limitForecast'],
    ]);
    for (const p of below) {
      expect(targetsOf(p)[0].filters).toEqual({ users: ['$user'], services: ['$service'], methods: ['$method'] });
    }
    expect(below[0].fieldConfig?.defaults).toMatchObject({ unit: 'percentunit', max: 1 });
  });

  it('lays panels out without overlaps on the 24-column grid', () => {
    const cells = new Set<string>();
    for (const { gridPos } of dashboard.panels) {
      expect(gridPos.x + gridPos.w).toBeLessThanOrEqual(24);
      for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++) {
        for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
  });
});
