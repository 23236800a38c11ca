/**
 * `npm run stack`: the product without Docker, on this machine's loopback. A real Elasticsearch node, the DreamFactory
 * simulator (API + demo log traffic in DreamFactory's GELF wire format) and the proxy started exactly as users run it
 * (`proxy serve`, which applies the Elasticsearch setup first). Prints what to point a Grafana at.
 *
 * Options: --proxy-port 3100  --df-port 8080  --users 250  --rate 20 (events/s of live traffic)  --backlog 3000
 *          (events spread over the last 24 h, sent at start so the dashboard has a day of history)
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, RunningElasticsearch, startElasticsearch } from '../tests/elasticsearch/es-runner';
import { Simulator, startSimulator } from '../tests/dreamfactory-sim/server';
import { GeneratorUser, generateEvents, sendEvent } from '../tests/dreamfactory-sim/sender';

const REPO_ROOT = resolve(__dirname, '..');

export interface StackOptions {
  proxyPort?: number;
  dfPort?: number;
  gelfUdpPort?: number;
  users?: number;
  /** Live traffic rate (events/s); 0 = none. */
  rate?: number;
  /** Events spread over the last 24 h, sent at start. */
  backlog?: number;
  log?: (line: string) => void;
}

export interface RunningStack {
  proxyUrl: string;
  proxyToken: string;
  es: RunningElasticsearch;
  simulator: Simulator;
  gelfUdpPort: number;
  /** Resolves when the backlog has been sent (live traffic keeps going until stop). */
  backlogSent: Promise<number>;
  stop(): Promise<void>;
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the proxy exited with code ${child.exitCode}`);
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

export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const fn of stops.reverse()) {
      await fn().catch(() => undefined);
    }
  };
  try {
    log('starting Elasticsearch and the DreamFactory simulator …');
    const [es, simulator] = await Promise.all([
      startElasticsearch(),
      startSimulator({ port: options.dfPort ?? 0, users: options.users ?? 250, admins: 3, seed: 1 }),
    ]);
    stops.push(() => es.stop(), () => simulator.close());
    log(`Elasticsearch ${es.version} at ${es.url}; DreamFactory simulator at ${simulator.url}`);

    const proxyPort = options.proxyPort ?? (await freePort());
    const gelfUdpPort = options.gelfUdpPort ?? (await freePort());
    const [jsonUdp, jsonTcp, jsonHttp, gelfTcp] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const proxyToken = randomBytes(24).toString('hex');
    const queueDir = mkdtempSync(join(tmpdir(), 'dfi-stack-queue-'));
    stops.push(async () => rmSync(queueDir, { recursive: true, force: true }));
    // One process (not tsx's CLI wrapper), so signals reach the proxy itself.
    const proxy = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'proxy/src/main.ts'), 'serve'], {
    cwd: REPO_ROOT,
      env: {
        ...process.env,
        PROXY_HOST: '127.0.0.1',
        PROXY_PORT: String(proxyPort),
        PROXY_TOKEN: proxyToken,
        ES_URL: es.url,
        DF_URL: simulator.url,
        DF_API_KEY: simulator.apiKey,
        GELF_UDP_PORT: String(gelfUdpPort),
        GELF_TCP_PORT: String(gelfTcp),
        JSON_UDP_PORT: String(jsonUdp),
        JSON_TCP_PORT: String(jsonTcp),
        JSON_HTTP_PORT: String(jsonHttp),
        QUEUE_DIR: queueDir,
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    stops.push(
      () =>
        new Promise<void>((r) => {
          if (proxy.exitCode !== null) {
            return r();
          }
          proxy.once('exit', () => r());
          proxy.kill('SIGTERM');
        })
    );
    const proxyUrl = `http://127.0.0.1:${proxyPort}`;
    await waitForHealth(proxyUrl, proxy, 120000);
    log(`proxy at ${proxyUrl} (GELF UDP on 127.0.0.1:${gelfUdpPort})`);

    const users = demoUsers(simulator);
    let live: NodeJS.Timeout | undefined;
    stops.push(async () => live && clearInterval(live));
    const backlogSent = (async () => {
      const backlog = options.backlog ?? 3000;
      const dayAgo = Date.now() / 1000 - 86400;
      const events = await generateEvents({ count: backlog, users, jwtSecret: simulator.jwtSecret, seed: 11, startSeconds: dayAgo, stepMs: (86400 * 1000) / Math.max(backlog, 1) });
      for (const event of events) {
        await sendEvent('gelf-udp', '127.0.0.1', gelfUdpPort, event);
        // UDP has no back-pressure: pace the backlog so the kernel buffer never overflows.
        await new Promise((r) => setImmediate(r));
      }
      const rate = options.rate ?? 20;
      if (rate > 0) {
        let seed = 1000;
        live = setInterval(() => {
          void generateEvents({ count: 1, users, jwtSecret: simulator.jwtSecret, seed: seed++ }).then(([event]) =>
            sendEvent('gelf-udp', '127.0.0.1', gelfUdpPort, event).catch(() => undefined)
          );
        }, 1000 / rate);
      }
      return events.length;
    })();
    return { proxyUrl, proxyToken, es, simulator, gelfUdpPort, backlogSent, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'proxy-port': { type: 'string', default: '3100' },
      'df-port': { type: 'string', default: '8080' },
      'gelf-udp-port': { type: 'string', default: '12201' },
      users: { type: 'string', default: '250' },
      rate: { type: 'string', default: '20' },
      backlog: { type: 'string', default: '3000' },
    },
  });
  const stack = await startStack({
    proxyPort: Number(values['proxy-port']),
    dfPort: Number(values['df-port']),
    gelfUdpPort: Number(values['gelf-udp-port']),
    users: Number(values.users),
    rate: Number(values.rate),
    backlog: Number(values.backlog),
  });
  const sent = await stack.backlogSent;
  process.stdout.write(
    [
      '',
      `DreamFactory Insights is running (${sent} events of history sent; live traffic continues).`,
      '',
      'Point a Grafana (>= 12.3) at it:',
      '  1. Install the plugin: npm run build, then copy or mount dist/ as <plugins>/dreamfactory-insights-app',
      '     and allow it unsigned: GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS=dreamfactory-insights-app,dreamfactory-insights-datasource',
      `  2. Provision it: INSIGHTS_PROXY_URL=${stack.proxyUrl} PROXY_TOKEN=${stack.proxyToken} with provisioning/ mounted`,
      `     (or add a "DreamFactory Insights" datasource: URL ${stack.proxyUrl}, proxy token ${stack.proxyToken})`,
      '  3. Enable the app: Administration → Plugins → DreamFactory Insights; the user-activity dashboard is imported.',
      '',
      `Proxy status: curl -H 'X-Insights-Token: ${stack.proxyToken}' ${stack.proxyUrl}/api/status`,
      `DreamFactory simulator: ${stack.simulator.url} (API key ${stack.simulator.apiKey})`,
      'Ctrl-C stops everything and removes the temporary data.',
      '',
    ].join('\n')
  );
  const shutdown = () => void stack.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${(err as Error).stack ?? err}\n`);
    process.exit(1);
  });
}
