import { useMemo } from 'react';
import { canWrite } from '../access';
import { StatusApi } from '../api/statusApi';
import { useAppProxyClient } from './useAppProxyClient';

export interface StatusAccess {
  /** Undefined when no DreamFactory Insights datasource exists. */
  api?: StatusApi;
  /** Setup and the doctor are Admin-only, whatever the app's limit write role. */
  canRun: boolean;
}

/** The pipeline status of the app's Insights datasource, and whether the current user may run setup and the doctor. */
export function useStatusApi(): StatusAccess {
  const client = useAppProxyClient();
  return useMemo(() => ({ api: client ? new StatusApi(client) : undefined, canRun: canWrite('Admin') }), [client]);
}
