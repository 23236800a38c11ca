/** What is running on this (Linux) machine, from /proc: for tests that check that nothing outlives its owner. */
import { readdirSync, readFileSync } from 'node:fs';

interface ProcessInfo {
  pid: number;
  ppid: number;
  /** `R`, `S`, … or `Z` for a zombie. */
  state: string;
}

/** Every process; `/proc/<pid>/stat` is `pid (comm) state ppid …`, and comm may hold spaces and parentheses. */
function processes(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      found.push({ pid: Number(entry), ppid: Number(ppid), state });
    } catch {
      // exited while we looked
    }
  }
  return found;
}

/** The process and all its descendants, whatever their process group or user. */
export function processTree(root: number): number[] {
  const all = processes();
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (tree.has(p.ppid) && !tree.has(p.pid)) {
        tree.add(p.pid);
        grew = true;
      }
    }
  }
  return [...tree];
}

/**
 * Those of `pids` still running. A zombie has exited: only its parent (or, once orphaned, init — which on some
 * machines never collects them) has yet to read its exit status.
 */
export function running(pids: number[]): number[] {
  const live = new Set(processes().filter((p) => p.state !== 'Z').map((p) => p.pid));
  return pids.filter((pid) => live.has(pid));
}

export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

/** Polls `probe` until it returns a value other than undefined; throws after `timeoutMs`. */
export async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
