/**
 * `npm run stack` as a user runs it, in its own process group like a terminal's foreground job: every panel of the
 * shipped dashboard answers with data and the columns it promises, the doctor and curl commands it prints work, and
 * Ctrl-C — or SIGTERM to npm alone — stops every process it started and removes its temporary data, so a second stack
 * starts on the same ports.
 */
import { execFile } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { FRAME_COLUMNS, FrameJSON, LIMIT_HISTORY_FIELDS, migrateQuery, InsightsQuery, QueryResponse } from '@shared/query';
import { PROXY_TOKEN_HEADER } from '@shared/headers';
import dashboard from '../../src/dashboards/user-activity.json';
import { BUSY_USER_LIMIT } from '../../scripts/demo-limits';
import { freePort } from '../elasticsearch/es-runner';
import { OwnedDir, OwnedProcess, ownedTempDir, spawnOwned } from '../support/lifecycle';
import { commandLine, processTree, running, until } from '../support/processes';

const REPO_ROOT = resolve(__dirname, '../..');
const BACKLOG = 400;
/** Generous: Elasticsearch starts on a shared 2-core machine. */
const START_TIMEOUT_MS = 240_000;
const STOP_TIMEOUT_MS = 60_000;
/** Caches that tsx and node keep in TMPDIR across runs; not the stack's data. */
const SHARED_CACHES = /^(tsx-\d+|node-compile-cache)$/;

interface StartedStack {
  npm: OwnedProcess;
  output: () => string;
  proxyUrl: string;
  proxyToken: string;
  doctorCommand: string;
  curlCommand: string;
  provisioningFiles: string[];
  /** Every process of the stack's tree while it runs: npm, its shell, the stack, Elasticsearch's JVMs, the proxy. */
  tree: number[];
}

describe('npm run stack', () => {
  let tmp: OwnedDir;
  let ports: string[];
  let first: StartedStack | undefined;
  let second: StartedStack | undefined;

  /** Started detached (a process group of its own, as a shell starts a foreground job), with its own TMPDIR. */
  async function startStack(backlog: number): Promise<StartedStack> {
    const npm = spawnOwned('npm', ['run', 'stack', '--', ...ports, '--backlog', String(backlog), '--rate', '2', '--users', '40', '--limit-sample-seconds', '5'], {
      cwd: REPO_ROOT,
      env: { ...process.env, TMPDIR: tmp.path },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
    npm.child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    await until('the stack printed its next steps', START_TIMEOUT_MS, () => {
      if (npm.child.exitCode !== null) {
        throw new Error(`npm run stack exited with ${npm.child.exitCode}:\n${output}`);
      }
      return output.includes('Ctrl-C stops everything') || undefined;
    });
    const line = (pattern: RegExp) => {
      const match = pattern.exec(output);
      if (!match) {
        throw new Error(`no line matching ${pattern} in:\n${output}`);
      }
      return match[1];
    };
    return {
      npm,
      output: () => output,
      proxyUrl: line(/proxy (http:\/\/\S+)/),
      proxyToken: line(/proxy token (\S+)/),
      doctorCommand: line(/^\s*(INSIGHTS_CONFIG=\S+ npm run proxy:doctor)$/m),
      curlCommand: line(/^\s*(curl .*)$/m),
      provisioningFiles: [...output.matchAll(/^\s*(\/\S+\.yaml)$/gm)].map((m) => m[1]),
      tree: processTree(npm.child.pid!),
    };
  }

  async function expectStoppedAndClean(stack: StartedStack): Promise<void> {
    await until('npm run stack exited', STOP_TIMEOUT_MS, () => (stack.npm.child.exitCode ?? stack.npm.child.signalCode ?? undefined) !== undefined || undefined);
    await until("every process of the stack's tree ended", STOP_TIMEOUT_MS, () => running(stack.tree).length === 0 || undefined).catch((err) => {
      throw new Error(`${err.message}; still running: ${running(stack.tree).map(commandLine).join(' | ')}`);
    });
    expect(readdirSync(tmp.path).filter((name) => !SHARED_CACHES.test(name))).toEqual([]);
  }

  async function query(stack: StartedStack, queries: InsightsQuery[]): Promise<QueryResponse> {
    const to = new Date(Date.now() + 60000);
    const from = new Date(to.getTime() - 25 * 3600 * 1000);
    const response = await fetch(`${stack.proxyUrl}/api/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [PROXY_TOKEN_HEADER]: stack.proxyToken },
      body: JSON.stringify({ range: { from: from.toISOString(), to: to.toISOString() }, queries, intervalMs: 60000, maxDataPoints: 500 }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as QueryResponse;
  }

  /** The demo limit's trips in the range, by name (the limit history's "trips per limit"). */
  async function demoTrips(stack: StartedStack): Promise<number> {
    const counts = await query(stack, [
      migrateQuery({ refId: 'L', queryType: 'limitTrips', format: 'counts', groupBy: 'limit' }),
    ]);
    const frame = counts.results.L.frames[0];
    const names = frame?.fields.find((f) => f.name === LIMIT_HISTORY_FIELDS.limit)?.values ?? [];
    const trips = frame?.fields.find((f) => f.name === LIMIT_HISTORY_FIELDS.trips)?.values ?? [];
    return Number(trips[names.indexOf(BUSY_USER_LIMIT.name)] ?? 0);
  }

  beforeAll(async () => {
    tmp = ownedTempDir('dfi-stack-test-');
    // Elasticsearch runs as its own user and must reach its dir inside.
    chmodSync(tmp.path, 0o755);
    ports = ['--proxy-port', String(await freePort()), '--df-port', String(await freePort()), '--gelf-udp-port', String(await freePort())];
    first = await startStack(BACKLOG);
    // The history is sent over UDP; wait until it is searchable.
    await until('the backlog was indexed', 120_000, async () => {
      const total = await query(first!, [migrateQuery({ refId: 'T', queryType: 'activity', groupBy: [] })]);
      const calls = total.results.T.frames[0]?.fields.find((f) => f.name === FRAME_COLUMNS.calls)?.values[0];
      return Number(calls) >= BACKLOG || undefined;
    });
    // The busy demo user's 101st call of the hour comes about 100 s after the start; the Limits row's trip panels
    // have data from then on.
    await until('the demo limit tripped', 180_000, async () => (await demoTrips(first!)) > 0 || undefined);
  }, START_TIMEOUT_MS + 300_000);

  afterAll(async () => {
    // Only reached with something left when a test failed: no process or dir may outlive the suite either way.
    await Promise.all([first?.npm.stop(), second?.npm.stop()]);
    for (const pid of running([...(first?.tree ?? []), ...(second?.tree ?? [])])) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // ended meanwhile
      }
    }
    await tmp.remove();
  }, STOP_TIMEOUT_MS);

  it("trips the demo limit within minutes, once, and the dashboard's Limits row and the Limits page's queries show it", async () => {
    expect(await demoTrips(first!)).toBe(1);
    const limitsRow = dashboard.panels.filter((p) => p.gridPos.y > dashboard.panels.find((row) => row.title === 'Limits')!.gridPos.y);
    const target = (title: string) => asSent((limitsRow.find((p) => p.title === title) as { targets: Array<Record<string, unknown>> }).targets[0]);
    const seriesOf = (frame: FrameJSON) => frame.fields.find((f) => f.labels?.[LIMIT_HISTORY_FIELDS.limit] === BUSY_USER_LIMIT.name);
    const column = (frame: FrameJSON, name: string) => frame.fields.find((f) => f.name === name)?.values ?? [];

    const [usage, trips, nearest] = await Promise.all(
      ['Limit usage over time', 'Limit trips', 'Nearest to tripping'].map(async (title) => {
        const panelQuery = target(title);
        return (await query(first!, [panelQuery])).results[panelQuery.refId].frames[0];
      })
    );
    // Usage over time reaches 100 % for the demo limit; the trips series counts its one trip.
    expect(Math.max(...(seriesOf(usage)!.values as Array<number | null>).map((v) => v ?? 0))).toBe(1);
    expect((seriesOf(trips)!.values as number[]).reduce((sum, v) => sum + (v ?? 0), 0)).toBe(1);
    // Nearest to tripping lists the busy user's counter at its maximum.
    const row = column(nearest, LIMIT_HISTORY_FIELDS.limit).indexOf(BUSY_USER_LIMIT.name);
    expect([row >= 0, column(nearest, LIMIT_HISTORY_FIELDS.usage)[row]]).toEqual([true, 1]);

    // The Limits page: per limit, the forecast (usage now) and the 24 h usage series.
    const page = await query(first!, [
      migrateQuery({ refId: 'F', queryType: 'limitForecast', view: 'limits', minUsage: 0 }),
      migrateQuery({ refId: 'U', queryType: 'limitUsage', splitBy: 'limit', size: 100 }),
    ]);
    const forecast = page.results.F.frames[0];
    const forecastRow = column(forecast, LIMIT_HISTORY_FIELDS.limit).indexOf(BUSY_USER_LIMIT.name);
    expect(column(forecast, LIMIT_HISTORY_FIELDS.usage)[forecastRow]).toBe(1);
    expect(Math.max(...(seriesOf(page.results.U.frames[0])!.values as Array<number | null>).map((v) => v ?? 0))).toBe(1);
  });

  const panels = dashboard.panels.filter((p) => Array.isArray((p as { targets?: unknown[] }).targets));

  /** What the datasource sends for a panel target with every dashboard variable at "All": those filters fall away. */
  function asSent(target: Record<string, unknown>): InsightsQuery {
    const filters = Object.fromEntries(
      Object.entries((target.filters as Record<string, unknown>) ?? {})
        .map(([key, value]) => [key, Array.isArray(value) ? value.filter((v) => !String(v).startsWith('$')) : value])
        .filter(([, value]) => !Array.isArray(value) || value.length > 0)
    );
    const { datasource: _datasource, ...query } = target;
    return migrateQuery({ ...query, filters } as Parameters<typeof migrateQuery>[0]);
  }

  it.each(panels.map((p) => [p.title, p] as const))('panel "%s" returns data', async (_title, panel) => {
    const targets = (panel as { targets: Array<Record<string, unknown>> }).targets.map(asSent);
    const response = await query(first!, targets);
    for (const target of targets) {
      const result = response.results[target.refId];
      expect(result.error).toBeUndefined();
      expect(result.frames.length).toBeGreaterThan(0);
      const rows = Math.max(...result.frames.map((f) => f.fields[0]?.values.length ?? 0));
      expect(rows).toBeGreaterThan(0);
    }
  });

  it.each([
    ['Total API calls by user', ['User', 'Calls']],
    ['APIs accessed by each user', ['User', 'Method', 'Endpoint', 'Calls']],
    ['User access to specific services', ['User', 'Service', 'Method', 'Calls']],
  ])('seed panel "%s" has the seed columns', async (title, columns) => {
    const panel = panels.find((p) => p.title === title) as { targets: Array<Record<string, unknown>> } | undefined;
    expect(panel).toBeDefined();
    const [target] = panel!.targets.map(asSent);
    const response = await query(first!, [target]);
    const names = response.results[target.refId].frames[0].fields.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(columns));
  });

  it('the doctor command it prints reaches the running proxy from another terminal', async () => {
    const { stdout } = await promisify(execFile)('sh', ['-c', first!.doctorCommand], { cwd: REPO_ROOT });
    expect(stdout).toMatch(/gelf_udp/);
  }, 120_000);

  it('the provisioning files it prints point a Grafana at this proxy', () => {
    expect(first!.provisioningFiles.length).toBeGreaterThan(0);
    const contents = first!.provisioningFiles.map((file) => readFileSync(file, 'utf8'));
    expect(contents.some((text) => text.includes(first!.proxyUrl))).toBe(true);
  });

  it('the first query it prints answers with API calls per user', async () => {
    const { stdout } = await promisify(execFile)('sh', ['-c', first!.curlCommand]);
    const fields = (JSON.parse(stdout) as QueryResponse).results.A.frames[0].fields;
    expect(fields.map((f) => f.name)).toEqual(expect.arrayContaining([FRAME_COLUMNS.user, FRAME_COLUMNS.calls]));
    expect(fields.find((f) => f.name === FRAME_COLUMNS.user)!.values.length).toBeGreaterThan(0);
  });

  it('Ctrl-C (SIGINT to its process group) stops every process it started and removes its temporary data', async () => {
    const commands = first!.tree.map(commandLine);
    expect(commands.some((c) => c.includes('org.elasticsearch.launcher.CliToolLauncher'))).toBe(true);
    expect(commands.some((c) => c.includes('proxy/src/main.ts serve'))).toBe(true);
    process.kill(-first!.npm.child.pid!, 'SIGINT');
    await expectStoppedAndClean(first!);
  }, STOP_TIMEOUT_MS * 2);

  it('a second stack starts on the same ports, and SIGTERM to npm alone stops it the same way', async () => {
    second = await startStack(0);
    process.kill(second.npm.child.pid!, 'SIGTERM');
    await expectStoppedAndClean(second);
  }, START_TIMEOUT_MS + STOP_TIMEOUT_MS * 2);
});
