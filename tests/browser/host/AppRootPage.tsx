import React, { useEffect, useState } from 'react';
import { useLocation } from 'react-router-dom';
import { PluginContextProvider } from '@grafana/data';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import { selectors } from '../../../src/selectors';
import { APP_ID, loadApp } from './plugins';

type Loaded = Awaited<ReturnType<typeof loadApp>>;

/** Grafana's AppRootPage: the app's `root` under `/a/<id>/*`, with the plugin context and the app's meta. */
export function AppRootPage() {
  const location = useLocation();
  const [app, setApp] = useState<Loaded | Error>();
  useEffect(() => {
    loadApp().then(setApp, (err: Error) => setApp(err));
  }, []);

  if (app instanceof Error) {
    return (
      <Alert title="The app plugin failed to load" data-testid={selectors.harness.pluginError}>
        {app.message}
      </Alert>
    );
  }
  if (!app) {
    return <LoadingPlaceholder text="Loading app…" />;
  }
  const Root = app.plugin.root;
  if (!Root) {
    return <Alert title="The app plugin has no root page" data-testid={selectors.harness.pluginError} />;
  }
  return (
    <PluginContextProvider meta={app.meta}>
      <Root
        meta={app.meta}
        basename={`/a/${APP_ID}`}
        onNavChanged={() => undefined}
        query={{}}
        path={location.pathname}
      />
    </PluginContextProvider>
  );
}
