/** Typed calls of the proxy's pipeline status, setup and doctor. The Status page calls these, never fetch directly. */
import type { DoctorResult, OperationRun, RunKind, RunResults, SetupResult, StatusResponse } from '@shared/status-api';
import type { ProxyClient } from './proxyClient';

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
    let run = await this.client.request<OperationRun<K>>('POST', kind, { body: {} });
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
