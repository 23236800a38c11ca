import { CoreApp, DataQueryRequest, Field, FieldType } from '@grafana/data';
import { relay, RelayFailure } from '../components/limits/testing/relayMock';
import {
  ACTIVITY_PRESETS,
  ANONYMOUS_USER_VALUE,
  InsightsQuery,
  LogsQuery,
  QueryRequest,
  QueryResponse,
} from '@shared/query';
import { lastValueFrom } from 'rxjs';
import { DataSource } from './datasource';
import { interpolateQuery } from './interpolate';
import { InsightsVariableSupport } from './variables';
import { DS_UID, fakeTemplateSrv, instanceSettings, range } from './testing/fakes';
import { labels } from '../selectors';

jest.mock('@grafana/runtime', () => require('../components/limits/testing/relayMock').runtimeMock());

const VARIABLES = { user: ['7', '9'], service: 'files', method: '*', status: ['4xx', '5xx'], term: 'db' };

function datasource(jsonData = { proxyUrl: 'http://proxy:3100' }) {
  return new DataSource(instanceSettings(jsonData), fakeTemplateSrv(VARIABLES));
}

function request(targets: Array<Partial<InsightsQuery> & { refId: string }>): DataQueryRequest<InsightsQuery> {
  return {
    requestId: 'r1',
    interval: '1m',
    intervalMs: 60_000,
    maxDataPoints: 800,
    range: range(),
    scopedVars: {},
    targets: targets as InsightsQuery[],
    timezone: 'utc',
    app: CoreApp.Dashboard,
    startTime: 0,
  };
}

const activityFrame = {
  refId: 'A',
  fields: [
    { name: 'User', type: 'string', values: ['ann@example.com', 'anonymous (API key only)'] },
    { name: 'User Email', type: 'string', values: ['ann@example.com', null] },
    { name: 'Name', type: 'string', values: ['Ann', null] },
    { name: 'User ID', type: 'string', values: ['7', ANONYMOUS_USER_VALUE] },
    { name: 'Calls', type: 'number', values: [12, 3] },
  ],
  meta: {
    preferredVisualisationType: 'table',
    notices: [{ severity: 'warning', text: 'User was cut to the top 100' }],
  },
};

describe('DataSource.query', () => {
  it('sends one QueryRequest: ISO range, migrated queries, variables expanded, hidden queries and Grafana keys left out', async () => {
    relay.reset(() => ({ results: { A: { frames: [] }, B: { frames: [] } } }) satisfies QueryResponse);
    await datasource().query(
      request([
        {
          refId: 'A',
          queryType: 'activity',
          datasource: { uid: DS_UID },
          filters: {
            users: ['$user'],
            services: ['$service'],
            methods: ['$method'],
            statusClasses: ['$status' as never],
            lucene: 'event.request.resource:$term',
          },
        } as never,
        { refId: 'B', queryType: 'logs', limit: 20 },
        { refId: 'C', queryType: 'logs', hide: true },
      ])
    );
    expect(relay.calls).toHaveLength(1);
    const [call] = relay.calls;
    expect(call).toMatchObject({ method: 'POST', path: 'query', editorRoute: false });
    const body = call.body as QueryRequest;
    expect(body.range).toEqual({ from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' });
    expect(body.intervalMs).toBe(60_000);
    expect(body.maxDataPoints).toBe(800);
    expect(body.queries.map((q) => q.refId)).toEqual(['A', 'B']);
    const [activity, logs] = body.queries;
    expect(activity).not.toHaveProperty('datasource');
    // Saved with only a type: migrateQuery filled the seed's first grouping in.
    expect(activity).toMatchObject({
      queryType: 'activity',
      modelVersion: 1,
      groupBy: ACTIVITY_PRESETS.callsByUser.groupBy,
    });
    // Multi-value $user became two entries; $method was "All" (*) so no method filter is sent.
    expect(activity.filters).toEqual({
      users: ['7', '9'],
      services: ['files'],
      statusClasses: ['4xx', '5xx'],
      lucene: 'event.request.resource:("db")',
    });
    expect(logs).toMatchObject({ queryType: 'logs', limit: 20 });
  });

  it('sends nothing when every query is hidden', async () => {
    relay.reset(() => ({ results: {} }));
    const response = await datasource().query(request([{ refId: 'A', queryType: 'logs', hide: true }]));
    expect(response.data).toEqual([]);
    expect(relay.calls).toHaveLength(0);
  });

  it('converts frames, keeps notices, and links user cells to that user’s events', async () => {
    relay.reset(() => ({ results: { A: { frames: [activityFrame] } } }));
    const response = await datasource().query(request([{ refId: 'A', queryType: 'activity' }]));
    expect(response.errors).toBeUndefined();
    const [frame] = response.data;
    expect(frame.length).toBe(2);
    expect(frame.fields.map((f: { name: string; type: FieldType }) => [f.name, f.type])).toEqual([
      ['User', FieldType.string],
      ['User Email', FieldType.string],
      ['Name', FieldType.string],
      ['User ID', FieldType.string],
      ['Calls', FieldType.number],
    ]);
    expect(frame.meta.notices).toEqual(activityFrame.meta.notices);
    const user = frame.fields[0];
    expect(user.config.links).toEqual([
      expect.objectContaining({
        title: 'Events of this user',
        internal: expect.objectContaining({
          datasourceUid: DS_UID,
          query: expect.objectContaining({ queryType: 'logs', filters: { users: ['${__data.fields["User ID"]}'] } }),
        }),
      }),
    ]);
    expect(frame.fields[4].config.links).toBeUndefined();
  });

  it('links the row of calls without a user to events without a user, not to every event', async () => {
    relay.reset(() => ({ results: { A: { frames: [activityFrame] } } }));
    const [frame] = (await datasource().query(request([{ refId: 'A', queryType: 'activity' }]))).data;
    const link = frame.fields[0].config.links[0];
    const userIds = frame.fields.find((f: Field) => f.name === 'User ID').values;
    // Grafana puts the clicked row's value (null as '') into the link's query, then the datasource interpolates it.
    const clicked = (row: number) =>
      interpolateQuery(link.internal.query as LogsQuery, (target) =>
        target.replace('${__data.fields["User ID"]}', String(userIds[row] ?? ''))
      ).filters?.users;
    expect(clicked(0)).toEqual(['7']);
    expect(clicked(1)).toEqual([ANONYMOUS_USER_VALUE]);
  });

  it('reports a failed query as that query’s error and still returns the other query’s frames', async () => {
    relay.reset(() => ({
      results: { A: { frames: [activityFrame] }, B: { frames: [], error: 'Lucene query is invalid: unexpected ")"' } },
    }));
    const response = await datasource().query(
      request([
        { refId: 'A', queryType: 'activity' },
        { refId: 'B', queryType: 'logs' },
      ])
    );
    expect(response.data).toHaveLength(1);
    expect(response.errors).toEqual([{ refId: 'B', message: 'Lucene query is invalid: unexpected ")"' }]);
  });

  it('turns a failed request into one error per query with the proxy’s message', async () => {
    relay.reset(() => {
      throw new RelayFailure(502, { error: 'Elasticsearch is unreachable' });
    });
    const response = await datasource().query(
      request([
        { refId: 'A', queryType: 'activity' },
        { refId: 'B', queryType: 'logs' },
      ])
    );
    expect(response.data).toEqual([]);
    expect(response.errors).toEqual([
      { refId: 'A', message: 'Insights proxy: Elasticsearch is unreachable', status: 502 },
      { refId: 'B', message: 'Insights proxy: Elasticsearch is unreachable', status: 502 },
    ]);
  });
  it('tells every panel query that the proxy token is wrong when the proxy refuses it', async () => {
    relay.reset(() => {
      throw new RelayFailure(401, { error: 'Missing or wrong proxy token (header x-insights-token).' });
    });
    const response = await datasource().query(request([{ refId: 'A', queryType: 'activity' }]));
    expect(response.errors).toEqual([
      { refId: 'A', message: `Insights proxy: ${labels.proxyTokenRejected}`, status: 400 },
    ]);
  });
});

describe('DataSource.testDatasource', () => {
  const healthy = {
    proxy: { ok: true, version: '1.0.0' },
    elasticsearch: { ok: true, message: 'green', version: '8.19.21' },
    dreamfactory: { ok: true, message: 'reachable' },
  };

  it('succeeds when proxy, Elasticsearch and DreamFactory are all up, naming each', async () => {
    relay.reset(() => healthy);
    const result = await datasource().testDatasource();
    expect(relay.calls[0]).toMatchObject({ method: 'GET', path: 'datasource-health' });
    expect(result.status).toBe('success');
    expect(result.message).toContain('Insights proxy (1.0.0) OK');
    expect(result.message).toContain('Elasticsearch (8.19.21) OK');
    expect(result.message).toContain('DreamFactory OK');
  });

  it('fails with the failing upstream’s message when one is down', async () => {
    relay.reset(() => ({ ...healthy, dreamfactory: { ok: false, message: 'HTTP 401: Invalid API key' } }));
    const result = await datasource().testDatasource();
    expect(result.status).toBe('error');
    expect(result.message).toBe('DreamFactory FAILED: HTTP 401: Invalid API key');
    expect(result.details?.message).toContain('Elasticsearch (8.19.21) OK');
  });

  it('reads the report the proxy sends with a 503', async () => {
    relay.reset(() => {
      throw new RelayFailure(503, {
        ...healthy,
        elasticsearch: { ok: false, message: 'connect ECONNREFUSED 127.0.0.1:9200' },
      });
    });
    const result = await datasource().testDatasource();
    expect(result).toMatchObject({
      status: 'error',
      message: 'Elasticsearch FAILED: connect ECONNREFUSED 127.0.0.1:9200',
    });
  });

  it("says the proxy token is wrong when the proxy refuses it, whatever Grafana's 400 looks like", async () => {
    relay.reset(() => {
      throw new RelayFailure(401, { error: 'Missing or wrong proxy token (header x-insights-token).' });
    });
    const result = await datasource().testDatasource();
    expect(result).toMatchObject({ status: 'error', message: labels.proxyTokenRejected });
    expect(result.details?.message).toContain('PROXY_TOKEN');
  });

  it('does not read an ordinary 400 from the proxy as a token problem', async () => {
    relay.reset(() => {
      throw new RelayFailure(400, { error: 'Invalid query request' });
    });
    const result = await datasource().testDatasource();
    expect(result.status).toBe('error');
    expect(result.message).not.toContain(labels.proxyTokenRejected);
    expect(result.message).toContain('Invalid query request');
  });

  it('asks for the proxy URL before calling anything', async () => {
    relay.reset(() => healthy);
    const result = await datasource({ proxyUrl: '' }).testDatasource();
    expect(result.status).toBe('error');
    expect(result.message).toContain('proxy URL');
    expect(relay.calls).toHaveLength(0);
  });
});

describe('DataSource variables', () => {
  it('lists values of a kind for the range, as text/value pairs', async () => {
    relay.reset(() => ({ values: [{ text: 'ann@example.com', value: '7' }] }));
    const values = await datasource().metricFindQuery({ refId: 'v', kind: 'users' }, { range: range() });
    expect(values).toEqual([{ text: 'ann@example.com', value: '7' }]);
    expect(relay.calls[0]).toMatchObject({
      method: 'GET',
      path: 'variables/users',
      params: { from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' },
    });
  });

  it('rejects an unknown kind with the kinds it knows', async () => {
    relay.reset(() => ({ values: [] }));
    await expect(datasource().metricFindQuery('roles')).rejects.toThrow(
      'use one of users, services, methods, endpoints'
    );
    expect(relay.calls).toHaveLength(0);
  });

  it('answers variable queries with text and value fields', async () => {
    relay.reset(() => ({ values: [{ text: 'GET', value: 'GET' }] }));
    const variables = datasource().variables as InsightsVariableSupport;
    const response = await lastValueFrom(
      variables.query({ ...request([]), targets: [{ refId: 'v', kind: 'methods' }] })
    );
    expect(response.data[0].fields.map((f: Field) => [f.name, f.values])).toEqual([
      ['text', ['GET']],
      ['value', ['GET']],
    ]);
  });
});

describe('DataSource query helpers', () => {
  it('starts dashboards on the seed’s first panel and Explore on events', () => {
    const ds = datasource();
    expect(ds.getDefaultQuery(CoreApp.Dashboard)).toMatchObject({
      queryType: 'activity',
      groupBy: ACTIVITY_PRESETS.callsByUser.groupBy,
    });
    expect(ds.getDefaultQuery(CoreApp.Explore)).toMatchObject({ queryType: 'logs' });
  });

  it('describes a query in one line', () => {
    const text = datasource().getQueryDisplayText({
      refId: 'A',
      queryType: 'activity',
      groupBy: [...ACTIVITY_PRESETS.apisByUser.groupBy],
      showOther: true,
      shareOfTotal: false,
      filters: { services: ['files'] },
    });
    expect(text).toBe('Activity (calls grouped) · by User › Method › Endpoint · services=files');
  });

  it('interpolates queries for Explore and mixed panels the same way, keeping their datasource', () => {
    const saved = {
      refId: 'A',
      queryType: 'logs',
      limit: 5,
      filters: { users: ['$user'] },
      datasource: { uid: DS_UID },
    };
    const [query] = datasource().interpolateVariablesInQueries([saved as InsightsQuery], {});
    expect(query).toMatchObject({ filters: { users: ['7', '9'] }, datasource: { uid: DS_UID } });
  });
});
