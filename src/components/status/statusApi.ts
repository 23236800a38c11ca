/** The Status page's calls to the proxy (through the Insights datasource's Grafana routes), and where they go. */
import { useMemo } from 'react';
import { usePluginContext } from '@grafana/data';
import { canWrite, findInsightsDatasource, ProxyClient } from '../../api/proxyClient';
import type { DoctorResult, SetupResult, StatusResponse } from '@shared/status-api';
import type { AppSettings } from '../../types';

export class StatusApi {
  constructor(private readonly client: ProxyClient) {}

  status(): Promise<StatusResponse> {
    return this.client.get<StatusResponse>('status');
  }

  applySetup(): Promise<SetupResult> {
    return this.client.request<SetupResult>('POST', 'setup', {});
  }

  runDoctor(): Promise<DoctorResult> {
    return this.client.request<DoctorResult>('POST', 'doctor', {});
  }
}

export interface StatusAccess {
  /** Undefined when no DreamFactory Insights datasource exists. */
  api?: StatusApi;
  /** Setup and the doctor are Admin-only, whatever the app's limit write role. */
  canRun: boolean;
}

export function useStatusApi(): StatusAccess {
  const preferredUid = usePluginContext<AppSettings>()?.meta.jsonData?.datasourceUid;
  return useMemo(() => {
    let datasource: { uid: string } | undefined;
    try {
      datasource = findInsightsDatasource(preferredUid);
    } catch {
      // Grafana's datasource service is not up (only outside a running Grafana): "none configured".
    }
    return { api: datasource ? new StatusApi(new ProxyClient(datasource.uid)) : undefined, canRun: canWrite('Admin') };
  }, [preferredUid]);
}
