/**
 * `npm run test:engines [-- ID …]`: the integration suites of ENGINE_SUBSET on every engine but the default one (whose
 * full run is `npm run test:integration`), one engine after another, each started and stopped by the suite's global
 * setup. Prints how long each took, with the load average at its start: the machine may be shared.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_ENGINE, ENGINE_SUBSET, ENGINES, engineById } from '../tests/elasticsearch/engines';

const REPO_ROOT = resolve(__dirname, '..');
const JEST = join(REPO_ROOT, 'node_modules', '.bin', 'jest');

const requested = process.argv.slice(2);
const engines =
  requested.length > 0 ? requested.map(engineById) : ENGINES.filter((engine) => engine.id !== DEFAULT_ENGINE.id);
const results: string[] = [];
let failed = false;
for (const engine of engines) {
  const load = loadavg()[0].toFixed(1);
  const started = Date.now();
  const run = spawnSync(JEST, ['-c', 'jest.integration.config.js', ...ENGINE_SUBSET], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, TEST_ENGINE: engine.id },
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  const outcome = run.status === 0 ? 'passed' : `FAILED (${run.status ?? run.signal})`;
  failed ||= run.status !== 0;
  results.push(`${engine.id}: ${outcome} in ${seconds} s (load average ${load} at start)`);
  if (run.signal === 'SIGINT' || run.signal === 'SIGTERM') {
    break;
  }
}
process.stdout.write(`\ntest:engines\n${results.map((line) => `  ${line}`).join('\n')}\n`);
process.exit(failed ? 1 : 0);
