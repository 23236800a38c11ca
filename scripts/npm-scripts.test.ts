/**
 * Every npm script runs on the project's Node (the `node` devDependency), whatever Node the machine has: npm puts
 * node_modules/.bin first on a script's PATH, so a script must reach Node through that PATH — `node`, `npm`, `npx`, or
 * a package bin that starts with `#!/usr/bin/env node` — never through a fixed path.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import packageJson from '../package.json';

const REPO_ROOT = resolve(__dirname, '..');
const BIN_DIR = join(REPO_ROOT, 'node_modules', '.bin');
const PROJECT_NODE = `v${packageJson.devDependencies.node}`;
/** Resolved through the script's PATH, like any bin: npm's own CLIs start with `#!/usr/bin/env node`. */
const NODE_COMMANDS = new Set(['node', 'npm', 'npx']);
/** Commands that are not Node programs. */
const NOT_NODE: Record<string, string> = { docker: 'the Docker CLI starts containers with their own Node' };

/** The first word of every command in a script line (split at &&, ||, ; and |). */
function commandsOf(script: string): string[] {
  return script
    .split(/&&|\|\||;|\|/)
    .map((part) => part.trim().split(/\s+/)[0])
    .filter((word) => word && !/^[A-Z_]+=/.test(word));
}

function runsOnPathNode(command: string): boolean {
  if (NODE_COMMANDS.has(command)) {
    return true;
  }
  const bin = join(BIN_DIR, command);
  return existsSync(bin) && readFileSync(bin, 'utf8').split('\n', 1)[0] === '#!/usr/bin/env node';
}

describe('npm scripts run on the Node the project brings', () => {
  it(`npm puts Node ${PROJECT_NODE} first on a script's PATH`, () => {
    // `npm run env` prints the environment every script gets.
    const env = execFileSync('npm', ['run', '--silent', 'env'], { cwd: REPO_ROOT, encoding: 'utf8' });
    const path = /^PATH=(.*)$/m.exec(env)?.[1] ?? '';
    const node = path
      .split(delimiter)
      .map((dir) => join(dir, 'node'))
      .find((candidate) => existsSync(candidate));
    expect(node).toBeDefined();
    expect(execFileSync(node!, ['--version'], { encoding: 'utf8' }).trim()).toBe(PROJECT_NODE);
  });

  it.each(Object.entries(packageJson.scripts))('"%s" reaches Node through that PATH', (_name, script) => {
    const commands = commandsOf(script).filter((command) => !NOT_NODE[command]);
    expect(commands.filter((command) => !runsOnPathNode(command))).toEqual([]);
  });
});
