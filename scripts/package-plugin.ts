/**
 * Makes the zip Grafana's plugin installer accepts: the built dist/ inside a folder named after the app id.
 *   npm run build && npm run package   ->   dreamfactory-insights-app-<version>.zip
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkDist } from './check-dist';

const dist = resolve('dist');
const problems = checkDist(dist);
if (problems.length) {
  process.stderr.write(`Refusing to package: ${problems.join('; ')}\n`);
  process.exit(1);
}
const plugin = JSON.parse(readFileSync(join(dist, 'plugin.json'), 'utf8'));
const staging = mkdtempSync(join(tmpdir(), 'dfi-package-'));
const zip = resolve(`${plugin.id}-${plugin.info.version}.zip`);
try {
  cpSync(dist, join(staging, plugin.id), { recursive: true });
  rmSync(zip, { force: true });
  execFileSync('zip', ['-qr', zip, plugin.id], { cwd: staging });
} finally {
  rmSync(staging, { recursive: true, force: true });
}
process.stdout.write(`${zip}\n`);
