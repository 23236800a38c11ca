/**
 * Demo traffic: DreamFactory log messages in one of its wire formats, to a receiver (the proxy).
 *   npx tsx tests/dreamfactory-sim/send.ts --format gelf-udp --port 12201 --count 100 --rate 50
 * Options: --format gelf-udp|json-udp|json-tcp|json-http  --host 127.0.0.1  --port <n>  --count 100  --rate 50 (per s)
 *          --seed 1  --jwt-secret <secret>  --sequence  --table-twins
 *          --simulator <url> --api-key <key>: take the users from a DreamFactory (simulator) API, so the traffic's user ids
 *          resolve to real people in the dashboards (the docker-compose demo does this)
 */
import { parseArgs } from 'node:util';
import { GeneratorUser, generateEvents, sendEvent, WireFormat } from './sender';

const FORMATS: WireFormat[] = ['gelf-udp', 'json-udp', 'json-tcp', 'json-http'];
const DEFAULT_PORTS: Record<WireFormat, number> = { 'gelf-udp': 12201, 'json-udp': 12202, 'json-tcp': 12203, 'json-http': 12204 };
const MAX_COUNT = 10_000_000;
const BATCH = 1000;

const DEMO_USERS = [
  { id: 1, email: 'admin@example.com', name: 'Ada Admin', is_sys_admin: true },
  { id: 3, email: 'jane@example.com', name: 'Jane Doe' },
  { id: 4, email: 'raj@example.com', name: 'Raj Patel' },
  { id: 5, email: 'li@example.com', name: 'Li Wei' },
];

type DfUser = { id: number; email: string; name?: string | null; username?: string };

/** Every record of a DreamFactory list, page after page, each starting where the last one ended. */
async function allPages(url: string, apiKey: string, path: string): Promise<DfUser[]> {
  const records: DfUser[] = [];
  for (;;) {
    const page = new URL(`${url.replace(/\/+$/, '')}/api/v2/${path}`);
    page.searchParams.set('fields', 'id,email,name,username');
    page.searchParams.set('offset', String(records.length));
    const response = await fetch(page, { headers: { 'x-dreamfactory-api-key': apiKey } });
    if (!response.ok) {
      throw new Error(`${path} answered HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`);
    }
    const { resource } = (await response.json()) as { resource: DfUser[] };
    if (resource.length === 0) {
      return records;
    }
    records.push(...resource);
  }
}

/** Every user and admin of a DreamFactory (simulator), so the traffic's user ids resolve to real people. */
async function usersFrom(url: string, apiKey: string): Promise<GeneratorUser[]> {
  const [users, admins] = await Promise.all([allPages(url, apiKey, 'system/user'), allPages(url, apiKey, 'system/admin')]);
  const asGenerator = (u: DfUser, isAdmin: boolean) => ({ id: u.id, email: u.email, name: u.name ?? u.username ?? u.email, is_sys_admin: isAdmin });
  return [...users.map((u) => asGenerator(u, false)), ...admins.map((u) => asGenerator(u, true))];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      format: { type: 'string', default: 'gelf-udp' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string' },
      count: { type: 'string', default: '100' },
      rate: { type: 'string', default: '50' },
      seed: { type: 'string', default: '1' },
      'jwt-secret': { type: 'string', default: 'insights-simulator-jwt-secret' },
      sequence: { type: 'boolean', default: false },
      'table-twins': { type: 'boolean', default: false },
      simulator: { type: 'string' },
      'api-key': { type: 'string' },
    },
  });
  const format = values.format as WireFormat;
  if (!FORMATS.includes(format)) {
    throw new Error(`--format must be one of ${FORMATS.join(', ')}`);
  }
  const count = Math.min(Number(values.count), MAX_COUNT);
  const rate = Number(values.rate);
  const port = Number(values.port ?? DEFAULT_PORTS[format]);
  if (!Number.isInteger(count) || count < 1 || !(rate > 0) || !Number.isInteger(port)) {
    throw new Error('--count, --rate and --port must be positive numbers');
  }
  const users = values.simulator ? await usersFrom(values.simulator, values['api-key'] ?? '') : DEMO_USERS;
  const started = Date.now();
  let failed = 0;
  // Generated a batch at a time, stamped at their send time, so long demo runs stay small in memory and look live.
  for (let first = 0; first < count; first += BATCH) {
    const events = await generateEvents({
      count: Math.min(BATCH, count - first),
      users,
      jwtSecret: values['jwt-secret']!,
      seed: Number(values.seed) + first,
      sequence: values.sequence,
      firstSequence: first,
      tableTwins: values['table-twins'],
      startSeconds: (started + (first * 1000) / rate) / 1000,
      stepMs: 1000 / rate,
    });
    for (const [offset, event] of events.entries()) {
      // Paced against the start time, so slow sends do not accumulate drift.
      const due = started + ((first + offset) * 1000) / rate;
      if (due > Date.now()) {
        await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      }
      await sendEvent(format, values.host!, port, event).catch((err: Error) => {
        failed += 1;
        if (failed <= 5) {
          process.stderr.write(`send failed: ${err.message}\n`);
        }
      });
    }
  }
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ format, port, sent: count - failed, failed, seconds })}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
});
