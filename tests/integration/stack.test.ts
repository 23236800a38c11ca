/**
 * The no-Docker stack (`npm run stack`) as users run it: the proxy started by its CLI, DreamFactory traffic in its
 * GELF wire format, and every panel of the shipped dashboard answering with data and the columns it promises.
 */
import { FRAME_COLUMNS, migrateQuery, InsightsQuery, QueryResponse } from '@shared/query';
import { PROXY_TOKEN_HEADER } from '@shared/headers';
import dashboard from '../../src/dashboards/user-activity.json';
import { RunningStack, startStack } from '../../scripts/stack';

const BACKLOG = 400;

/** What the datasource sends for a panel target with every dashboard variable at "All": those filters fall away. */
function asSent(target: Record<string, unknown>): InsightsQuery {
  const filters = Object.fromEntries(
    Object.entries((target.filters as Record<string, unknown>) ?? {})
      .map(([key, value]) => [key, Array.isArray(value) ? value.filter((v) => !String(v).startsWith('$')) : value])
      .filter(([, value]) => !Array.isArray(value) || value.length > 0)
  );
  const { datasource: _datasource, ...query } = target;
  return migrateQuery({ ...query, filters } as Parameters<typeof migrateQuery>[0]);
}

describe('the no-Docker stack serves the dashboard', () => {
  let stack: RunningStack;

  async function query(queries: InsightsQuery[]): Promise<QueryResponse> {
    const to = new Date(Date.now() + 60000);
    const from = new Date(to.getTime() - 25 * 3600 * 1000);
    const response = await fetch(`${stack.proxyUrl}/api/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [PROXY_TOKEN_HEADER]: stack.proxyToken },
      body: JSON.stringify({ range: { from: from.toISOString(), to: to.toISOString() }, queries, intervalMs: 60000, maxDataPoints: 500 }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as QueryResponse;
  }

  beforeAll(async () => {
    stack = await startStack({ backlog: BACKLOG, rate: 0, users: 40, log: () => undefined });
    await stack.backlogSent;
    // Wait until the history is searchable (UDP from a same-host sender at this pace loses nothing in practice).
    for (let i = 0; i < 120; i++) {
      const total = await query([migrateQuery({ refId: 'T', queryType: 'activity', groupBy: [] })]);
      const calls = total.results.T.frames[0]?.fields.find((f) => f.name === FRAME_COLUMNS.calls)?.values[0];
      if (Number(calls) >= BACKLOG) {
        break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }, 300000);

  afterAll(async () => {
    await stack?.stop();
  });

  const panels = dashboard.panels.filter((p) => Array.isArray((p as { targets?: unknown[] }).targets));

  it.each(panels.map((p) => [p.title, p] as const))('panel "%s" returns data', async (_title, panel) => {
    const targets = (panel as { targets: Array<Record<string, unknown>> }).targets.map(asSent);
    const response = await query(targets);
    for (const target of targets) {
      const result = response.results[target.refId];
      expect(result.error).toBeUndefined();
      expect(result.frames.length).toBeGreaterThan(0);
      const rows = Math.max(...result.frames.map((f) => f.fields[0]?.values.length ?? 0));
      expect(rows).toBeGreaterThan(0);
    }
  });

  it.each([
    ['Total API calls by user', ['User', 'Calls']],
    ['APIs accessed by each user', ['User', 'Method', 'Endpoint', 'Calls']],
    ['User access to specific services', ['User', 'Service', 'Method', 'Calls']],
  ])('seed panel "%s" has the seed columns', async (title, columns) => {
    const panel = panels.find((p) => p.title === title) as { targets: Array<Record<string, unknown>> } | undefined;
    expect(panel).toBeDefined();
    const [target] = panel!.targets.map(asSent);
    const response = await query([target]);
    const names = response.results[target.refId].frames[0].fields.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(columns));
  });
});
