import React from 'react';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route } from 'react-router-dom';
import LimitCountersPage from '../../../pages/LimitCountersPage';
import { selectors } from '../../../selectors';
import {
  allowSlowRendering,
  counter,
  limitView,
  relay,
  RelayFailure,
  renderApp,
  settle,
  stubBrowserApis,
} from '../testing/relayMock';
import { AUTO_REFRESH_MS } from './LimitCounters';

jest.mock('@grafana/runtime', () => require('../testing/relayMock').runtimeMock());
allowSlowRendering();
beforeAll(stubBrowserApis);

const sel = selectors.limitCounters;
const PATH = '/a/dreamfactory-insights-app/limit-counters';
const LIMITS = [
  limitView({ id: 1, name: 'Instance cap', type: 'instance', rate: 100 }),
  limitView({ id: 3, name: 'Per user', type: 'instance.each_user', rate: 10, period: 'minute' }),
];
const COUNTERS = [
  counter(1, 'instance.hour', 40, 100),
  counter(3, 'instance.each_user:7.minute', 10, 10),
  counter(3, 'instance.each_user:8.minute', 8, 10),
];

function serve() {
  relay.reset((call) => {
    if (call.method === 'GET' && call.path === 'limits') {
      return { limits: LIMITS };
    }
    if (call.method === 'GET' && call.path === 'limit-counters') {
      const limitId = call.params?.limitId;
      return { counters: COUNTERS.filter((c) => limitId === undefined || c.limitId === limitId) };
    }
    return {};
  });
}

const renderPage = () => renderApp(PATH, <Route path={PATH} element={<LimitCountersPage />} />);
const counterReads = () => relay.calls.filter((c) => c.method === 'GET' && c.path === 'limit-counters');

describe('Limit counters page', () => {
  afterEach(() => jest.useRealTimers());

  it('lists every counter with its limit, attempts, max, remaining and a coloured bar', async () => {
    serve();
    renderPage();
    const table = await screen.findByTestId(sel.table);
    const row = within(table).getByText('instance.each_user:8.minute').closest('tr')!;
    expect(within(row).getByText('Per user')).toBeInTheDocument();
    expect(within(row).getByText('8')).toBeInTheDocument();
    expect(within(row).getByText('2')).toBeInTheDocument();
    expect(screen.getByTestId(sel.bar('instance.each_user:8.minute'))).toHaveAttribute('data-level', 'warning');
    expect(screen.getByTestId(sel.bar('instance.each_user:7.minute'))).toHaveAttribute('data-level', 'critical');
    expect(screen.getByTestId(sel.bar('instance.hour'))).toHaveAttribute('data-level', 'ok');
  });

  it('filters by limit through the relay', async () => {
    serve();
    renderPage();
    await screen.findByTestId(sel.table);
    act(() => {
      fireEvent.click(screen.getByTestId(sel.filter));
    });
    act(() => {
      fireEvent.click(screen.getByRole('option', { name: 'Instance cap' }));
    });
    await waitFor(() => expect(counterReads().at(-1)?.params).toEqual({ limitId: 1 }));
    expect(await screen.findByText('instance.hour')).toBeInTheDocument();
    expect(screen.queryByText('instance.each_user:7.minute')).not.toBeInTheDocument();
  });

  it("resets one limit's counters after confirming, saying each-user counters go together", async () => {
    serve();
    renderPage();
    fireEvent.click(await screen.findByTestId(sel.reset('instance.each_user:8.minute')));
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByText('Clear counter for Per user?')).toBeInTheDocument();
    expect(within(dialog).getByText(/can only clear them all at once/)).toBeInTheDocument();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Clear counter' }));
    await waitFor(() =>
      expect(relay.writes()).toEqual([expect.objectContaining({ method: 'DELETE', path: 'limit-counters/3' })])
    );
    await settle();
  });

  it('"Reset all" explains that it flushes the whole limit store, then flushes it', async () => {
    serve();
    renderPage();
    fireEvent.click(await screen.findByTestId(sel.resetAll));
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveTextContent("flushes DreamFactory's whole limit store: every counter of every limit");
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reset all counters' }));
    await waitFor(() =>
      expect(relay.writes()).toEqual([
        expect.objectContaining({ method: 'DELETE', path: 'limit-counters', params: { all: 'true' } }),
      ])
    );
    await settle();
  });

  it('refreshes on its own every interval and on demand', async () => {
    serve();
    jest.useFakeTimers();
    renderPage();
    await screen.findByTestId(sel.table);
    const initial = counterReads().length;
    act(() => {
      jest.advanceTimersByTime(AUTO_REFRESH_MS);
    });
    expect(counterReads()).toHaveLength(initial + 1);
    fireEvent.click(screen.getByTestId(sel.refresh));
    expect(counterReads()).toHaveLength(initial + 2);
    await settle();
  });

  it('shows a Viewer the counters but no enabled reset', async () => {
    serve();
    relay.user.orgRole = 'Viewer';
    renderPage();
    await screen.findByTestId(sel.table);
    expect(screen.getByTestId(sel.resetAll)).toBeDisabled();
    expect(screen.getByTestId(sel.reset('instance.hour'))).toBeDisabled();
  });

  it('shows the proxy being down with its message', async () => {
    relay.reset(() => {
      throw new RelayFailure(502, { message: 'dial tcp 127.0.0.1:8787: connect: connection refused' });
    });
    renderPage();
    const alert = await screen.findByTestId(selectors.proxyError);
    expect(alert).toHaveTextContent('The Insights proxy is unreachable');
    expect(alert).toHaveTextContent('connection refused (HTTP 502)');
  });
});
