import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import { AppRootProps, PluginType } from '@grafana/data';
import { render, screen } from '@testing-library/react';
import App from './App';
import { selectors } from '../../selectors';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  PluginPage: ({ children }: { children: React.ReactNode }) => <div>{children}</div>,
}));

const props = {
  basename: 'a/dreamfactory-insights-app',
  meta: { id: 'dreamfactory-insights-app', name: 'DreamFactory Insights', type: PluginType.app, enabled: true, jsonData: {} },
  query: {},
  path: '',
  onNavChanged: jest.fn(),
} as unknown as AppRootProps;

// The first lazy page pulls in @grafana/ui, which takes seconds to load in jest on a busy machine.
jest.setTimeout(30_000);

describe('App routing', () => {
  it.each([
    ['/limits', selectors.pages.limits.container],
    ['/limit-counters', selectors.pages.limitCounters.container],
    ['/status', selectors.pages.status.container],
    ['/', selectors.pages.limits.container],
  ])('%s renders its page', async (path, testId) => {
    render(
      <MemoryRouter initialEntries={[path]}>
        <App {...props} />
      </MemoryRouter>
    );
    expect(await screen.findByTestId(testId, {}, { timeout: 25_000 })).toBeInTheDocument();
  });
});
