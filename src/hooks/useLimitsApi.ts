import { useMemo } from 'react';
import { canWrite } from '../access';
import { LimitHistoryApi } from '../api/limitHistoryApi';
import { LimitsApi } from '../api/limitsApi';
import type { WriteRole } from '../types';
import { useAppProxyClient, useAppSettings } from './useAppProxyClient';

export interface WriteAccess {
  /** Whether the signed-in user may change limits (the app's `limitWriteRole` decides whether Editors may). */
  canWrite: boolean;
  writeRole: WriteRole;
}

export interface LimitsAccess extends WriteAccess {
  /** Undefined when no DreamFactory Insights datasource exists. */
  api?: LimitsApi;
  /** The limit sampler's history, through the same datasource. */
  history?: LimitHistoryApi;
}

export function useWriteAccess(): WriteAccess {
  const writeRole: WriteRole = useAppSettings().limitWriteRole ?? 'Admin';
  return useMemo(() => ({ canWrite: canWrite(writeRole), writeRole }), [writeRole]);
}

/** The limit relay of the app's Insights datasource, and whether the current user may write through it. */
export function useLimitsApi(): LimitsAccess {
  const client = useAppProxyClient();
  const access = useWriteAccess();
  return useMemo(
    () => ({ ...access, api: client && new LimitsApi(client), history: client && new LimitHistoryApi(client) }),
    [client, access]
  );
}
