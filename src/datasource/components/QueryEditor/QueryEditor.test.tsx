import React, { useState } from 'react';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { allowSlowRendering, relay, stubBrowserApis } from '../../../components/limits/testing/relayMock';
import { selectors } from '../../../selectors';
import { ActivityQuery, InsightsQuery, LimitForecastQuery, defaultQuery } from '@shared/query';
import { DataSource } from '../../datasource';
import { fakeTemplateSrv, instanceSettings, range } from '../../testing/fakes';
import { QueryEditor } from './QueryEditor';

jest.mock('@grafana/runtime', () => ({
  ...require('../../../components/limits/testing/relayMock').runtimeMock(),
  getTemplateSrv: () => require('../../testing/fakes').fakeTemplateSrv({ user: '7' }),
}));

const ids = selectors.datasource.queryEditor;
const VALUES: Record<string, Array<{ text: string; value: string }>> = {
  'variables/users': [{ text: 'ann@example.com', value: '7' }],
  'variables/services': [{ text: 'files', value: 'files' }],
  'variables/methods': [{ text: 'GET', value: 'GET' }],
};

function renderEditor(initial: InsightsQuery) {
  const onRunQuery = jest.fn();
  const state = { current: initial };
  const datasource = new DataSource(instanceSettings(), fakeTemplateSrv({ user: '7' }));
  function Harness() {
    const [query, setQuery] = useState(initial);
    state.current = query;
    return (
      <QueryEditor query={query} datasource={datasource} range={range()} onRunQuery={onRunQuery} onChange={setQuery} />
    );
  }
  render(<Harness />);
  return { state, onRunQuery };
}

const groupDims = (query: InsightsQuery) => (query as ActivityQuery).groupBy.map((spec) => spec.dimension);

allowSlowRendering();
beforeAll(stubBrowserApis);
beforeEach(() => relay.reset((call) => ({ values: VALUES[call.path] ?? [] })));

describe('QueryEditor', () => {
  it('applies the seed presets as one click each and runs the query', async () => {
    const { state, onRunQuery } = renderEditor(defaultQuery('activity'));
    fireEvent.click(screen.getByTestId(ids.preset('apisByUser')));
    expect(groupDims(state.current)).toEqual(['user', 'method', 'endpoint']);
    fireEvent.click(screen.getByTestId(ids.preset('servicesByUser')));
    expect(groupDims(state.current)).toEqual(['user', 'service', 'method']);
    fireEvent.click(screen.getByTestId(ids.preset('callsByUser')));
    expect(groupDims(state.current)).toEqual(['user']);
    expect(onRunQuery).toHaveBeenCalledTimes(3);
    await waitFor(() => expect(relay.calls.length).toBe(3));
  });

  it('adds, reorders and removes grouping rows', async () => {
    const { state } = renderEditor(defaultQuery('activity'));
    fireEvent.click(screen.getByTestId(ids.addDimension));
    fireEvent.click(screen.getByTestId(ids.addDimension));
    expect(groupDims(state.current)).toEqual(['user', 'method', 'endpoint']);
    fireEvent.click(screen.getByTestId(ids.dimensionUp(2)));
    expect(groupDims(state.current)).toEqual(['user', 'endpoint', 'method']);
    fireEvent.click(screen.getByTestId(ids.dimensionDown(0)));
    expect(groupDims(state.current)).toEqual(['endpoint', 'user', 'method']);
    fireEvent.click(screen.getByTestId(ids.dimensionRemove(1)));
    expect(groupDims(state.current)).toEqual(['endpoint', 'method']);
    await waitFor(() => expect(relay.calls.length).toBe(3));
  });

  it('commits a typed size on blur, for that row only', async () => {
    const { state, onRunQuery } = renderEditor({ ...defaultQuery('activity'), groupBy: [] } as ActivityQuery);
    fireEvent.click(screen.getByTestId(ids.addDimension));
    fireEvent.click(screen.getByTestId(ids.addDimension));
    const size = screen.getByTestId(ids.dimensionSize(1));
    fireEvent.change(size, { target: { value: '5' } });
    fireEvent.blur(size);
    expect((state.current as ActivityQuery).groupBy.map((spec) => spec.size)).toEqual([50, 5]);
    // Blurring again without a change does not re-run the panel.
    const runs = onRunQuery.mock.calls.length;
    fireEvent.blur(screen.getByTestId(ids.dimensionSize(1)));
    expect(onRunQuery).toHaveBeenCalledTimes(runs);
    await waitFor(() => expect(relay.calls.length).toBe(3));
  });

  it('keeps the filters when switching between event query types and shows type-specific options', async () => {
    const { state } = renderEditor({ ...defaultQuery('activity'), filters: { users: ['$user'] } });
    fireEvent.click(within(screen.getByTestId(ids.queryType)).getByLabelText('Events (logs)'));
    expect(state.current).toMatchObject({ queryType: 'logs', limit: 100, filters: { users: ['$user'] } });
    expect(screen.getByTestId(ids.logsLimit)).toBeInTheDocument();
    expect(screen.queryByTestId(ids.preset('callsByUser'))).not.toBeInTheDocument();
    fireEvent.click(within(screen.getByTestId(ids.queryType)).getByLabelText('Limit counters'));
    expect(state.current).toEqual(defaultQuery('limitCounters'));
    expect(screen.queryByTestId(ids.filterUsers)).not.toBeInTheDocument();
    await waitFor(() => expect(relay.calls.length).toBe(3));
  });

  it('keeps the dashboard filters on limit history, without status classes, which do not apply to limits', async () => {
    const { state } = renderEditor({
      ...defaultQuery('timeseries'),
      filters: { users: ['$user'], services: ['$service'] },
    });
    fireEvent.click(within(screen.getByTestId(ids.queryType)).getByLabelText('Limit usage over time'));
    expect(state.current).toEqual({
      ...defaultQuery('limitUsage'),
      filters: { users: ['$user'], services: ['$service'] },
    });
    expect(screen.getByTestId(ids.filterUsers)).toBeInTheDocument();
    expect(screen.queryByTestId(ids.filterStatusClasses)).not.toBeInTheDocument();
    fireEvent.click(within(screen.getByTestId(ids.queryType)).getByLabelText('Limit trips'));
    expect(state.current).toMatchObject({ queryType: 'limitTrips', format: 'table', filters: { users: ['$user'] } });
    fireEvent.click(within(screen.getByTestId(ids.tripsFormat)).getByLabelText('Over time'));
    expect(state.current).toMatchObject({ format: 'timeseries', interval: 'auto' });
    expect(screen.getByTestId(ids.interval)).toBeInTheDocument();
    await waitFor(() => expect(relay.calls.length).toBe(3));
  });

  it('asks "near their limits" for a usage typed in percent, with or without projected trips', async () => {
    const { state } = renderEditor(defaultQuery('limitForecast'));
    const usage = screen.getByTestId(ids.forecastMinUsage);
    expect(usage).toHaveValue(80);
    fireEvent.change(usage, { target: { value: '95' } });
    fireEvent.blur(usage);
    fireEvent.click(screen.getByTestId(ids.forecastProjected));
    fireEvent.click(within(screen.getByTestId(ids.forecastView)).getByLabelText('Limit'));
    expect(state.current as LimitForecastQuery).toMatchObject({
      minUsage: 0.95,
      includeProjected: false,
      view: 'limits',
    });
    await waitFor(() => expect(relay.calls.length).toBe(3));
  });

  it('loads filter choices for the range from the proxy and shows selected users by email', async () => {
    renderEditor({ ...defaultQuery('activity'), filters: { users: ['7'] } });
    await waitFor(() =>
      expect(relay.calls.map((call) => call.path).sort()).toEqual([
        'variables/methods',
        'variables/services',
        'variables/users',
      ])
    );
    expect(relay.calls[0].params).toEqual({ from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' });
    expect(await screen.findByText('ann@example.com')).toBeInTheDocument();
  });

  it('filters on the users picked from the list, by id', async () => {
    const { state } = renderEditor(defaultQuery('activity'));
    const users = screen.getByTestId(ids.filterUsers);
    await waitFor(() => expect(relay.calls.length).toBe(3));
    fireEvent.focus(users);
    fireEvent.click(users);
    fireEvent.click(await screen.findByRole('option', { name: /ann@example\.com/ }));
    expect(state.current.filters).toEqual({ users: ['7'] });
  });

  it('saves the Lucene query on blur and removes it when cleared', async () => {
    const { state } = renderEditor(defaultQuery('logs'));
    const lucene = screen.getByTestId(ids.filterLucene);
    fireEvent.change(lucene, { target: { value: ' event.request.resource:_table* ' } });
    fireEvent.blur(lucene);
    expect(state.current.filters).toEqual({ lucene: 'event.request.resource:_table*' });
    const cleared = screen.getByTestId(ids.filterLucene);
    fireEvent.change(cleared, { target: { value: '' } });
    fireEvent.blur(cleared);
    expect(state.current.filters).toEqual({});
    await act(async () => undefined);
  });
});
