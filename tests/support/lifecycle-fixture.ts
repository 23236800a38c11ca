/**
 * A process that owns a temp dir and a child process, for lifecycle.test.ts. Prints `{"dir", "pid"}` once both exist.
 *   node --import tsx tests/support/lifecycle-fixture.ts wait|crash|orphan
 * `crash` throws shortly after; `orphan` also stops when its parent goes away.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ownedTempDir, spawnOwned, stopWhenOrphaned } from './lifecycle';

const mode = process.argv[2];
if (mode === 'orphan') {
  stopWhenOrphaned(100);
}
const dir = ownedTempDir('dfi-lifecycle-test-');
writeFileSync(join(dir.path, 'data'), 'written by the owner');
const child = spawnOwned('sleep', ['300'], { stdio: 'ignore' });
process.stdout.write(`${JSON.stringify({ dir: dir.path, pid: child.child.pid })}\n`);
if (mode === 'crash') {
  setTimeout(() => {
    throw new Error('the owner crashed');
  }, 200);
}
