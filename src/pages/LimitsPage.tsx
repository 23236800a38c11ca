import React from 'react';
import { Route, Routes, useNavigate } from 'react-router-dom';
import { PluginPage } from '@grafana/runtime';
import { Stack, Tab, TabsBar } from '@grafana/ui';
import { LIMIT_ROUTES, limitsListUrl, nearLimitsUrl } from '../constants';
import { selectors } from '../selectors';
import { useLimitsApi } from '../hooks/useLimitsApi';
import { LimitEditor } from '../components/limits/LimitEditor';
import { LimitsList } from '../components/limits/LimitsList';
import { NoDatasourceAlert } from '../components/limits/ProxyErrorAlert';
import { NearLimits } from '../components/limits/history/NearLimits';
import type { LimitsApi } from '../api/limitsApi';
import type { LimitHistoryApi } from '../api/limitHistoryApi';

/**
 * DreamFactory's API limits: the list at `limits` (with their history), the counters near their limits at
 * `limits/near`, the form at `limits/new` and `limits/:id/edit`.
 */
function LimitsPage() {
  return (
    <Routes>
      <Route
        index
        element={
          <Frame>
            {(api, history) => (
              <Tabbed active="all">
                <LimitsList api={api} history={history} />
              </Tabbed>
            )}
          </Frame>
        }
      />
      <Route
        path={LIMIT_ROUTES.near}
        element={
          <Frame>
            {(_api, history) => (
              <Tabbed active="near">
                <NearLimits history={history} />
              </Tabbed>
            )}
          </Frame>
        }
      />
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

function Frame({
  title,
  children,
}: {
  title?: string;
  children: (api: LimitsApi, history: LimitHistoryApi) => React.ReactNode;
}) {
  const { api, history } = useLimitsApi();
  return (
    <PluginPage pageNav={title ? { text: title } : undefined}>
      <div data-testid={selectors.pages.limits.container}>
        {api && history ? children(api, history) : <NoDatasourceAlert />}
      </div>
    </PluginPage>
  );
}

function Tabbed({ active, children }: { active: 'all' | 'near'; children: React.ReactNode }) {
  const navigate = useNavigate();
  const tab = (id: 'all' | 'near', label: string, url: string) => (
    <Tab
      label={label}
      href={url}
      active={active === id}
      data-testid={selectors.limits.tabs[id]}
      onChangeTab={(event) => {
        // In-app navigation, like Grafana's own link handling: no page reload.
        event?.preventDefault();
        navigate(url);
      }}
    />
  );
  return (
    <Stack direction="column" gap={2}>
      <TabsBar>
        {tab('all', 'All limits', limitsListUrl())}
        {tab('near', 'Near their limits', nearLimitsUrl())}
      </TabsBar>
      {children}
    </Stack>
  );
}

export default LimitsPage;
