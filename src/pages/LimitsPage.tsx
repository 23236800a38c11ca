import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { selectors } from '../selectors';

function LimitsPage() {
  return (
    <PluginPage>
      <div data-testid={selectors.pages.limits.container}>DreamFactory API limits.</div>
    </PluginPage>
  );
}

export default LimitsPage;
