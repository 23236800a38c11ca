/**
 * Reading the machine and a process from /proc, and a proxy's Prometheus text, for the reliability benchmarks.
 * Linux only: the benchmarks run on Linux.
 */
import { ChildProcess, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Kernel UDP drops because a socket's receive buffer was full. System-wide: other traffic on the box counts too. */
export function udpRcvbufErrors(): number {
  const lines = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Udp:'));
  const [names, values] = lines.map((l) => l.trim().split(/\s+/));
  return Number(values[names.indexOf('RcvbufErrors')]);
}

export interface ProcSample {
  at: number;
  rssBytes: number;
  /** user + system CPU seconds since the process started. */
  cpuSeconds: number;
}

/** clock ticks per second; 100 on every Linux this runs on (getconf CLK_TCK). */
const CLK_TCK = 100;

export function sampleProcess(pid: number, at = Date.now()): ProcSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  // The command name (field 2) may contain spaces; fields after the closing parenthesis are fixed.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the state field (field 3).
  const cpuTicks = Number(fields[11]) + Number(fields[12]);
  return { at, rssBytes: rssKb * 1024, cpuSeconds: cpuTicks / CLK_TCK };
}

/** Prometheus text exposition → `name{labels}` → value (labels kept verbatim; enough to sum by name or match a label). */
export function parsePrometheus(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) {
      continue;
    }
    const space = line.lastIndexOf(' ');
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}

/** Sum of every series of `name`, grouped by the value of `label` (e.g. dropped by reason). */
export function sumBy(metrics: Map<string, number>, name: string, label?: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [series, value] of metrics) {
    if (series !== name && !series.startsWith(`${name}{`)) {
      continue;
    }
    const key = label ? (new RegExp(`${label}="([^"]*)"`).exec(series)?.[1] ?? '') : 'total';
    out[key] = (out[key] ?? 0) + value;
  }
  return out;
}

export function percentile(sorted: number[], p: number): number | null {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : null;
}

/** A process and all its descendants (from the parent pid of every /proc/<pid>/stat). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    tree.push(...(children.get(tree[i]) ?? []));
  }
  return tree;
}

/**
 * CPU seconds (user + system, every thread) of a process tree, including children it already reaped; and its
 * resident memory (VmRSS summed over the tree).
 */
export function sampleTree(root: number): { cpuSeconds: number; rssBytes: number } {
  let ticks = 0;
  let rssBytes = 0;
  for (const pid of processTree(root)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime, stime, cutime, cstime: fields 14-17 of stat.
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      rssBytes += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    } catch {
      // Gone meanwhile.
    }
  }
  return { cpuSeconds: ticks / CLK_TCK, rssBytes };
}

/** The kernel's receive buffer of the UDP socket bound to `port` (`ss` skmem `rb`, as the kernel accounts it). */
export function udpReceiveBuffer(port: number): number | undefined {
  const line = execFileSync('ss', ['-uamnH', `sport = :${port}`]).toString();
  const rb = /\brb(\d+)/.exec(line);
  return rb ? Number(rb[1]) : undefined;
}

/** SIGTERM, then SIGKILL if the child has not exited within `graceMs`; resolves once it has exited. */
export async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
