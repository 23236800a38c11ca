import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { selectors } from '../selectors';
import { useLimitsApi } from '../hooks/useLimitsApi';
import { LimitCounters } from '../components/limits/counters/LimitCounters';
import { NoDatasourceAlert } from '../components/limits/ProxyErrorAlert';

function LimitCountersPage() {
  const { api } = useLimitsApi();
  return (
    <PluginPage>
      <div data-testid={selectors.pages.limitCounters.container}>
        {api ? <LimitCounters api={api} /> : <NoDatasourceAlert />}
      </div>
    </PluginPage>
  );
}

export default LimitCountersPage;
