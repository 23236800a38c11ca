/**
 * Starts a real Elasticsearch node for tests, benchmarks and the no-Docker stack.
 *
 * The distribution is Elastic's own `integ-test-zip` from Maven Central (server, netty4, x-pack core + security; no ILM,
 * no painless). It is resolved with Maven once, unpacked into `.cache/`, and each node gets its own temp dir for config,
 * data, logs and the JVMs' temp files. Elasticsearch refuses to run as root, so when we are root it runs as a dedicated
 * system user. The node and its temp dir are owned by this process (../support/lifecycle.ts): they go when it stops,
 * however it stops.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { OwnedProcess, ownedTempDir, spawnOwned } from '../support/lifecycle';

export const ES_VERSION = process.env.ES_TEST_VERSION ?? '8.19.21';
const ES_USER = 'esrunner';
const REPO_ROOT = resolve(__dirname, '../..');
const CACHE_DIR = join(REPO_ROOT, '.cache');

export interface RunningElasticsearch {
  /** http(s)://127.0.0.1:port */
  url: string;
  secure: boolean;
  username?: string;
  password?: string;
  /** PEM of the CA that signed the node's HTTP certificate (secure mode only). */
  caFile?: string;
  /** e.g. "8.19.21" as reported by the node itself. */
  version: string;
  /** The node's own info (version, build hash), for logs. */
  banner: string;
  /** The node's temp dir (config, logs, data unless `dataDir`), removed by stop(). */
  home: string;
  /** Stops the node (SIGTERM, SIGKILL after a grace period) and removes its temp dir; idempotent. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Security on: basic auth for `elastic` and HTTPS with a self-signed CA made at start. */
  secure?: boolean;
  password?: string;
  heap?: string;
  port?: number;
  /** Keep data in this dir across restarts (fault tests restart the same node); the caller owns and removes it. */
  dataDir?: string;
  log?: (line: string) => void;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}): string {
  return execFileSync(cmd, args, { env: opts.env ?? process.env, input: opts.input, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}

function distributionHome(version: string): string {
  return join(CACHE_DIR, `elasticsearch-${version}`);
}

/** The distribution is unpacked in .cache/: starting a node needs neither Maven nor unzip. */
export function isDistributionReady(version = ES_VERSION): boolean {
  return existsSync(join(distributionHome(version), 'bin', 'elasticsearch'));
}

/** Downloads (once) and unpacks the distribution; returns the unpacked ES home. */
export function ensureDistribution(version = ES_VERSION): string {
  const home = distributionHome(version);
  if (isDistributionReady(version)) {
    return home;
  }
  const artifact = `org.elasticsearch.distribution.integ-test-zip:elasticsearch:${version}:zip`;
  const m2 = process.env.MAVEN_REPO ?? join(homedir(), '.m2', 'repository');
  const zip = join(m2, 'org/elasticsearch/distribution/integ-test-zip/elasticsearch', version, `elasticsearch-${version}.zip`);
  if (!existsSync(zip)) {
    run('mvn', ['-q', '-B', 'dependency:get', `-Dartifact=${artifact}`, '-Dtransitive=false']);
  }
  mkdirSync(CACHE_DIR, { recursive: true });
  const staging = mkdtempSync(join(CACHE_DIR, 'unpack-'));
  try {
    run('unzip', ['-q', zip, '-d', staging]);
    rmSync(home, { recursive: true, force: true });
    execFileSync('mv', [join(staging, `elasticsearch-${version}`), home]);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return home;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

interface RunnerUser {
  uid: number;
  gid: number;
}

function ensureRunnerUser(): RunnerUser | undefined {
  if (!isRoot()) {
    return undefined;
  }
  try {
    run('id', ['-u', ES_USER]);
  } catch {
    run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', ES_USER]);
  }
  return { uid: Number(run('id', ['-u', ES_USER]).trim()), gid: Number(run('id', ['-g', ES_USER]).trim()) };
}

function chownTree(dir: string, owner: RunnerUser): void {
  chownSync(dir, owner.uid, owner.gid);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      chownTree(path, owner);
    } else {
      chownSync(path, owner.uid, owner.gid);
    }
  }
}

function javaHome(): string {
  if (process.env.ES_JAVA_HOME) {
    return process.env.ES_JAVA_HOME;
  }
  const java = run('readlink', ['-f', run('sh', ['-c', 'command -v java']).trim()]).trim();
  return resolve(java, '../..');
}

/** A CA and a node certificate for 127.0.0.1/localhost, made with openssl. */
function makeCertificates(dir: string): { caFile: string; certFile: string; keyFile: string } {
  const caKey = join(dir, 'ca.key');
  const caFile = join(dir, 'ca.crt');
  const keyFile = join(dir, 'node.key');
  const csr = join(dir, 'node.csr');
  const certFile = join(dir, 'node.crt');
  const ext = join(dir, 'node.ext');
  run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', caFile, '-days', '2', '-subj', '/CN=dreamfactory-insights-test-ca']);
  run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', csr, '-subj', '/CN=localhost']);
  writeFileSync(ext, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n');
  run('openssl', ['x509', '-req', '-in', csr, '-CA', caFile, '-CAkey', caKey, '-CAcreateserial', '-out', certFile, '-days', '2', '-extfile', ext]);
  return { caFile, certFile, keyFile };
}

async function waitForNode(
  url: string,
  auth: string | undefined,
  caFile: string | undefined,
  node: OwnedProcess,
  timeoutMs: number
): Promise<{ version: string; banner: string }> {
  const { request } = await import(url.startsWith('https') ? 'node:https' : 'node:http');
  const { readFileSync } = await import('node:fs');
  const ca = caFile ? readFileSync(caFile) : undefined;
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (node.child.exitCode !== null || node.child.signalCode !== null) {
      throw new Error(`Elasticsearch exited (${node.child.exitCode ?? node.child.signalCode}) before it was ready: ${lastError}`);
    }
    try {
      const body = await new Promise<string>((res, rej) => {
        const req = request(
          `${url}/_cluster/health?wait_for_status=yellow&timeout=1s`,
          { headers: auth ? { authorization: `Basic ${auth}` } : {}, ca, timeout: 3000 },
          (resp: IncomingMessage) => {
            let data = '';
            resp.on('data', (c: Buffer) => (data += c));
            resp.on('end', () => (resp.statusCode === 200 ? res(data) : rej(new Error(`HTTP ${resp.statusCode}: ${data}`))));
          }
        );
        req.on('error', rej);
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.end();
      });
      void body;
      const banner = await new Promise<string>((res, rej) => {
        // The integ-test-zip has no rest-root module, so `GET /` is 405; the node info carries the version.
        const req = request(`${url}/_nodes/_local?filter_path=nodes.*.version,nodes.*.build_hash`, { headers: auth ? { authorization: `Basic ${auth}` } : {}, ca }, (resp: IncomingMessage) => {
          let data = '';
          resp.on('data', (c: Buffer) => (data += c));
          resp.on('end', () => res(data));
        });
        req.on('error', rej);
        req.end();
      });
      const nodes = Object.values(JSON.parse(banner).nodes ?? {}) as Array<{ version: string }>;
      if (!nodes[0]?.version) {
        throw new Error(`unexpected node info: ${banner}`);
      }
      return { version: nodes[0].version, banner };
    } catch (err) {
      lastError = (err as Error).message;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`Elasticsearch did not become ready within ${timeoutMs} ms: ${lastError}`);
}

export async function startElasticsearch(options: StartOptions = {}): Promise<RunningElasticsearch> {
  const distHome = ensureDistribution();
  const owner = ensureRunnerUser();
  const secure = options.secure ?? false;
  const password = options.password ?? 'insights-test-password';
  const log = options.log ?? (() => undefined);

  const workDir = ownedTempDir('dfi-es-');
  const work = workDir.path;
  let node: OwnedProcess | undefined;
  const stop = async () => {
    await node?.stop();
    await workDir.remove();
  };
  try {
    chmodSync(work, 0o755);
    const conf = join(work, 'config');
    cpSync(join(distHome, 'config'), conf, { recursive: true });
    const data = options.dataDir ?? join(work, 'data');
    const logs = join(work, 'logs');
    const esTmp = join(work, 'tmp');
    for (const d of [data, logs, esTmp]) {
      mkdirSync(d, { recursive: true });
    }
    const httpPort = options.port ?? (await freePort());
    const transportPort = await freePort();

    const settings: Record<string, string> = {
      'cluster.name': 'dreamfactory-insights-test',
      'node.name': 'node-1',
      'discovery.type': 'single-node',
      'network.host': '127.0.0.1',
      'http.port': String(httpPort),
      'transport.port': String(transportPort),
      'path.data': data,
      'path.logs': logs,
      // The test machine's disk may be fuller than ES's default watermarks allow.
      'cluster.routing.allocation.disk.threshold_enabled': 'false',
      'xpack.security.enabled': String(secure),
      'action.destructive_requires_name': 'false',
    };
    let certs: ReturnType<typeof makeCertificates> | undefined;
    if (secure) {
      certs = makeCertificates(conf);
      Object.assign(settings, {
        'xpack.security.http.ssl.enabled': 'true',
        'xpack.security.http.ssl.certificate': certs.certFile,
        'xpack.security.http.ssl.key': certs.keyFile,
        'xpack.security.http.ssl.certificate_authorities': certs.caFile,
        'xpack.security.transport.ssl.enabled': 'false',
      });
    }
    writeFileSync(
      join(conf, 'elasticsearch.yml'),
      Object.entries(settings)
        .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
        .join('\n') + '\n'
    );

    // Both JVMs (the launcher that computes the JVM options, and the server) keep their temp files in the node's dir:
    // the launcher's default is a `final-flags*` dir in /tmp per start. No hsperfdata files in /tmp either.
    const jvmTemp = `-Djava.io.tmpdir=${esTmp} -XX:-UsePerfData`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ES_PATH_CONF: conf,
      ES_JAVA_HOME: javaHome(),
      ES_TMPDIR: esTmp,
      ES_JAVA_OPTS: `-Xms${options.heap ?? '512m'} -Xmx${options.heap ?? '512m'} -XX:-UsePerfData`,
      CLI_JAVA_OPTS: jvmTemp,
      // The JS client in the parent must not leak its proxy settings into the JVM.
      JAVA_TOOL_OPTIONS: '',
    };
    if (owner) {
      chownTree(work, owner);
      if (options.dataDir) {
        chownTree(options.dataDir, owner);
      }
    }

    if (secure) {
      const keystore = join(distHome, 'bin', 'elasticsearch-keystore');
      runAs(owner, keystore, ['create'], { env });
      runAs(owner, keystore, ['add', '-x', '-f', 'bootstrap.password'], { env, input: password });
    }

    const started = spawnOwned(join(distHome, 'bin', 'elasticsearch'), [], { env, runAs: owner, stdio: ['ignore', 'pipe', 'pipe'] });
    node = started;
    let tail: string[] = [];
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (line.trim()) {
          tail = [...tail.slice(-40), line];
          log(line);
        }
      }
    };
    started.child.stdout?.on('data', collect);
    started.child.stderr?.on('data', collect);

    const scheme = secure ? 'https' : 'http';
    const url = `${scheme}://127.0.0.1:${httpPort}`;
    const auth = secure ? Buffer.from(`elastic:${password}`).toString('base64') : undefined;
    let ready: { version: string; banner: string };
    try {
      ready = await waitForNode(url, auth, certs?.caFile, started, Number(process.env.ES_START_TIMEOUT_MS ?? 180000));
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- last Elasticsearch output ---\n${tail.join('\n')}`);
    }
    return {
      url,
      secure,
      username: secure ? 'elastic' : undefined,
      password: secure ? password : undefined,
      caFile: certs?.caFile,
      version: ready.version,
      banner: ready.banner,
      home: work,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Runs one of the distribution's tools to completion, as the runner user when there is one. */
function runAs(owner: RunnerUser | undefined, cmd: string, args: string[], opts: { env: NodeJS.ProcessEnv; input?: string }): string {
  return owner
    ? run('setpriv', ['--reuid', String(owner.uid), '--regid', String(owner.gid), '--clear-groups', '--', cmd, ...args], opts)
    : run(cmd, args, opts);
}
