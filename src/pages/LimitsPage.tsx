import React from 'react';
import { Route, Routes } from 'react-router-dom';
import { PluginPage } from '@grafana/runtime';
import { LIMIT_ROUTES } from '../constants';
import { selectors } from '../selectors';
import { useLimitsApi } from '../hooks/useLimitsApi';
import { LimitEditor } from '../components/limits/LimitEditor';
import { LimitsList } from '../components/limits/LimitsList';
import { NoDatasourceAlert } from '../components/limits/ProxyErrorAlert';
import type { LimitsApi } from '../api/limitsApi';

/** DreamFactory's API limits: the list at `limits`, the form at `limits/new` and `limits/:id/edit`. */
function LimitsPage() {
  return (
    <Routes>
      <Route index element={<Frame>{(api) => <LimitsList api={api} />}</Frame>} />
      <Route
        path={LIMIT_ROUTES.create}
        element={<Frame title="New limit">{(api) => <LimitEditor api={api} />}</Frame>}
      />
      <Route
        path={LIMIT_ROUTES.edit}
        element={<Frame title="Edit limit">{(api) => <LimitEditor api={api} />}</Frame>}
      />
    </Routes>
  );
}

function Frame({ title, children }: { title?: string; children: (api: LimitsApi) => React.ReactNode }) {
  const { api } = useLimitsApi();
  return (
    <PluginPage pageNav={title ? { text: title } : undefined}>
      <div data-testid={selectors.pages.limits.container}>{api ? children(api) : <NoDatasourceAlert />}</div>
    </PluginPage>
  );
}

export default LimitsPage;
