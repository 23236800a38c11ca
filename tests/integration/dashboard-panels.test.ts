/**
 * The bundled "DreamFactory user activity" dashboard against the real proxy, Elasticsearch and the DreamFactory
 * simulator: every panel's query (variables on "All", as the dashboard opens) is answered without error, and every
 * field the panel's options name (hidden columns, reduced fields, display names) is in the frames it gets.
 */
import dashboard from '../../src/dashboards/user-activity.json';
import { interpolateQuery, ReplaceFn } from '../../src/datasource/interpolate';
import type { FrameJSON, InsightsQuery } from '@shared/query';
import { ACTIVITY_DATASET, activityEvents } from './query-data';
import { LIMIT_DATASET_SPAN_MS, limitHistoryDocuments } from './limit-history-data';
import { QueryProxy, QueryStack, startQueryStack } from './query-harness';

// The dashboard opens with every variable on "All", whose value is `*`.
// Rows group panels and carry no query.
type QueryPanel = Extract<(typeof dashboard.panels)[number], { targets: unknown }>;
const queryPanels = dashboard.panels.filter((panel): panel is QueryPanel => 'targets' in panel);
const allSelected: ReplaceFn = (target) => target.replace(/\$(user|service|method)\b/g, '*');

interface PanelOptions {
  fieldConfig?: {
    defaults?: { displayName?: string };
    overrides?: Array<{ matcher: { id: string; options: string } }>;
  };
  options?: { reduceOptions?: { fields?: string } };
}

/** Field names a panel's options refer to; a rename in the proxy would silently break them. */
function fieldsNamedBy(panel: PanelOptions): { names: string[]; patterns: RegExp[] } {
  const overrides = (panel.fieldConfig?.overrides ?? [])
    .filter((o) => o.matcher.id === 'byName')
    .map((o) => o.matcher.options);
  const displayName = panel.fieldConfig?.defaults?.displayName ?? '';
  const referenced = [...displayName.matchAll(/__data\.fields\["([^"]+)"\]/g)].map((m) => m[1]);
  const pattern = panel.options?.reduceOptions?.fields;
  return { names: [...overrides, ...referenced], patterns: pattern ? [new RegExp(pattern.slice(1, -1))] : [] };
}

describe('the user-activity dashboard on the real stack', () => {
  let stack: QueryStack;
  let proxy: QueryProxy;

  beforeAll(async () => {
    // Six hours of limit samples ending with the range, so the Limits row has history, trips and a "now".
    const limitsStart = Date.parse(ACTIVITY_DATASET.RANGE.to) - LIMIT_DATASET_SPAN_MS;
    stack = await startQueryStack(
      'dashboard',
      activityEvents(),
      { admins: 1, users: 50, seed: 3 },
      limitHistoryDocuments(limitsStart)
    );
    proxy = stack.proxy;
  });

  afterAll(async () => {
    await stack?.close();
  });

  it.each(queryPanels.map((panel) => [panel.title, panel]))(
    'panel "%s" gets its data and the fields it names',
    async (_title, panel) => {
      const { datasource, ...saved } = panel.targets[0] as unknown as InsightsQuery & { datasource: unknown };
      const query = interpolateQuery(saved as InsightsQuery, allSelected);
      const response = await proxy.query({
        range: ACTIVITY_DATASET.RANGE,
        queries: [query],
        intervalMs: 60_000,
        maxDataPoints: 1000,
      });
      const result = response.results[query.refId];
      expect(result.error).toBeUndefined();
      const frames: FrameJSON[] = result.frames;
      expect(frames.length).toBeGreaterThan(0);
      const names = frames.flatMap((frame) => frame.fields.map((field) => field.name));
      const { names: wanted, patterns } = fieldsNamedBy(panel as PanelOptions);
      expect(names).toEqual(expect.arrayContaining(wanted));
      for (const pattern of patterns) {
        expect(names.some((name) => pattern.test(name))).toBe(true);
      }
      if (query.queryType !== 'limitCounters') {
        // The datasets have events and limit samples in the range: no panel is empty.
        expect(frames.some((frame) => (frame.fields[0]?.values.length ?? 0) > 0)).toBe(true);
      }
    }
  );

  it('shows nothing, not zero rows, for a range without events', async () => {
    const empty = { from: '2001-01-01T00:00:00.000Z', to: '2001-01-02T00:00:00.000Z' };
    const queries = queryPanels
      .map((panel, i) => ({ ...(panel.targets[0] as unknown as InsightsQuery), refId: `P${i}` }))
      .filter((query) => query.queryType === 'activity')
      .map((query) => interpolateQuery(query, allSelected));
    const response = await proxy.query({ range: empty, queries });
    for (const query of queries) {
      const rows = response.results[query.refId].frames.reduce(
        (sum, frame) => sum + (frame.fields[0]?.values.length ?? 0),
        0
      );
      expect({ refId: query.refId, rows }).toEqual({ refId: query.refId, rows: 0 });
    }
  });
});
