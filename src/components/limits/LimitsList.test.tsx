import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import LimitsPage from '../../pages/LimitsPage';
import { labels, selectors } from '../../selectors';
import {
  counter,
  limitView,
  LIMITS_BASE,
  limitsRoutes,
  relay,
  RelayFailure,
  renderApp,
  allowSlowRendering,
} from './testing/relayMock';

import type { FrameJSON, QueryRequest } from '@shared/query';
import usageFrames from '../../../proxy/src/query/__golden__/limit-usage-by-limit.frames.json';
import forecastFrames from '../../../proxy/src/query/__golden__/limit-forecast-limits-all.frames.json';

jest.mock('@grafana/runtime', () => require('./testing/relayMock').runtimeMock());
allowSlowRendering();

const sel = selectors.limits;
const LIMITS = [
  limitView({
    id: 1,
    name: 'Instance cap',
    type: 'instance',
    rate: 100,
    period: 'hour',
    counters: [counter(1, 'instance.hour', 10, 100)],
  }),
  limitView({
    id: 2,
    name: 'Alice daily',
    type: 'instance.user',
    rate: 100,
    period: 'day',
    userId: 7,
    userName: 'Alice Admin',
    counters: [counter(2, 'instance.user:7.day', 80, 100)],
  }),
  limitView({
    id: 3,
    name: 'Per user on db',
    type: 'instance.each_user.service',
    rate: 10,
    period: 'minute',
    serviceId: 4,
    serviceName: 'db',
    verb: 'GET',
    counters: [
      counter(3, 'instance.each_user:7.service:4.verb:GET.minute', 9, 10),
      counter(3, 'instance.each_user:8.service:4.verb:GET.minute', 2, 10),
    ],
  }),
];

function serve(extra: (call: (typeof relay.calls)[number]) => unknown = () => ({})) {
  relay.reset((call) => (call.method === 'GET' && call.path === 'limits' ? { limits: LIMITS } : extra(call)));
}

const renderList = (settings = {}) => renderApp(LIMITS_BASE, limitsRoutes(<LimitsPage />), settings);

/** Buttons are disabled; link buttons (New limit, Edit) are aria-disabled. */
function expectDisabled(testId: string) {
  const control = screen.getByTestId(testId);
  expect([testId, control.hasAttribute('disabled') || control.getAttribute('aria-disabled') === 'true']).toEqual([
    testId,
    true,
  ]);
}

/** The proxy's answers to the page's history queries: golden frames recorded from real Elasticsearch. */
const HISTORY: Record<string, FrameJSON> = {
  usage: (usageFrames as FrameJSON[])[0],
  forecast: (forecastFrames as FrameJSON[])[0],
  trips: {
    refId: 'trips',
    fields: [
      { name: 'Limit ID', type: 'number', values: [3, 1] },
      { name: 'Limit', type: 'string', values: ['Per user on db', 'Instance cap'] },
      { name: 'Trips', type: 'number', values: [5, 2] },
    ],
  },
};

function answerHistory(call: (typeof relay.calls)[number]) {
  const request = call.body as QueryRequest;
  return { results: Object.fromEntries(request.queries.map((q) => [q.refId, { frames: [HISTORY[q.refId]] }])) };
}

describe('Limits list', () => {
  it('shows each limit with its type, rate, names and a counter bar coloured by use', async () => {
    serve();
    renderList();
    expect(await screen.findByTestId(sel.list.rowName(1))).toHaveTextContent('Instance cap');
    const table = screen.getByTestId(sel.list.table);
    expect(within(table).getByText('100 / hour')).toBeInTheDocument();
    expect(within(table).getByText('100 / day')).toBeInTheDocument();
    expect(within(table).getByText('Service by Each User')).toBeInTheDocument();
    expect(within(table).getByText('Alice Admin')).toBeInTheDocument();
    expect(within(table).getAllByText('All verbs')).toHaveLength(2);
    expect(within(table).getByText('GET')).toBeInTheDocument();
    // 10 % → green, 80 % → yellow, busiest user 90 % → red.
    expect(screen.getByTestId(sel.list.counterBar(1))).toHaveAttribute('data-level', 'ok');
    expect(screen.getByTestId(sel.list.counterBar(1))).toHaveTextContent('10 / 100');
    expect(screen.getByTestId(sel.list.counterBar(2))).toHaveAttribute('data-level', 'warning');
    expect(screen.getByTestId(sel.list.counterBar(3))).toHaveAttribute('data-level', 'critical');
    expect(within(table).getByText('9 / 10 per user (busiest)')).toBeInTheDocument();
    expect(within(table).getByText('2 users, 11 calls in total')).toBeInTheDocument();
  });

  it('shows each limit’s usage over 24 h, its trips in 7 days and an estimate for its current window', async () => {
    serve((call) => (call.path === 'query' ? answerHistory(call) : {}));
    renderList();
    const sparkline = await screen.findByTestId(sel.list.sparkline(1));
    // Golden history: limit 1 peaked at its maximum; 9:00–9:30 was not sampled, so its line has a gap.
    expect(sparkline).toHaveAttribute('data-peak', '1');
    expect(sparkline).toHaveAttribute('aria-label', expect.stringMatching(/usage over the last 24 hours, peak 100 %/));
    expect(sparkline.querySelectorAll('polyline').length).toBeGreaterThan(1);
    expect(screen.getByTestId(sel.list.trips(3))).toHaveTextContent('5');
    expect(screen.getByTestId(sel.list.trips(2))).toHaveTextContent('0');
    expect(screen.getByTestId(sel.list.projection(1))).toHaveAttribute('data-kind', 'at-limit');
    expect(screen.getByTestId(sel.list.projection(2))).toHaveAttribute('data-kind', 'at-limit');
    expect(screen.getByTestId(sel.list.projection(3))).toHaveTextContent(
      'Estimate: not expected to trip in this window'
    );
    // The history comes from two reads: 24 h (usage, forecast) and 7 days (trips), through the Viewer route.
    const queries = relay.calls.filter((c) => c.path === 'query');
    expect(queries.map((c) => (c.body as QueryRequest).queries.map((q) => q.queryType))).toEqual([
      ['limitUsage', 'limitForecast'],
      ['limitTrips'],
    ]);
    expect(queries.every((c) => !c.editorRoute)).toBe(true);
    // One usage series per listed limit, about 96 points a day (the proxy widens the interval for many limits).
    const [usage] = (queries[0].body as QueryRequest).queries;
    expect(usage).toMatchObject({ splitBy: 'limit', size: 3, interval: 'auto' });
    expect((queries[0].body as QueryRequest).maxDataPoints).toBe(96);
  });

  it('still lists the limits when the history cannot be read, and says why', async () => {
    serve((call) =>
      call.path === 'query'
        ? { results: { usage: { frames: [], error: 'Elasticsearch unreachable at http://es:9200' } } }
        : {}
    );
    renderList();
    expect(await screen.findByTestId(sel.list.historyNotice)).toHaveTextContent(
      'Elasticsearch unreachable at http://es:9200'
    );
    expect(screen.getByTestId(sel.list.rowName(1))).toBeInTheDocument();
    expect(screen.queryByTestId(sel.list.sparkline(1))).not.toBeInTheDocument();
  });

  it('warns on the row a broader limit shadows, and only there; quirks are notes', async () => {
    serve();
    renderList();
    // Instance 100/hour allows more than Alice's 100/day, but fewer than the per-user 10/minute on db.
    await screen.findByTestId(sel.list.rowName(1));
    expect(screen.queryByTestId(sel.list.rowWarnings(1))).not.toBeInTheDocument();
    expect(screen.queryByTestId(sel.list.rowWarnings(2))).not.toBeInTheDocument();
    expect(screen.getByTestId(sel.list.rowWarnings(3))).toHaveAttribute(
      'aria-label',
      expect.stringContaining('The Instance limit "Instance cap" (100 / hour) allows fewer calls')
    );
    // The limit's own quirk is a note, not a warning.
    expect(screen.getByTestId(sel.list.rowWarnings(3))).not.toHaveAttribute(
      'aria-label',
      expect.stringContaining('Each-user')
    );
    expect(screen.getByTestId(sel.list.rowNotes(3))).toHaveAttribute(
      'aria-label',
      expect.stringContaining('Each-user counters')
    );
    expect(screen.queryByTestId(sel.list.rowNotes(1))).not.toBeInTheDocument();
  });

  it('filters rows by the search box', async () => {
    serve();
    renderList();
    await screen.findByTestId(sel.list.rowName(1));
    fireEvent.change(screen.getByTestId(sel.list.search), { target: { value: 'alice' } });
    expect(screen.getByTestId(sel.list.rowName(2))).toBeInTheDocument();
    expect(screen.queryByTestId(sel.list.rowName(1))).not.toBeInTheDocument();
  });

  it('deletes a limit only after confirmation', async () => {
    serve();
    renderList();
    fireEvent.click(await screen.findByTestId(sel.list.delete(2)));
    expect(screen.getByText('Delete the limit "Alice daily"? Its counters are cleared too.')).toBeInTheDocument();
    expect(relay.writes()).toHaveLength(0);
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() =>
      expect(relay.writes()).toEqual([expect.objectContaining({ method: 'DELETE', path: 'limits/2' })])
    );
  });

  it('resets a counter after "Clear counter for {name}?", and says each-user counters go all at once', async () => {
    serve();
    renderList();
    fireEvent.click(await screen.findByTestId(sel.list.resetCounter(3)));
    expect(screen.getByText('Clear counter for Per user on db?')).toBeInTheDocument();
    expect(screen.getByText(/can only clear them all at once/)).toBeInTheDocument();
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Clear counter' }));
    await waitFor(() =>
      expect(relay.writes()).toEqual([expect.objectContaining({ method: 'DELETE', path: 'limit-counters/3' })])
    );
  });

  it('applies bulk actions to the selected limits and lists what DreamFactory refused', async () => {
    serve((call) =>
      call.path === 'limits/bulk' ? { done: [1], failed: [{ id: 2, error: 'Record not found.' }] } : {}
    );
    renderList();
    fireEvent.click(await screen.findByTestId(sel.list.rowSelect(1)));
    fireEvent.click(screen.getByTestId(sel.list.rowSelect(2)));
    fireEvent.click(screen.getByTestId(sel.bulk.deactivate));
    await waitFor(() =>
      expect(relay.writes()).toEqual([
        expect.objectContaining({ path: 'limits/bulk', body: { action: 'deactivate', ids: [1, 2] } }),
      ])
    );
    expect(await screen.findByTestId(sel.bulk.result)).toHaveTextContent('Alice daily: Record not found.');

    fireEvent.click(screen.getByTestId(sel.bulk.delete));
    expect(screen.getByText('Delete Alice daily? Their counters are cleared too.')).toBeInTheDocument();
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() =>
      expect(relay.writes()[1]).toEqual(expect.objectContaining({ body: { action: 'delete', ids: [2] } }))
    );
  });

  it('gives a Viewer no enabled write control and says why', async () => {
    serve();
    relay.user.orgRole = 'Viewer';
    renderList();
    await screen.findByTestId(sel.list.rowName(1));
    fireEvent.click(screen.getByTestId(sel.list.rowSelect(1)));
    const writeControls = [
      sel.list.newButton,
      sel.list.edit(1),
      sel.list.delete(1),
      sel.list.resetCounter(1),
      sel.list.rowActive(1),
      sel.bulk.activate,
      sel.bulk.deactivate,
      sel.bulk.delete,
      sel.bulk.resetCounters,
    ];
    writeControls.forEach(expectDisabled);
    expect(screen.getAllByTestId(sel.readOnlyNotice).length).toBeGreaterThanOrEqual(writeControls.length);
    fireEvent.mouseEnter(screen.getAllByTestId(sel.readOnlyNotice)[0]);
    expect(await screen.findByText(labels.limits.readOnly('Admin'))).toBeInTheDocument();
  });

  it("judges a Grafana server admin by their org role, as Grafana's routes do", async () => {
    serve();
    relay.user.orgRole = 'Viewer';
    relay.user.isGrafanaAdmin = true;
    const { unmount } = renderList();
    await screen.findByTestId(sel.list.rowName(1));
    [sel.list.newButton, sel.list.edit(1), sel.list.delete(1)].forEach(expectDisabled);
    unmount();

    relay.user.orgRole = 'Editor';
    renderList({ limitWriteRole: 'Admin' });
    await screen.findByTestId(sel.list.rowName(1));
    [sel.list.newButton, sel.list.edit(1), sel.list.delete(1)].forEach(expectDisabled);
  });

  it('lets an Editor write when the app allows Editors, through the Editor routes', async () => {
    serve();
    relay.user.orgRole = 'Editor';
    renderList({ limitWriteRole: 'Editor' });
    fireEvent.click(await screen.findByTestId(sel.list.rowActive(1)));
    await waitFor(() =>
      expect(relay.writes()).toEqual([
        expect.objectContaining({ method: 'PATCH', path: 'limits/1', editorRoute: true, body: { is_active: false } }),
      ])
    );
  });

  it('shows a 403 as missing permission', async () => {
    serve((call) => {
      throw new RelayFailure(403, { error: 'Forbidden', source: 'permission' });
    });
    renderList();
    fireEvent.click(await screen.findByTestId(sel.list.rowActive(1)));
    expect(await screen.findByText("You don't have permission to change limits")).toBeInTheDocument();
  });

  it('says the proxy token is wrong or was rotated when the proxy refuses it', async () => {
    relay.reset(() => {
      throw new RelayFailure(401, { error: 'Missing or wrong proxy token (header x-insights-token).' });
    });
    renderList();
    const alert = await screen.findByTestId(selectors.proxyError);
    expect(alert).toHaveTextContent(labels.proxyTokenRejected);
    expect(alert).toHaveTextContent('PROXY_TOKEN');
  });

  it('shows DreamFactory being unreachable with the proxy message', async () => {
    relay.reset(() => {
      throw new RelayFailure(502, { error: 'connect ECONNREFUSED 127.0.0.1:8080', source: 'unreachable' });
    });
    renderList();
    const alert = await screen.findByTestId(selectors.proxyError);
    expect(alert).toHaveTextContent('DreamFactory is unreachable');
    expect(alert).toHaveTextContent('connect ECONNREFUSED 127.0.0.1:8080');
  });

  it('points to datasource setup when no Insights datasource exists', async () => {
    serve();
    relay.datasources = [];
    renderList();
    expect(await screen.findByTestId(selectors.proxyError)).toHaveTextContent(labels.limits.noDatasource);
    expect(screen.getByRole('link', { name: 'Connections → Data sources' })).toHaveAttribute(
      'href',
      '/connections/datasources/new'
    );
    expect(relay.calls).toHaveLength(0);
  });

  it('says so when DreamFactory has no limits', async () => {
    relay.reset(() => ({ limits: [] }));
    renderList();
    expect(await screen.findByTestId(sel.list.empty)).toHaveTextContent('No limits yet');
  });
});
