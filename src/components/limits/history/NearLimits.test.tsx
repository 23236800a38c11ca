import React from 'react';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { FrameJSON, LimitForecastQuery, QueryRequest } from '@shared/query';
import LimitsPage from '../../../pages/LimitsPage';
import { selectors } from '../../../selectors';
import { allowSlowRendering, LIMITS_BASE, limitsRoutes, relay, renderApp } from '../testing/relayMock';
import nearFrames from '../../../../proxy/src/query/__golden__/limit-forecast-counters-near.frames.json';

jest.mock('@grafana/runtime', () => require('../testing/relayMock').runtimeMock());
allowSlowRendering();

const sel = selectors.limits;
/** Recorded from real Elasticsearch: the sample of 08:50 with two counters at their limit and one projected. */
const NEAR = (nearFrames as FrameJSON[])[0];

function serve(frame: FrameJSON) {
  relay.reset((call) => {
    if (call.path === 'limits') {
      return { limits: [] };
    }
    const request = call.body as QueryRequest;
    return {
      results: Object.fromEntries(request.queries.map((q) => [q.refId, { frames: [{ ...frame, refId: q.refId }] }])),
    };
  });
}

describe('Near their limits', () => {
  it('lists counters at 80 % or more or projected to trip, most urgent first, saying what is an estimate', async () => {
    serve(NEAR);
    renderApp(`${LIMITS_BASE}/near`, limitsRoutes(<LimitsPage />));
    // Times carry their date unless they are today.
    expect(await screen.findByTestId(sel.near.status('1/3'))).toHaveTextContent(/^At its limit since (Nov 20, )?08:50$/);
    expect(screen.getByTestId(sel.near.status('2/3'))).toHaveTextContent(/^At its limit since (Nov 20, )?08:45$/);
    expect(screen.getByTestId(sel.near.status('1/4'))).toHaveTextContent(/^Estimate: at the current rate, trips at (Nov 20, )?14:20$/);
    expect(screen.getByText(/^Estimate: a straight line through the counter’s growth/)).toBeInTheDocument();
    const table = screen.getByTestId(sel.near.table);
    const order = [...table.querySelectorAll('[data-testid^="data-testid limits-near-status-"]')].map((el) =>
      el.getAttribute('data-testid')
    );
    expect(order).toEqual(['1/3', '2/3', '1/4'].map(sel.near.status));
    const query = (relay.calls[0].body as QueryRequest).queries[0] as LimitForecastQuery;
    expect(query).toMatchObject({
      queryType: 'limitForecast',
      view: 'counters',
      minUsage: 0.8,
      includeProjected: true,
    });
  });

  it('says when no counter is near its limit', async () => {
    serve({ ...NEAR, fields: NEAR.fields.map((field) => ({ ...field, values: [] })) });
    renderApp(`${LIMITS_BASE}/near`, limitsRoutes(<LimitsPage />));
    expect(await screen.findByTestId(sel.near.empty)).toHaveTextContent('No counter is near its limit');
  });

  it('is a tab of the Limits page', async () => {
    serve(NEAR);
    renderApp(LIMITS_BASE, limitsRoutes(<LimitsPage />));
    fireEvent.click(await screen.findByTestId(sel.tabs.near));
    await waitFor(() => expect(screen.getByTestId(sel.near.status('1/3'))).toBeInTheDocument());
    expect(screen.getByTestId(sel.tabs.near)).toHaveAttribute('aria-selected', 'true');
  });
});
