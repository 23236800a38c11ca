import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { selectors } from '../selectors';

function LimitCountersPage() {
  return (
    <PluginPage>
      <div data-testid={selectors.pages.limitCounters.container}>Live counters of every DreamFactory limit.</div>
    </PluginPage>
  );
}

export default LimitCountersPage;
