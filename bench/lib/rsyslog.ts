/**
 * rsyslog as the ingest benchmark's peer: a C shipper receiving the same DreamFactory JSON datagrams. Installed from
 * Debian's packages when missing, and always run as its own instance (`rsyslogd -n -f <conf> -i <pidfile>`, own work
 * directory and port), never the system service. Pipeline: imudp → mmjsonparse → omelasticsearch (bulk mode).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stopChild } from './proc';

const RSYSLOGD = '/usr/sbin/rsyslogd';
const PACKAGES = ['rsyslog', 'rsyslog-elasticsearch'];
const MODULE_DIR = '/usr/lib/x86_64-linux-gnu/rsyslog';

export interface RsyslogOptions {
  dir: string;
  port: number;
  esHost: string;
  esPort: number;
  index: string;
  /** SO_RCVBUF for imudp (rsyslog uses SO_RCVBUFFORCE as root); undefined keeps the kernel default. */
  recvBufferBytes?: number;
}

export interface RunningRsyslog {
  pid: number;
  config: string;
  stop(): Promise<void>;
}

/** Installs rsyslog and its Elasticsearch output with apt-get when they are missing; returns the version line. */
export function ensureRsyslog(): string {
  if (!existsSync(RSYSLOGD) || !existsSync(join(MODULE_DIR, 'omelasticsearch.so'))) {
    execFileSync('apt-get', ['update'], { stdio: 'ignore' });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...PACKAGES], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  return execFileSync(RSYSLOGD, ['-v']).toString().split('\n')[0].trim();
}

export function rsyslogConfig(options: RsyslogOptions): string {
  const rcvbuf = options.recvBufferBytes === undefined ? '' : ` rcvbufSize="${options.recvBufferBytes}"`;
  return `# DreamFactory Insights ingest benchmark peer (generated)
global(workDirectory="${options.dir}" maxMessageSize="64k")
module(load="imudp")
module(load="mmjsonparse")
module(load="omelasticsearch")
template(name="document" type="list") { property(name="$!all-json") }
input(type="imudp" address="127.0.0.1" port="${options.port}"${rcvbuf})
action(type="mmjsonparse" cookie="" useRawMsg="on")
action(type="omelasticsearch" server="${options.esHost}" serverport="${options.esPort}" template="document" searchIndex="${options.index}" bulkmode="on" esVersion.major="8" errorFile="${join(options.dir, 'es-errors.json')}")
`;
}

export async function startRsyslog(options: RsyslogOptions): Promise<RunningRsyslog> {
  mkdirSync(options.dir, { recursive: true });
  const config = rsyslogConfig(options);
  const confFile = join(options.dir, 'rsyslog.conf');
  writeFileSync(confFile, config);
  execFileSync(RSYSLOGD, ['-N1', '-f', confFile], { stdio: 'pipe' });
  const child: ChildProcess = spawn(RSYSLOGD, ['-n', '-f', confFile, '-i', join(options.dir, 'rsyslogd.pid')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const deadline = Date.now() + 10_000;
  while (!udpPortBound(options.port)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`rsyslogd did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    pid: child.pid!,
    config,
    stop: () => stopChild(child),
  };
}

function udpPortBound(port: number): boolean {
  return execFileSync('ss', ['-uanH', `sport = :${port}`]).toString().trim() !== '';
}
