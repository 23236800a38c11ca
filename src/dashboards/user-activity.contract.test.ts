/**
 * The bundled dashboard through the real datasource into the proxy's request validation: every panel's query, with
 * the dashboard's variables interpolated, is a request the proxy accepts.
 */
import { CoreApp, DataQueryRequest } from '@grafana/data';
import { relay } from '../components/limits/testing/relayMock';
import { DataSource } from '../datasource/datasource';
import { fakeTemplateSrv, instanceSettings, range } from '../datasource/testing/fakes';
import { ANY_VALUE, type InsightsQuery, type QueryRequest } from '@shared/query';
import dashboard from './user-activity.json';

jest.mock('@grafana/runtime', () => require('../components/limits/testing/relayMock').runtimeMock());

// Loaded at run time: the plugin's tsconfig covers src/ only, and this is the proxy's own validation code.
const { parseQuery, requestEnvelopeSchema } = jest.requireActual('../../proxy/src/query/validate') as {
  parseQuery: (query: unknown) => { ok: boolean; error?: string };
  requestEnvelopeSchema: { safeParse: (body: unknown) => { success: boolean } };
};

// user: two picked; service: "All" (the dashboard's allValue); method: one picked.
const datasource = new DataSource(
  instanceSettings(),
  fakeTemplateSrv({ user: ['7', '9'], service: ANY_VALUE, method: ['GET'] })
);

async function requestFor(target: InsightsQuery): Promise<QueryRequest> {
  relay.reset(() => ({ results: {} }));
  const request = {
    requestId: 'dashboard',
    interval: '1m',
    intervalMs: 60_000,
    maxDataPoints: 1000,
    range: range(),
    scopedVars: {},
    targets: [target],
    timezone: 'browser',
    app: CoreApp.Dashboard,
    startTime: 0,
  } as DataQueryRequest<InsightsQuery>;
  await datasource.query(request);
  expect(relay.calls).toHaveLength(1);
  return relay.calls[0].body as QueryRequest;
}

// Rows group panels and carry no query.
const queries: Array<[string, InsightsQuery]> = dashboard.panels.flatMap((panel) =>
  panel.targets ? [[panel.title, panel.targets[0] as unknown as InsightsQuery] as [string, InsightsQuery]] : []
);

describe.each(queries)('panel "%s"', (_title, target) => {
  it('sends a request the proxy accepts, with the variables applied', async () => {
    const body = await requestFor(target);
    expect(requestEnvelopeSchema.safeParse(body).success).toBe(true);
    const [query] = body.queries;
    const parsed = parseQuery(query as never);
    expect(parsed).toMatchObject({ ok: true });
    if (['activity', 'timeseries', 'logs', 'limitUsage', 'limitTrips', 'limitForecast'].includes(query.queryType)) {
      expect(query.filters?.users).toEqual(['7', '9']);
      expect(query.filters?.methods).toEqual(['GET']);
      expect(query.filters?.services).toBeUndefined();
    }
  });
});
