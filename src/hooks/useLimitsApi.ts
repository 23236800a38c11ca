import { useMemo } from 'react';
import { usePluginContext } from '@grafana/data';
import { canWrite, findInsightsDatasource, ProxyClient, type WriteRole } from '../api/proxyClient';
import { LimitsApi } from '../api/limitsApi';
import type { AppSettings } from '../types';

export interface LimitsAccess {
  /** Undefined when no DreamFactory Insights datasource exists. */
  api?: LimitsApi;
  datasourceName?: string;
  /** Whether the signed-in user may change limits (the app's `limitWriteRole` decides whether Editors may). */
  canWrite: boolean;
  writeRole: WriteRole;
}

/** The limit relay of the app's Insights datasource, and whether the current user may write through it. */
export function useLimitsApi(): LimitsAccess {
  const jsonData = usePluginContext<AppSettings>()?.meta.jsonData;
  const preferredUid = jsonData?.datasourceUid;
  const writeRole: WriteRole = jsonData?.limitWriteRole ?? 'Admin';
  return useMemo(() => {
    const datasource = safeFindDatasource(preferredUid);
    return {
      api: datasource ? new LimitsApi(new ProxyClient(datasource.uid)) : undefined,
      datasourceName: datasource?.name,
      canWrite: canWrite(writeRole),
      writeRole,
    };
  }, [preferredUid, writeRole]);
}

function safeFindDatasource(preferredUid?: string) {
  try {
    return findInsightsDatasource(preferredUid);
  } catch {
    // Grafana's datasource service is not up (only outside a running Grafana): treat it as "none configured".
    return undefined;
  }
}
