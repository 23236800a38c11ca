import React from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { AppRootProps } from '@grafana/data';
import { ROUTES } from '../../constants';

const LimitsPage = React.lazy(() => import('../../pages/LimitsPage'));
const LimitCountersPage = React.lazy(() => import('../../pages/LimitCountersPage'));
const StatusPage = React.lazy(() => import('../../pages/StatusPage'));

function App(_props: AppRootProps) {
  return (
    <Routes>
      <Route path={`${ROUTES.Limits}/*`} element={<LimitsPage />} />
      <Route path={ROUTES.LimitCounters} element={<LimitCountersPage />} />
      <Route path={ROUTES.Status} element={<StatusPage />} />
      <Route path="*" element={<Navigate to={ROUTES.Limits} replace />} />
    </Routes>
  );
}

export default App;
