/**
 * `proxy doctor [--url http://127.0.0.1:3100] [--timeout-ms N] [--json]`: asks the running proxy to run the doctor
 * (its pipeline is the one that sees the probes), waits for the run to finish and prints each source's stage timings,
 * as a table or, with --json, as the DoctorResult (src/shared/status-api.ts).
 */
import { parseArgs } from 'node:util';
import { PROXY_TOKEN_HEADER } from '@shared/headers';
import type { OperationRun } from '@shared/status-api';
import { ConfigError, loadConfig } from '../config';
import { formatDoctorResult } from './report';

const POLL_MS = 500;

export async function doctorCommand(args: string[]): Promise<void> {
  const config = loadConfig();
  const { values } = parseArgs({ args, options: { url: { type: 'string' }, 'timeout-ms': { type: 'string' }, json: { type: 'boolean' } } });
  if (!config.apiToken) {
    throw new ConfigError('The doctor calls the running proxy\'s API: set PROXY_TOKEN as for "serve".');
  }
  const base = values.url ?? `http://127.0.0.1:${config.server.port}`;
  const timeoutMs = values['timeout-ms'] ? Number(values['timeout-ms']) : undefined;
  const deadline = Date.now() + (timeoutMs ?? 20_000) + 45_000;
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: { 'content-type': 'application/json', [PROXY_TOKEN_HEADER]: config.apiToken! },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(Math.max(1000, deadline - Date.now())),
      });
    } catch (err) {
      throw new ConfigError(`The proxy is not answering at ${base} (${(err as Error).message}). Start it with "npm run proxy", or pass --url.`);
    }
    const answer = (await response.json().catch(() => ({}))) as OperationRun<'doctor'> & { error?: string };
    if (!response.ok) {
      throw new ConfigError(`The proxy refused the doctor run (${response.status}): ${answer.error ?? 'no details'}`);
    }
    return answer;
  };
  // The proxy runs the doctor in the background; ask how it went until it is done.
  let run = await call('POST', '/api/doctor', timeoutMs ? { timeoutMs } : {});
  while (run.state === 'running') {
    if (Date.now() > deadline) {
      throw new ConfigError(`The doctor run ${run.id} did not finish in time; check the proxy's log.`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    run = await call('GET', `/api/runs/${run.id}`);
  }
  if (run.state === 'failed' || !run.result) {
    throw new ConfigError(`The doctor run failed in the proxy: ${run.error ?? 'no details'}`);
  }
  process.stdout.write(values.json ? `${JSON.stringify(run.result, null, 2)}\n` : formatDoctorResult(run.result));
  process.exitCode = run.result.ok ? 0 : 1;
}
