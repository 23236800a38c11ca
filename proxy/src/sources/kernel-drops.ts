/**
 * Datagrams the kernel dropped on our UDP sockets because their receive buffer was full: the only place UDP loss can
 * happen once the receiving thread is keeping up, and invisible to the process otherwise. Linux reports a running
 * count per socket in the last column (`drops`) of /proc/net/udp and /proc/net/udp6; sockets are matched by local
 * port (and address, for IPv4). Elsewhere (no /proc) nothing is reported.
 */
import { readFileSync } from 'node:fs';
import type { IngestCounters } from '../ingest-counters';
import type { SourceName } from '../pipeline-types';

const POLL_MS = 1000;
const PROC_FILES = ['/proc/net/udp', '/proc/net/udp6'];

interface Watched {
  source: SourceName;
  /** /proc's local_address of the socket: `0100007F:3039` for 127.0.0.1:12345 (IPv4), or `:3039` for any IPv6 address. */
  match: string;
  /** The count when we started watching (a socket starts at 0; kept in case /proc reuses a line). */
  baseline: number;
}

export class KernelDropMonitor {
  private readonly watched = new Map<SourceName, Watched>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly counters: IngestCounters,
    private readonly read: () => string[] = readProcUdp
  ) {}

  watch(source: SourceName, host: string, port: number): void {
    const match = procLocalAddress(host, port);
    this.watched.set(source, { source, match, baseline: sumDrops(this.read(), match) });
    this.counters.kernelDrops(source, 0, Date.now());
  }

  unwatch(source: SourceName): void {
    this.poll();
    this.watched.delete(source);
  }

  start(): void {
    this.timer ??= setInterval(() => this.poll(), POLL_MS).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  poll(now = Date.now()): void {
    if (this.watched.size === 0) {
      return;
    }
    const lines = this.read();
    for (const w of this.watched.values()) {
      this.counters.kernelDrops(w.source, Math.max(0, sumDrops(lines, w.match) - w.baseline), now);
    }
  }
}

function readProcUdp(): string[] {
  const lines: string[] = [];
  for (const file of PROC_FILES) {
    try {
      lines.push(...readFileSync(file, 'latin1').split('\n').slice(1));
    } catch {
      // No /proc (not Linux) or no IPv6: nothing to report from it.
    }
  }
  return lines;
}

/** /proc/net/udp writes IPv4 addresses as the 32-bit value in host (little-endian) order, hex, and the port in hex. */
export function procLocalAddress(host: string, port: number): string {
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  const octets = host.split('.');
  if (octets.length !== 4) {
    return `:${portHex}`;
  }
  const hex = octets
    .reverse()
    .map((o) => Number(o).toString(16).toUpperCase().padStart(2, '0'))
    .join('');
  return `${hex}:${portHex}`;
}

/** Sum of the `drops` column over the sockets whose local address matches (`:PORT` matches any address). */
export function sumDrops(lines: string[], match: string): number {
  let drops = 0;
  for (const line of lines) {
    const fields = line.trim().split(/\s+/);
    const local = fields[1];
    if (local === undefined || fields.length < 13) {
      continue;
    }
    if (match.startsWith(':') ? local.endsWith(match) : local === match) {
      drops += Number(fields[fields.length - 1]) || 0;
    }
  }
  return drops;
}
