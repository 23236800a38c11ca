import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { selectors } from '../selectors';

function StatusPage() {
  return (
    <PluginPage>
      <div data-testid={selectors.pages.status.container}>Health of the log pipeline: Elasticsearch, DreamFactory and ingest.</div>
    </PluginPage>
  );
}

export default StatusPage;
