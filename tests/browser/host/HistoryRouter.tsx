import React, { useLayoutEffect, useState } from 'react';
import { Router } from 'react-router-dom';
import { locationService } from '@grafana/runtime';

/**
 * Grafana routes on `locationService`'s history (history v4), so a plugin's `locationService.push()` and its
 * react-router links move the same location. v4's listen passes (location, action).
 */
export function HistoryRouter({ children }: { children: React.ReactNode }) {
  const history = locationService.getHistory();
  const [state, setState] = useState({ location: history.location, action: history.action });
  useLayoutEffect(
    () =>
      history.listen((location: typeof history.location, action: typeof history.action) =>
        setState({ location, action })
      ),
    [history]
  );
  return (
    <Router location={state.location} navigationType={state.action as never} navigator={history}>
      {children}
    </Router>
  );
}
