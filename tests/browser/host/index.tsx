/**
 * The harness host: a Grafana-like page that loads the BUILT plugin modules through an AMD loader with Grafana's
 * externals, installs the runtime services, and mounts the app root, the datasource ConfigEditor and QueryEditor.
 */
import React from 'react';
import { createRoot } from 'react-dom/client';
import { Navigate, Route, Routes } from 'react-router-dom';
import { ThemeContext } from '@grafana/data';
import { config } from '@grafana/runtime';
import { ErrorBoundaryAlert, GlobalStyles } from '@grafana/ui';
import { installDefine } from './amd-loader';
import { AppRootPage } from './AppRootPage';
import { ConfigEditorPage } from './ConfigEditorPage';
import { registerGrafanaExternals } from './externals';
import { HarnessNav } from './HarnessNav';
import { HistoryRouter } from './HistoryRouter';
import { APP_ID } from './plugins';
import { QueryEditorPage } from './QueryEditorPage';
import { installRuntime } from './services';

installDefine();
registerGrafanaExternals();
installRuntime();

function Shell() {
  return (
    <div style={{ padding: 16 }}>
      <HarnessNav />
      <ErrorBoundaryAlert>
        <Routes>
          <Route path={`/a/${APP_ID}/*`} element={<AppRootPage />} />
          <Route path="/datasources/edit/:uid" element={<ConfigEditorPage />} />
          <Route path="/explore" element={<QueryEditorPage />} />
          <Route path="*" element={<Navigate to={`/a/${APP_ID}`} replace />} />
        </Routes>
      </ErrorBoundaryAlert>
    </div>
  );
}

createRoot(document.getElementById('reactRoot')!).render(
  <ThemeContext.Provider value={config.theme2}>
    <GlobalStyles />
    <HistoryRouter>
      <Shell />
    </HistoryRouter>
  </ThemeContext.Provider>
);
