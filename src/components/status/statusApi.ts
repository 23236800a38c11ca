/** The Status page's calls to the proxy (through the Insights datasource's Grafana routes), and where they go. */
import { useMemo } from 'react';
import { usePluginContext } from '@grafana/data';
import { canWrite, findInsightsDatasource, ProxyClient } from '../../api/proxyClient';
import type {
  DoctorResult,
  OperationRun,
  RunKind,
  RunResults,
  SetupResult,
  StatusResponse,
} from '@shared/status-api';
import type { AppSettings } from '../../types';

/** Between two looks at a running setup or doctor. */
const RUN_POLL_MS = 1000;
const RUN_NAMES: Record<RunKind, string> = { setup: 'Setup', doctor: 'The doctor' };

export class StatusApi {
  constructor(private readonly client: ProxyClient) {}

  status(): Promise<StatusResponse> {
    return this.client.get<StatusResponse>('status');
  }

  applySetup(): Promise<SetupResult> {
    return this.runToEnd('setup');
  }

  runDoctor(): Promise<DoctorResult> {
    return this.runToEnd('doctor');
  }

  /** Starts a run and asks how it went until it is done: a run may outlast Grafana's 30 s datasource-proxy wait. */
  private async runToEnd<K extends RunKind>(kind: K): Promise<RunResults[K]> {
    let run = await this.client.request<OperationRun<K>>('POST', kind, {});
    while (run.state === 'running') {
      run = await this.client.get<OperationRun<K>>(`runs/${run.id}`);
      if (run.state === 'running') {
        await new Promise((resolve) => setTimeout(resolve, RUN_POLL_MS));
      }
    }
    if (run.state === 'failed' || !run.result) {
      throw new Error(`${RUN_NAMES[kind]} failed in the proxy: ${run.error ?? 'no details'}`);
    }
    return run.result;
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
