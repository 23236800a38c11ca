/**
 * Starts real search-engine nodes for tests, benchmarks and the no-Docker stack: Elasticsearch 8/9 or OpenSearch 2/3,
 * one node or a cluster on loopback, and stops, kills or restarts any one of them for fault tests.
 *
 * Each distribution is the product's own `integ-test-zip` from Maven Central (engines.ts), resolved with Maven once and
 * unpacked into `.cache/`; each node gets its own temp dir for config, data, logs and the JVMs' temp files. The engines
 * refuse to run as root, so when we are root they run as a dedicated system user. Every node and its temp dir are owned
 * by this process (../support/lifecycle.ts): they go when it stops, however it stops.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { OwnedDir, OwnedProcess, ownedTempDir, spawnOwned } from '../support/lifecycle';
import { DEFAULT_DISTRIBUTION, Distribution, EngineProduct, productName } from './engines';
import { javaHomeFor, missingJavaMessage } from './java';

const RUNNER_USER = 'esrunner';
const REPO_ROOT = resolve(__dirname, '../..');
const CACHE_DIR = join(REPO_ROOT, '.cache');
const DEFAULT_PASSWORD = 'insights-test-password';

export interface RunningElasticsearch {
  /** http(s)://127.0.0.1:port of the first node */
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
  /** The first node's temp dir (config, logs, data unless `dataDir`), removed by stop(). */
  home: string;
  /** Stops every node (SIGTERM, SIGKILL after a grace period) and removes their temp dirs; idempotent. */
  stop(): Promise<void>;
}

export interface RunningEngine extends RunningElasticsearch {
  product: EngineProduct;
  /** Every node's URL, in node order: what the proxy is given. */
  urls: string[];
  nodes: EngineNode[];
  /** SIGKILLs node `index` (its whole process tree) and waits until it is gone; its data stays for `restart`. */
  kill(index: number): Promise<void>;
  /** Starts node `index` again on its data, ports and settings, and waits until the cluster has every node again. */
  restart(index: number): Promise<void>;
}

export interface EngineNode {
  name: string;
  url: string;
  running: boolean;
}

export interface StartOptions {
  /** Security on (Elasticsearch only): basic auth for `elastic` and HTTPS with a self-signed CA made at start. */
  secure?: boolean;
  password?: string;
  heap?: string;
  /** HTTP port of the first node. */
  port?: number;
  /** Keep data in this dir across restarts (fault tests restart the same node); the caller owns and removes it. */
  dataDir?: string;
  log?: (line: string) => void;
}

export interface EngineOptions extends StartOptions {
  distribution?: Distribution;
  /** Nodes in the cluster (default 1). Every node holds data and may be elected master. */
  nodes?: number;
}

/** What differs between the products when launching a node. */
interface Launcher {
  bin: string;
  keystore: string;
  configFile: string;
  env(paths: { conf: string; javaHome: string; tmp: string; javaOpts: string }): NodeJS.ProcessEnv;
  /** The setting listing the nodes that may form a new cluster. */
  initialMastersSetting: string;
  securitySettings(secure: boolean): Record<string, string>;
}

/**
 * Both JVMs (the launcher that computes the JVM options, and the server) keep their temp files in the node's dir: the
 * launcher's default is a `final-flags*` dir in /tmp per start. No hsperfdata files in /tmp either.
 */
const LAUNCHERS: Record<EngineProduct, Launcher> = {
  elasticsearch: {
    bin: 'elasticsearch',
    keystore: 'elasticsearch-keystore',
    configFile: 'elasticsearch.yml',
    env: ({ conf, javaHome, tmp, javaOpts }) => ({
      ES_PATH_CONF: conf,
      ES_JAVA_HOME: javaHome,
      ES_TMPDIR: tmp,
      ES_JAVA_OPTS: javaOpts,
      CLI_JAVA_OPTS: `-Djava.io.tmpdir=${tmp} -XX:-UsePerfData`,
    }),
    initialMastersSetting: 'cluster.initial_master_nodes',
    securitySettings: (secure) => ({ 'xpack.security.enabled': String(secure) }),
  },
  // The integ-test-zip has no security plugin, so there is nothing to switch off.
  opensearch: {
    bin: 'opensearch',
    keystore: 'opensearch-keystore',
    configFile: 'opensearch.yml',
    env: ({ conf, javaHome, tmp, javaOpts }) => ({
      OPENSEARCH_PATH_CONF: conf,
      OPENSEARCH_JAVA_HOME: javaHome,
      OPENSEARCH_TMPDIR: tmp,
      OPENSEARCH_JAVA_OPTS: javaOpts,
    }),
    initialMastersSetting: 'cluster.initial_cluster_manager_nodes',
    securitySettings: () => ({}),
  },
};

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

function distributionName(distribution: Distribution): string {
  return `${distribution.product}-${distribution.version}`;
}

function distributionHome(distribution: Distribution): string {
  return join(CACHE_DIR, distributionName(distribution));
}

/** The distribution is unpacked in .cache/: starting a node needs neither Maven nor unzip. */
export function isDistributionReady(distribution = DEFAULT_DISTRIBUTION): boolean {
  return existsSync(join(distributionHome(distribution), 'bin', LAUNCHERS[distribution.product].bin));
}

/** Downloads (once) and unpacks the distribution; returns its unpacked home. */
export function ensureDistribution(distribution = DEFAULT_DISTRIBUTION): string {
  const home = distributionHome(distribution);
  if (isDistributionReady(distribution)) {
    return home;
  }
  const { product, version } = distribution;
  const group = `org.${product}.distribution.integ-test-zip`;
  const m2 = process.env.MAVEN_REPO ?? join(homedir(), '.m2', 'repository');
  const zip = join(m2, ...group.split('.'), product, version, `${product}-${version}.zip`);
  if (!existsSync(zip)) {
    run('mvn', ['-q', '-B', 'dependency:get', `-Dartifact=${group}:${product}:${version}:zip`, '-Dtransitive=false']);
  }
  mkdirSync(CACHE_DIR, { recursive: true });
  const staging = mkdtempSync(join(CACHE_DIR, 'unpack-'));
  try {
    run('unzip', ['-q', zip, '-d', staging]);
    rmSync(home, { recursive: true, force: true });
    execFileSync('mv', [join(staging, distributionName(distribution)), home]);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return home;
}

interface RunnerUser {
  uid: number;
  gid: number;
}

function ensureRunnerUser(): RunnerUser | undefined {
  if (process.getuid?.() !== 0) {
    return undefined;
  }
  try {
    run('id', ['-u', RUNNER_USER]);
  } catch {
    run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', RUNNER_USER]);
  }
  return { uid: Number(run('id', ['-u', RUNNER_USER]).trim()), gid: Number(run('id', ['-g', RUNNER_USER]).trim()) };
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

/**
 * The distribution's jvm.options with relative file paths (GC log, error file, heap dumps) made absolute inside the
 * node's dir: OpenSearch's launcher runs from the distribution home, which is shared, and not ours to write.
 */
export function localiseJvmOptions(options: string, nodeDir: string): string {
  return options.replace(/(file=|-XX:ErrorFile=|-XX:HeapDumpPath=|-Xloggc:)([^/:\s][^:\s]*)/g, (_, flag: string, path: string) =>
    `${flag}${isAbsolute(path) ? path : join(nodeDir, path)}`
  );
}

interface HttpAnswer {
  status: number;
  body: string;
}

function httpGet(url: string, auth: string | undefined, ca: Buffer | undefined, timeoutMs = 5000): Promise<HttpAnswer> {
  const request = url.startsWith('https') ? httpsRequest : httpRequest;
  return new Promise((res, rej) => {
    const req = request(url, { headers: auth ? { authorization: `Basic ${auth}` } : {}, ca, timeout: timeoutMs }, (resp) => {
      let body = '';
      resp.on('data', (chunk: Buffer) => (body += chunk));
      resp.on('end', () => res({ status: resp.statusCode ?? 0, body }));
    });
    req.on('error', rej);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

/** One node's fixed identity: it keeps its dir, data and ports across restarts. */
interface NodePlan {
  name: string;
  dir: OwnedDir;
  dataDir: string;
  httpPort: number;
  transportPort: number;
  url: string;
  process?: OwnedProcess;
  /** The last lines it printed, for the error when it does not come up. */
  tail: string[];
  certs?: ReturnType<typeof makeCertificates>;
}

/** Starts one node or a cluster and waits until every node has joined; see RunningEngine for what it returns. */
export async function startEngine(options: EngineOptions = {}): Promise<RunningEngine> {
  const distribution = options.distribution ?? DEFAULT_DISTRIBUTION;
  const { product, version: expectedVersion } = distribution;
  const launcher = LAUNCHERS[product];
  const nodeCount = options.nodes ?? 1;
  const secure = options.secure ?? false;
  if (secure && (product !== 'elasticsearch' || nodeCount > 1)) {
    throw new Error('secure mode is implemented for a single Elasticsearch node only');
  }
  const distHome = ensureDistribution(distribution);
  const javaHome = javaHomeFor(distribution.minJava);
  if (!javaHome) {
    throw new Error(missingJavaMessage(distribution.minJava, `${productName(product)} ${expectedVersion}`));
  }
  const owner = ensureRunnerUser();
  const password = options.password ?? DEFAULT_PASSWORD;
  const log = options.log ?? (() => undefined);
  const scheme = secure ? 'https' : 'http';
  const auth = secure ? Buffer.from(`elastic:${password}`).toString('base64') : undefined;
  const startTimeoutMs = Number(process.env.ES_START_TIMEOUT_MS ?? 180000) * Math.max(1, nodeCount / 2);
  // Unique, so that no other test cluster on this machine can ever be joined.
  const clusterName = `dreamfactory-insights-test-${Math.random().toString(36).slice(2, 8)}`;

  const plans: NodePlan[] = [];
  let caFile: string | undefined;
  const stop = async () => {
    for (const plan of [...plans].reverse()) {
      await plan.process?.stop();
      await plan.dir.remove();
    }
  };

  const settingsFor = (plan: NodePlan, conf: string, forming: boolean): Record<string, string | string[]> => {
    const settings: Record<string, string | string[]> = {
      'cluster.name': clusterName,
      'node.name': plan.name,
      'network.host': '127.0.0.1',
      'http.port': String(plan.httpPort),
      'transport.port': String(plan.transportPort),
      'path.data': plan.dataDir,
      'path.logs': join(plan.dir.path, 'logs'),
      // The test machine's disk may be fuller than the default watermarks allow.
      'cluster.routing.allocation.disk.threshold_enabled': 'false',
      'action.destructive_requires_name': 'false',
      ...launcher.securitySettings(secure),
    };
    if (nodeCount === 1) {
      settings['discovery.type'] = 'single-node';
    } else {
      settings['discovery.seed_hosts'] = plans.map((p) => `127.0.0.1:${p.transportPort}`);
      // Only for the very first start: a restarted node rejoins the cluster its data names.
      if (forming) {
        settings[launcher.initialMastersSetting] = plans.map((p) => p.name);
      }
    }
    if (secure) {
      // Made once, at the first start: clients keep trusting the same CA across restarts.
      const certs = (plan.certs ??= makeCertificates(conf));
      caFile = certs.caFile;
      Object.assign(settings, {
        'xpack.security.http.ssl.enabled': 'true',
        'xpack.security.http.ssl.certificate': certs.certFile,
        'xpack.security.http.ssl.key': certs.keyFile,
        'xpack.security.http.ssl.certificate_authorities': certs.caFile,
        'xpack.security.transport.ssl.enabled': 'false',
      });
    }
    return settings;
  };

  const heap = options.heap ?? '512m';
  const launch = (plan: NodePlan, forming: boolean): void => {
    const conf = join(plan.dir.path, 'config');
    const tmp = join(plan.dir.path, 'tmp');
    if (forming) {
      cpSync(join(distHome, 'config'), conf, { recursive: true });
      for (const d of [plan.dataDir, join(plan.dir.path, 'logs'), tmp]) {
        mkdirSync(d, { recursive: true });
      }
      const jvmOptions = join(conf, 'jvm.options');
      writeFileSync(jvmOptions, localiseJvmOptions(readFileSync(jvmOptions, 'utf8'), plan.dir.path));
    }
    writeFileSync(
      join(conf, launcher.configFile),
      Object.entries(settingsFor(plan, conf, forming))
        .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
        .join('\n') + '\n'
    );
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...launcher.env({ conf, javaHome, tmp, javaOpts: `-Xms${heap} -Xmx${heap} -XX:-UsePerfData` }),
      // The JS client in the parent must not leak its proxy settings into the JVM.
      JAVA_TOOL_OPTIONS: '',
    };
    if (owner) {
      chownTree(plan.dir.path, owner);
      if (options.dataDir) {
        chownTree(options.dataDir, owner);
      }
    }
    if (secure && forming) {
      const keystore = join(distHome, 'bin', launcher.keystore);
      runAs(owner, keystore, ['create'], { env });
      runAs(owner, keystore, ['add', '-x', '-f', 'bootstrap.password'], { env, input: password });
    }
    const started = spawnOwned(join(distHome, 'bin', launcher.bin), [], { env, runAs: owner, stdio: ['ignore', 'pipe', 'pipe'] });
    plan.process = started;
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (line.trim()) {
          plan.tail = [...plan.tail.slice(-40), line];
          log(nodeCount > 1 ? `[${plan.name}] ${line}` : line);
        }
      }
    };
    started.child.stdout?.on('data', collect);
    started.child.stderr?.on('data', collect);
  };

  /** Until the node answers and the cluster it sees has every node; returns that node's version and info. */
  const waitForNode = async (plan: NodePlan): Promise<{ version: string; banner: string }> => {
    const ca = caFile ? readFileSync(caFile) : undefined;
    const deadline = Date.now() + startTimeoutMs;
    let lastError = '';
    while (Date.now() < deadline) {
      const child = plan.process!.child;
      if (child.exitCode !== null || child.signalCode !== null) {
        lastError = `exited (${child.exitCode ?? child.signalCode}) before it was ready: ${lastError}`;
        break;
      }
      try {
        const health = await httpGet(`${plan.url}/_cluster/health?wait_for_status=yellow&wait_for_nodes=${nodeCount}&timeout=1s`, auth, ca);
        if (health.status !== 200) {
          throw new Error(`HTTP ${health.status}: ${health.body}`);
        }
        // The Elasticsearch integ-test-zip has no rest-root module, so `GET /` is 405; the node info has the version.
        const info = await httpGet(`${plan.url}/_nodes/_local?filter_path=nodes.*.version,nodes.*.build_hash`, auth, ca);
        const nodes = Object.values(JSON.parse(info.body).nodes ?? {}) as Array<{ version: string }>;
        if (!nodes[0]?.version) {
          throw new Error(`unexpected node info: ${info.body}`);
        }
        return { version: nodes[0].version, banner: info.body };
      } catch (err) {
        lastError = (err as Error).message;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    throw new Error(
      `${productName(product)} ${plan.name} at ${plan.url} did not become ready within ${startTimeoutMs} ms: ${lastError}\n` +
        `--- its last output ---\n${plan.tail.join('\n')}`
    );
  };

  try {
    for (let i = 0; i < nodeCount; i++) {
      const dir = ownedTempDir(`dfi-${product === 'opensearch' ? 'os' : 'es'}-`);
      chmodSync(dir.path, 0o755);
      const httpPort = i === 0 && options.port ? options.port : await freePort();
      plans.push({
        name: `node-${i + 1}`,
        dir,
        dataDir: i === 0 && options.dataDir ? options.dataDir : join(dir.path, 'data'),
        httpPort,
        transportPort: await freePort(),
        url: `${scheme}://127.0.0.1:${httpPort}`,
        tail: [],
      });
    }
    plans.forEach((plan) => launch(plan, true));
    const [first] = await Promise.all(plans.map(waitForNode));

    const nodeAt = (index: number): NodePlan => {
      const plan = plans[index];
      if (!plan) {
        throw new Error(`no node ${index}: the cluster has ${plans.length}`);
      }
      return plan;
    };
    const nodes: EngineNode[] = plans.map((plan) => ({ name: plan.name, url: plan.url, running: true }));
    return {
      product,
      url: plans[0].url,
      urls: plans.map((plan) => plan.url),
      nodes,
      secure,
      username: secure ? 'elastic' : undefined,
      password: secure ? password : undefined,
      caFile,
      version: first.version,
      banner: first.banner,
      home: plans[0].dir.path,
      stop,
      async kill(index) {
        const plan = nodeAt(index);
        const running = plan.process;
        if (running?.child.pid) {
          // SIGKILL to the node's process group: the launcher and the server JVM die at once, as in a crash.
          process.kill(-running.child.pid, 'SIGKILL');
          await running.stop();
        }
        nodes[index].running = false;
      },
      async restart(index) {
        const plan = nodeAt(index);
        await plan.process?.stop();
        plan.tail = [];
        launch(plan, false);
        await waitForNode(plan);
        nodes[index].running = true;
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** One Elasticsearch node of the default version (what the stack, the benchmarks and most suites use). */
export function startElasticsearch(options: StartOptions = {}): Promise<RunningElasticsearch> {
  return startEngine(options);
}

/** Runs one of the distribution's tools to completion, as the runner user when there is one. */
function runAs(owner: RunnerUser | undefined, cmd: string, args: string[], opts: { env: NodeJS.ProcessEnv; input?: string }): string {
  return owner
    ? run('setpriv', ['--reuid', String(owner.uid), '--regid', String(owner.gid), '--clear-groups', '--', cmd, ...args], opts)
    : run(cmd, args, opts);
}
