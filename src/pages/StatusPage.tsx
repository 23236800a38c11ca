import React from 'react';
import { Alert } from '@grafana/ui';
import { PluginPage } from '@grafana/runtime';
import { StatusView } from '../components/status/StatusView';
import { useStatusApi } from '../hooks/useStatusApi';
import { labels, selectors } from '../selectors';

function StatusPage() {
  const { api, canRun } = useStatusApi();
  return (
    <PluginPage>
      <div data-testid={selectors.pages.status.container}>
        {api ? (
          <StatusView api={api} canRun={canRun} />
        ) : (
          <Alert severity="info" title={labels.status.noDatasource} data-testid={selectors.proxyError}>
            The Status page reads the Insights proxy through a DreamFactory Insights datasource. Add one under Connections → Data sources
            (or run &quot;proxy setup --write-provisioning&quot;), then reload this page.
          </Alert>
        )}
      </div>
    </PluginPage>
  );
}

export default StatusPage;
