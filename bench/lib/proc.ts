/**
 * Reading the machine and a process from /proc, and a proxy's Prometheus text, for the reliability benchmarks.
 * Linux only (the benchmarks run on the 2-core Linux box described in gelf-and-elasticsearch.md §4).
 */
import { readFileSync } from 'node:fs';

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
