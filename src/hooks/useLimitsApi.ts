import { useMemo } from 'react';
import { usePluginContext } from '@grafana/data';
import { canWrite, findInsightsDatasource, ProxyClient, type WriteRole } from '../api/proxyClient';
import { LimitsApi } from '../api/limitsApi';
import type { AppSettings } from '../types';

export interface WriteAccess {
  /** Whether the signed-in user may change limits (the app's `limitWriteRole` decides whether Editors may). */
  canWrite: boolean;
  writeRole: WriteRole;
}

export interface LimitsAccess extends WriteAccess {
  /** Undefined when no DreamFactory Insights datasource exists. */
  api?: LimitsApi;
}

function useAppSettings(): AppSettings {
  return usePluginContext<AppSettings>()?.meta.jsonData ?? {};
}

export function useWriteAccess(): WriteAccess {
  const writeRole: WriteRole = useAppSettings().limitWriteRole ?? 'Admin';
  return useMemo(() => ({ canWrite: canWrite(writeRole), writeRole }), [writeRole]);
}

/** The limit relay of the app's Insights datasource, and whether the current user may write through it. */
export function useLimitsApi(): LimitsAccess {
  const preferredUid = useAppSettings().datasourceUid;
  const access = useWriteAccess();
  return useMemo(() => {
    const datasource = safeFindDatasource(preferredUid);
    return { ...access, api: datasource ? new LimitsApi(new ProxyClient(datasource.uid)) : undefined };
  }, [preferredUid, access]);
}

function safeFindDatasource(preferredUid?: string) {
  try {
    return findInsightsDatasource(preferredUid);
  } catch {
    // Grafana's datasource service is not up (only outside a running Grafana): treat it as "none configured".
    return undefined;
  }
}
