/**
 * What a process owns (tests/support/lifecycle.ts) goes when it stops, however it stops: a process of its own and a
 * temp dir, with the fixture `lifecycle-fixture.ts` as the owner.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { running, until } from './processes';

const REPO_ROOT = resolve(__dirname, '../..');
const FIXTURE = resolve(__dirname, 'lifecycle-fixture.ts');
const TIMEOUT_MS = 20_000;
// Each test starts node with tsx on a shared machine.
jest.setTimeout(2 * TIMEOUT_MS);

interface Owner {
  process: ChildProcess;
  dir: string;
  pid: number;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: Owner[] = [];

/** The fixture, itself in a process group of its own (a terminal's foreground job), started by `via`. */
async function startOwner(mode: string, via: string[] = []): Promise<Owner> {
  const child = spawn(via[0] ?? process.execPath, [...via.slice(1), ...(via.length ? [] : ['--import', 'tsx', FIXTURE, mode])], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal }))
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  const line = await until('the owner started', TIMEOUT_MS, () => /^\{.*\}$/m.exec(output)?.[0]);
  const owner = { process: child, exit, ...(JSON.parse(line) as { dir: string; pid: number }) };
  started.push(owner);
  return owner;
}

async function expectReleased(owner: Owner): Promise<void> {
  await until('the owned process ended', TIMEOUT_MS, () => running([owner.pid]).length === 0 || undefined);
  await until('the owned dir was removed', TIMEOUT_MS, () => !existsSync(owner.dir) || undefined);
}

afterAll(() => {
  for (const owner of started) {
    for (const pid of running([owner.process.pid!, owner.pid])) {
      process.kill(pid, 'SIGKILL');
    }
    rmSync(owner.dir, { recursive: true, force: true });
  }
});

describe('what a process owns goes with it', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('on %s, and the owner then ends by that signal', async (signal) => {
    const owner = await startOwner('wait');
    expect(existsSync(owner.dir)).toBe(true);
    expect(running([owner.pid])).toEqual([owner.pid]);
    process.kill(owner.process.pid!, signal);
    await expectReleased(owner);
    expect(await owner.exit).toEqual({ code: null, signal });
  });

  it('on Ctrl-C in a terminal: SIGINT to the whole process group', async () => {
    const owner = await startOwner('wait');
    process.kill(-owner.process.pid!, 'SIGINT');
    await expectReleased(owner);
    expect((await owner.exit).signal).toBe('SIGINT');
  });

  it('when the owner crashes with an uncaught exception', async () => {
    const owner = await startOwner('crash');
    expect((await owner.exit).code).toBe(1);
    await expectReleased(owner);
  });

  it('when the parent of an entry point goes away without passing the signal on (npm run under sh)', async () => {
    // sh stays in between (two commands) and dies by SIGTERM without passing it on, as under `npm run`.
    const owner = await startOwner('orphan', ['sh', '-c', `"${process.execPath}" --import tsx "${FIXTURE}" orphan; true`]);
    process.kill(owner.process.pid!, 'SIGTERM');
    await expectReleased(owner);
  });

  it('the process it owns ends even when the owner is killed with SIGKILL (its dir cannot be removed then)', async () => {
    const owner = await startOwner('wait');
    process.kill(owner.process.pid!, 'SIGKILL');
    await until('the owned process ended', TIMEOUT_MS, () => running([owner.pid]).length === 0 || undefined);
  });
});
