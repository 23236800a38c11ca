/**
 * `proxy doctor [--url http://127.0.0.1:3100] [--timeout-ms N]`: asks the running proxy to run the doctor (its
 * counters are the ones that see the test messages) and prints the stages per source.
 */
import { parseArgs } from 'node:util';
import { PROXY_TOKEN_HEADER } from '@shared/headers';
import { ConfigError, loadConfig } from '../config';
import type { DoctorResult } from '@shared/status-api';
import { formatDoctorResult } from './report';

export async function doctorCommand(args: string[]): Promise<void> {
  const config = loadConfig();
  const { values } = parseArgs({ args, options: { url: { type: 'string' }, 'timeout-ms': { type: 'string' } } });
  if (!config.apiToken) {
    throw new ConfigError('The doctor calls the running proxy\'s API: set PROXY_TOKEN as for "serve".');
  }
  const base = values.url ?? `http://127.0.0.1:${config.server.port}`;
  const timeoutMs = values['timeout-ms'] ? Number(values['timeout-ms']) : undefined;
  let response: Response;
  try {
    response = await fetch(`${base}/api/doctor`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [PROXY_TOKEN_HEADER]: config.apiToken },
      body: JSON.stringify(timeoutMs ? { timeoutMs } : {}),
      signal: AbortSignal.timeout((timeoutMs ?? 20_000) + 15_000),
    });
  } catch (err) {
    throw new ConfigError(`The proxy is not answering at ${base} (${(err as Error).message}). Start it with "npm run proxy", or pass --url.`);
  }
  const body = (await response.json().catch(() => ({}))) as DoctorResult & { error?: string };
  if (!response.ok) {
    throw new ConfigError(`The proxy refused the doctor run (${response.status}): ${body.error ?? 'no details'}`);
  }
  process.stdout.write(formatDoctorResult(body));
  process.exitCode = body.ok ? 0 : 1;
}
