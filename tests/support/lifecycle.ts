/**
 * What a test run, a benchmark or `npm run stack` starts must not outlive it: child process trees (Elasticsearch runs
 * as another user) and temp dirs. Each is owned from the moment it exists until it is released, and whatever is still
 * owned when this process stops is released last-in, first-out (a process before the dir it writes to):
 *  - on SIGINT (Ctrl-C reaches the whole foreground process group), SIGTERM or SIGHUP: gracefully, then the signal is
 *    raised again so the process ends as it would have — unless someone else listens too (a test runner finishing its
 *    own teardown), who then decides when to exit. A second signal skips the grace;
 *  - on any other exit (process.exit, an uncaught exception): synchronously, processes killed and dirs removed.
 * A process started with `spawnOwned` also gets SIGTERM from the kernel when this process dies, even by SIGKILL.
 */
import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';

interface Owned {
  /** Graceful; resolves once the thing is gone. */
  release(): Promise<void>;
  /** Last resort while the process exits: synchronous. */
  releaseNow(): void;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** util-linux (Debian: essential): sets the parent-death signal, and the user to run as, then execs the command. */
const SETPRIV = '/usr/bin/setpriv';
/** How long a process gets between SIGTERM and SIGKILL. */
const DEFAULT_GRACE_MS = 10_000;

const owned: Owned[] = [];
let releasingAll: Promise<void> | undefined;

/** Our listeners are there exactly while something is owned: otherwise signals keep their default effect. */
function listen(on: boolean): void {
  const method = on ? 'on' : 'removeListener';
  SIGNALS.forEach((signal) => process[method](signal, onSignal));
  process[method]('exit', releaseAllNow);
}

function own(resource: Owned): () => void {
  if (owned.length === 0) {
    listen(true);
  }
  owned.push(resource);
  return () => {
    const at = owned.indexOf(resource);
    if (at >= 0) {
      owned.splice(at, 1);
      if (owned.length === 0) {
        listen(false);
      }
    }
  };
}

function onSignal(signal: NodeJS.Signals): void {
  if (releasingAll) {
    releaseAllNow();
    process.exit(128 + constants.signals[signal]);
  }
  const handledElsewhere = process.listenerCount(signal) > 1;
  releasingAll = (async () => {
    for (const resource of [...owned].reverse()) {
      await resource.release().catch(() => resource.releaseNow());
    }
  })();
  void releasingAll.then(() => {
    releasingAll = undefined;
    // The process kept running meanwhile: whatever it started since goes too.
    releaseAllNow();
    if (!handledElsewhere) {
      process.kill(process.pid, signal);
    }
  });
}

function releaseAllNow(): void {
  const all = owned.splice(0);
  if (all.length > 0) {
    listen(false);
  }
  for (const resource of all.reverse()) {
    try {
      resource.releaseNow();
    } catch {
      // best effort: the process is exiting
    }
  }
}

/**
 * For an entry point that runs until stopped (`npm run stack`): npm's `sh -c` does not pass SIGTERM on to its child,
 * so a parent that went away is taken as SIGTERM.
 */
export function stopWhenOrphaned(pollMs = 500): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      process.kill(process.pid, 'SIGTERM');
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
  const disown = own({ release: async () => removeNow(), releaseNow: removeNow });
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
      process.kill(-child.pid!, signal);
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
  const disown = own({ release: stop, releaseNow: () => child.pid && signalGroup('SIGKILL') });
  return { child, exited, stop };
}
