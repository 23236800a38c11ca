/**
 * What a test run, a benchmark or `npm run stack` starts must not outlive it: child process trees (Elasticsearch runs
 * as another user) and temp dirs. Each is owned from the moment it exists until its owner stops or removes it
 * (`stop()` is graceful: SIGTERM, then SIGKILL after a grace period). Whatever is still owned when this process ends —
 * SIGINT (Ctrl-C reaches the whole foreground process group), SIGTERM, SIGHUP, process.exit, an uncaught exception — is
 * released at once and last-in first-out (a process before the dir it writes to): process groups get SIGKILL, dirs are
 * removed. All of it is temporary, so nothing is worth waiting for, and a test runner may SIGKILL a worker half a
 * second after SIGTERM. A signal is then raised again, so the process ends as it would have — unless someone else
 * listens too (a test runner finishing its own teardown), who then decides when to exit.
 * A process started with `spawnOwned` also gets SIGTERM from the kernel when this process dies, even by SIGKILL.
 */
import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInThisContext } from 'node:vm';

interface Owned {
  /** Synchronous: the process is ending. */
  releaseNow(): void;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** util-linux (Debian: essential): sets the parent-death signal, and the user to run as, then execs the command. */
const SETPRIV = '/usr/bin/setpriv';
/** How long a process gets between SIGTERM and SIGKILL. */
const DEFAULT_GRACE_MS = 10_000;

/**
 * Node's own process object. A test runner's sandbox (jest) hands test code a copy of `process` whose listeners never
 * hear a real signal or the real exit, so everything here talks to the one of Node's main context.
 */
const host = runInThisContext('process') as NodeJS.Process;

interface Registry {
  owned: Owned[];
  onSignal(signal: NodeJS.Signals): void;
  releaseAllNow(): void;
}

/** One per process, however many copies of this module a test runner loads (jest: one per test file). */
function createRegistry(): Registry {
  const registry: Registry = {
    owned: [],
    onSignal(signal) {
      const handledElsewhere = host.listenerCount(signal) > 1;
      registry.releaseAllNow();
      if (!handledElsewhere) {
        host.kill(host.pid, signal);
      }
    },
    releaseAllNow() {
      const all = registry.owned.splice(0);
      if (all.length > 0) {
        listen(false);
      }
      for (const resource of all.reverse()) {
        try {
          resource.releaseNow();
        } catch {
          // best effort: the process is ending
        }
      }
    },
  };
  return registry;
}

const REGISTRY_KEY = Symbol.for('dreamfactory-insights.lifecycle');
const hostSlots = host as unknown as Record<symbol, Registry | undefined>;
const registry = (hostSlots[REGISTRY_KEY] ??= createRegistry());

/** Our listeners are there exactly while something is owned: otherwise signals keep their default effect. */
function listen(on: boolean): void {
  const method = on ? 'on' : 'removeListener';
  SIGNALS.forEach((signal) => host[method](signal, registry.onSignal));
  host[method]('exit', registry.releaseAllNow);
}

function own(resource: Owned): () => void {
  if (registry.owned.length === 0) {
    listen(true);
  }
  registry.owned.push(resource);
  return () => {
    const at = registry.owned.indexOf(resource);
    if (at >= 0) {
      registry.owned.splice(at, 1);
      if (registry.owned.length === 0) {
        listen(false);
      }
    }
  };
}

/**
 * For an entry point that runs until stopped (`npm run stack`): npm's `sh -c` does not pass SIGTERM on to its child,
 * so a parent that went away is taken as SIGTERM.
 */
export function stopWhenOrphaned(pollMs = 500): void {
  const parent = host.ppid;
  const timer = setInterval(() => {
    if (host.ppid !== parent) {
      clearInterval(timer);
      host.kill(host.pid, 'SIGTERM');
    }
  }, pollMs);
  timer.unref();
}

export interface OwnedDir {
  path: string;
  /** Removes the dir; idempotent. */
  remove(): Promise<void>;
}

/** A fresh dir under the OS temp dir (`TMPDIR`), removed when this process stops if not before. */
export function ownedTempDir(prefix: string): OwnedDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  // Retries: a process killed a moment ago may still be closing files in it.
  const removeNow = () => rmSync(path, { recursive: true, force: true, maxRetries: 5 });
  const disown = own({ releaseNow: removeNow });
  return {
    path,
    async remove() {
      removeNow();
      disown();
    },
  };
}

export interface OwnedProcess {
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  /**
   * SIGTERM to the process (it stops and reaps its own children), SIGKILL to its whole process group after the grace
   * period or if anything of the group is left once it exited. Idempotent.
   */
  stop(): Promise<void>;
}

export interface SpawnOwnedOptions extends Omit<SpawnOptions, 'detached' | 'uid' | 'gid'> {
  /** Run as this user (we are root; Elasticsearch refuses to run as root). */
  runAs?: { uid: number; gid: number };
  graceMs?: number;
}

/**
 * Starts `command` in a process group of its own, so that stopping it reaches everything it starts and a terminal's
 * Ctrl-C reaches it only through its owner (which stops things in order and removes what they wrote).
 */
export function spawnOwned(command: string, args: string[], options: SpawnOwnedOptions = {}): OwnedProcess {
  const { runAs, graceMs = DEFAULT_GRACE_MS, ...spawnOptions } = options;
  if (runAs && !existsSync(SETPRIV)) {
    throw new Error(`running ${command} as uid ${runAs.uid} needs ${SETPRIV} (Debian package util-linux)`);
  }
  const [file, argv] = existsSync(SETPRIV)
    ? [
        SETPRIV,
        [
          ...(runAs ? ['--reuid', String(runAs.uid), '--regid', String(runAs.gid), '--clear-groups'] : []),
          // Set after the user change (which clears it) and kept across exec: our death stops the command.
          '--pdeathsig',
          'TERM',
          '--',
          command,
          ...args,
        ],
      ]
    : [command, args];
  const child = spawn(file, argv, { ...spawnOptions, detached: true });
  // A command that cannot be started ends with 'error' and maybe no 'exit'.
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      host.kill(-child.pid!, signal);
    } catch {
      // the group is gone
    }
  };
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        child.kill('SIGTERM');
      }
      const deadline = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      await exited;
      clearTimeout(deadline);
      if (child.pid) {
        signalGroup('SIGKILL');
      }
      disown();
    })());
  const disown = own({ releaseNow: () => signalGroup('SIGKILL') });
  return { child, exited, stop };
}
