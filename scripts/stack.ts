/**
 * `npm run stack`: the product without Docker, on this machine's loopback. A real Elasticsearch node, the DreamFactory
 * simulator (API + demo log traffic in DreamFactory's GELF wire format) and the proxy started exactly as users run it
 * (`proxy serve` with a config file, which applies the Elasticsearch setup first). Prints what to point a Grafana at,
 * the doctor command and a first query.
 *
 * Everything it starts and writes (Elasticsearch and its data, the proxy, its queue, config and provisioning files) is
 * owned by this process (tests/support/lifecycle.ts): Ctrl-C, SIGTERM — also to npm alone — or a crash stop it all and
 * remove the temporary data.
 *
 * Options: --proxy-port 3100  --df-port 8080  --gelf-udp-port 12201  --users 250  --rate 20 (events/s of live traffic)
 *          --backlog 3000 (events spread over the last 24 h, sent at start so the dashboard has a day of history)
 * Besides, one busy demo user calls once a second under a limit of 100 an hour (scripts/demo-limits.ts), so the
 * limit history shows a projection and then a trip within minutes (--limit-sample-seconds 30: how often the proxy
 * samples DreamFactory's limit counters).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { PROXY_TOKEN_HEADER } from '@shared/headers';
import { ConfigInput, ENV_VARS } from '../proxy/src/config';
import { freePort, RunningElasticsearch, startElasticsearch } from '../tests/elasticsearch/es-runner';
import { Simulator, startSimulator } from '../tests/dreamfactory-sim/server';
import type { DfLogEvent } from '../tests/dreamfactory-sim/log-formats';
import { GeneratorUser, generateEvents, sendEvent } from '../tests/dreamfactory-sim/sender';
import { OwnedProcess, ownedTempDir, spawnOwned, stopWhenOrphaned } from '../tests/support/lifecycle';
import { preflight, PreflightError } from './preflight';
import { BUSY_USER_LIMIT, startDemoLimits } from './demo-limits';

const REPO_ROOT = resolve(__dirname, '..');
const PROXY_MAIN = join(REPO_ROOT, 'proxy/src/main.ts');
const LOOPBACK = '127.0.0.1';
/** The simulator's users' password for this run; the proxy logs in with it as the first admin. */
const DEMO_PASSWORD = randomBytes(12).toString('hex');

export interface StackOptions {
  proxyPort?: number;
  dfPort?: number;
  gelfUdpPort?: number;
  users?: number;
  /** Live traffic rate (events/s); 0 = none. */
  rate?: number;
  /** Events spread over the last 24 h, sent at start. */
  backlog?: number;
  /** How often the proxy samples DreamFactory's limit counters (LIMIT_SAMPLE_SECONDS); the proxy's default without it. */
  limitSampleSeconds?: number;
  log?: (line: string) => void;
}

export interface RunningStack {
  proxyUrl: string;
  proxyToken: string;
  /** The proxy's config file (`INSIGHTS_CONFIG`): the CLI's other commands (doctor, setup) read the same settings. */
  configFile: string;
  /** Grafana provisioning files for this stack, written by `proxy setup --write-provisioning`. */
  provisioningDir: string;
  provisioningFiles: string[];
  es: RunningElasticsearch;
  simulator: Simulator;
  gelfUdpPort: number;
  /** Resolves when the backlog has been sent (live traffic keeps going until stop). */
  backlogSent: Promise<number>;
  stop(): Promise<void>;
}

async function waitForHealth(url: string, proxy: OwnedProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proxy.child.exitCode !== null || proxy.child.signalCode !== null) {
      throw new Error(`the proxy exited (${proxy.child.exitCode ?? proxy.child.signalCode})`);
    }
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the proxy did not answer ${url}/health within ${timeoutMs} ms`);
}

function demoUsers(simulator: Simulator): GeneratorUser[] {
  const admins = new Set(simulator.store.adminUsers().map((u) => u.id));
  return simulator.store.users.map((u) => ({ id: u.id, email: u.email, name: u.name ?? u.username, is_sys_admin: admins.has(u.id) }));
}

/** The environment for the proxy's CLI: its settings come from the config file only, not from this shell. */
function proxyEnv(configFile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, INSIGHTS_CONFIG: configFile };
  for (const name of Object.keys(ENV_VARS)) {
    delete env[name];
  }
  return env;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const fn of stops.splice(0).reverse()) {
      await fn().catch(() => undefined);
    }
  };
  try {
    log('starting Elasticsearch and the DreamFactory simulator …');
    // Both are awaited before either can fail the start, so a half-started pair is still stopped.
    const [esStart, simulatorStart] = await Promise.allSettled([
      startElasticsearch(),
      startSimulator({ port: options.dfPort ?? 0, users: options.users ?? 250, admins: 3, seed: 1, password: DEMO_PASSWORD }),
    ]);
    if (esStart.status === 'fulfilled') {
      stops.push(() => esStart.value.stop());
    }
    if (simulatorStart.status === 'fulfilled') {
      stops.push(() => simulatorStart.value.close());
    }
    if (esStart.status === 'rejected' || simulatorStart.status === 'rejected') {
      throw esStart.status === 'rejected' ? esStart.reason : (simulatorStart as PromiseRejectedResult).reason;
    }
    const es = esStart.value;
    const simulator = simulatorStart.value;
    log(`Elasticsearch ${es.version} at ${es.url}; DreamFactory simulator at ${simulator.url}`);

    const dir = ownedTempDir('dfi-stack-');
    stops.push(() => dir.remove());
    const proxyPort = options.proxyPort ?? (await freePort());
    const gelfUdpPort = options.gelfUdpPort ?? (await freePort());
    const [jsonUdp, jsonTcp, jsonHttp, gelfTcp] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const proxyToken = randomBytes(24).toString('hex');
    const listener = (port: number) => ({ host: LOOPBACK, port });
    const config: ConfigInput = {
      logLevel: (process.env.LOG_LEVEL as ConfigInput['logLevel']) ?? 'warn',
      server: listener(proxyPort),
      apiToken: proxyToken,
      elasticsearch: { urls: [es.url] },
      // An admin session, as README recommends: the demo's busy users trip instance limits the proxy must still manage.
      dreamfactory: {
        url: simulator.url,
        apiKey: simulator.apiKey,
        adminEmail: simulator.store.adminUsers()[0].email,
        adminPassword: DEMO_PASSWORD,
      },
      ingest: {
        gelfUdp: listener(gelfUdpPort),
        gelfTcp: listener(gelfTcp),
        jsonUdp: listener(jsonUdp),
        jsonTcp: listener(jsonTcp),
        jsonHttp: listener(jsonHttp),
      },
      queue: { dir: join(dir.path, 'queue') },
      limitHistory: { sampleSeconds: options.limitSampleSeconds },
    };
    const configFile = join(dir.path, 'proxy.json');
    // It holds the proxy token and DreamFactory's API key: readable by this user only.
    writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });

    // node itself, not tsx's CLI (which would put a second process in between), so SIGTERM reaches the proxy.
    const proxy = spawnOwned(process.execPath, ['--import', 'tsx', PROXY_MAIN, 'serve'], {
      cwd: REPO_ROOT,
      env: proxyEnv(configFile),
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    stops.push(() => proxy.stop());
    const proxyUrl = `http://${LOOPBACK}:${proxyPort}`;
    await waitForHealth(proxyUrl, proxy, 120000);
    log(`proxy at ${proxyUrl} (GELF UDP on ${LOOPBACK}:${gelfUdpPort})`);

    const provisioningDir = join(dir.path, 'provisioning');
    mkdirSync(provisioningDir);
    await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', PROXY_MAIN, 'setup', '--write-provisioning', provisioningDir, '--proxy-url', proxyUrl],
      { cwd: REPO_ROOT, env: proxyEnv(configFile) }
    );

    const users = demoUsers(simulator);
    // Demo calls count against the simulator's limits too; one busy user trips a limit within minutes.
    const busyUser = users.find((u) => !u.is_sys_admin && simulator.store.users.find((s) => s.id === u.id)?.is_active)!;
    const limits = await startDemoLimits(simulator, busyUser);
    log(`demo limit "${BUSY_USER_LIMIT.name}": ${BUSY_USER_LIMIT.rate} calls an ${BUSY_USER_LIMIT.period} for ${busyUser.email}, who calls once a second`);
    let live: NodeJS.Timeout | undefined;
    let busy: NodeJS.Timeout | undefined;
    stops.push(async () => {
      clearInterval(live);
      clearInterval(busy);
      await limits.stop();
    });
    const sendLive = (event: DfLogEvent) => {
      limits.count(event);
      return sendEvent('gelf-udp', LOOPBACK, gelfUdpPort, event).catch(() => undefined);
    };
    const backlogSent = (async () => {
      const backlog = options.backlog ?? 3000;
      const dayAgo = Date.now() / 1000 - 86400;
      const events = await generateEvents({ count: backlog, users, jwtSecret: simulator.jwtSecret, seed: 11, startSeconds: dayAgo, stepMs: (86400 * 1000) / Math.max(backlog, 1) });
      for (const event of events) {
        await sendEvent('gelf-udp', LOOPBACK, gelfUdpPort, event);
        // UDP has no back-pressure: pace the backlog so the kernel buffer never overflows.
        await new Promise((r) => setImmediate(r));
      }
      const rate = options.rate ?? 20;
      let seed = 1000;
      if (rate > 0) {
        live = setInterval(() => {
          void generateEvents({ count: 1, users, jwtSecret: simulator.jwtSecret, seed: seed++ }).then(([event]) => sendLive(event));
        }, 1000 / rate);
      }
      // The busy user calls whatever the rate, so the demo limit always trips.
      busy = setInterval(() => {
        void generateEvents({ count: 1, users: [busyUser], jwtSecret: simulator.jwtSecret, seed: seed++, apiKeyOnlyShare: 0 }).then(([event]) =>
          sendLive(event)
        );
      }, 1000);
      return events.length;
    })();
    return {
      proxyUrl,
      proxyToken,
      configFile,
      provisioningDir,
      provisioningFiles: filesUnder(provisioningDir),
      es,
      simulator,
      gelfUdpPort,
      backlogSent,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The first query to try: API calls per user over the stack's day of history and the week ahead. */
function firstQuery(stack: RunningStack): string {
  const now = Date.now();
  const body = {
    range: { from: new Date(now - 86400_000).toISOString(), to: new Date(now + 7 * 86400_000).toISOString() },
    queries: [{ refId: 'A', queryType: 'activity' }],
  };
  return `curl -s -H '${PROXY_TOKEN_HEADER}: ${stack.proxyToken}' -H 'content-type: application/json' -d '${JSON.stringify(body)}' ${stack.proxyUrl}/api/query`;
}

function nextSteps(stack: RunningStack, sent: number): string {
  return [
    '',
    `DreamFactory Insights is running (${sent} events of history sent; live traffic continues).`,
    `  proxy ${stack.proxyUrl}   proxy token ${stack.proxyToken}`,
    `  DreamFactory simulator ${stack.simulator.url} (API key ${stack.simulator.apiKey})`,
    '',
    'See the dashboard in your Grafana (>= 12.3):',
    '  1. npm run build, then mount or copy dist/ as <grafana plugins dir>/dreamfactory-insights-app and start Grafana with',
    '     GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS=dreamfactory-insights-app,dreamfactory-insights-datasource',
    `     and PROXY_TOKEN=${stack.proxyToken}`,
    `  2. Copy these provisioning files for this stack (written by "proxy setup --write-provisioning") into Grafana's`,
    '     provisioning dir, keeping their sub-folders:',
    ...stack.provisioningFiles.map((file) => `       ${file}`),
    '  3. Apps → DreamFactory Insights → the "DreamFactory user activity" dashboard.',
    `  Limits: "${BUSY_USER_LIMIT.name}" trips about two minutes after the start (Limits row; app → Limits → Near their limits).`,
    '  Or, with Docker, the whole product with Grafana instead of this stack (stop it first; README, Run with Docker):',
    '     npm run build && PROXY_TOKEN=$(openssl rand -hex 24) docker compose up   # then http://localhost:3000',
    '',
    'Check the pipeline end to end, in another terminal:',
    `  INSIGHTS_CONFIG=${stack.configFile} npm run proxy:doctor`,
    'First query (API calls per user):',
    `  ${firstQuery(stack)}`,
    '',
    'Ctrl-C stops everything and removes the temporary data.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  stopWhenOrphaned();
  const { values } = parseArgs({
    options: {
      'proxy-port': { type: 'string', default: '3100' },
      'df-port': { type: 'string', default: '8080' },
      'gelf-udp-port': { type: 'string', default: '12201' },
      users: { type: 'string', default: '250' },
      rate: { type: 'string', default: '20' },
      backlog: { type: 'string', default: '3000' },
      'limit-sample-seconds': { type: 'string', default: '30' },
    },
  });
  preflight('stack');
  const stack = await startStack({
    proxyPort: Number(values['proxy-port']),
    dfPort: Number(values['df-port']),
    gelfUdpPort: Number(values['gelf-udp-port']),
    users: Number(values.users),
    rate: Number(values.rate),
    backlog: Number(values.backlog),
    limitSampleSeconds: Number(values['limit-sample-seconds']),
  });
  process.stdout.write(nextSteps(stack, await stack.backlogSent));
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof PreflightError ? `preflight: ${err.message}` : ((err as Error).stack ?? err)}\n`);
    process.exit(1);
  });
}
