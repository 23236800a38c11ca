/**
 * `npm run e2e`: the @grafana/plugin-e2e suite needs a running Grafana with dist/ and provisioning/ mounted
 * (`npm run server`). Without GRAFANA_URL, or when it does not answer, it says so in one line and exits 0.
 */
import { spawnSync } from 'node:child_process';

const PROBE_TIMEOUT_MS = 5000;

async function grafanaAnswers(url: string): Promise<boolean> {
  try {
    const response = await fetch(new URL('/api/health', url), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return response.ok;
  } catch {
    return false;
  }
}

async function main(): Promise<number> {
  const url = process.env.GRAFANA_URL;
  if (!url) {
    process.stdout.write(
      'e2e skipped: GRAFANA_URL is not set (start Grafana with `npm run server`, then GRAFANA_URL=http://localhost:3000 npm run e2e)\n'
    );
    return 0;
  }
  if (!(await grafanaAnswers(url))) {
    process.stdout.write(`e2e skipped: no Grafana answers at ${url}/api/health\n`);
    return 0;
  }
  const result = spawnSync('npx', ['playwright', 'test', '-c', 'playwright.config.ts', ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  return result.status ?? 1;
}

main().then((code) => process.exit(code));
