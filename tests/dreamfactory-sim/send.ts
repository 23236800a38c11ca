/**
 * Demo traffic: DreamFactory log messages in one of its wire formats, to a receiver on 127.0.0.1.
 *   npx tsx tests/dreamfactory-sim/send.ts --format gelf-udp --port 12201 --count 100 --rate 50
 * Options: --format gelf-udp|json-udp|json-tcp|json-http  --host 127.0.0.1  --port <n>  --count 100  --rate 50 (per s)
 *          --seed 1  --jwt-secret <secret>  --sequence  --table-twins
 */
import { parseArgs } from 'node:util';
import { generateEvents, sendEvent, WireFormat } from './sender';

const FORMATS: WireFormat[] = ['gelf-udp', 'json-udp', 'json-tcp', 'json-http'];
const DEFAULT_PORTS: Record<WireFormat, number> = { 'gelf-udp': 12201, 'json-udp': 12202, 'json-tcp': 12203, 'json-http': 12204 };
const MAX_COUNT = 1_000_000;

const DEMO_USERS = [
  { id: 1, email: 'admin@example.com', name: 'Ada Admin', is_sys_admin: true },
  { id: 3, email: 'jane@example.com', name: 'Jane Doe' },
  { id: 4, email: 'raj@example.com', name: 'Raj Patel' },
  { id: 5, email: 'li@example.com', name: 'Li Wei' },
];

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
    },
  });
  const format = values.format as WireFormat;
  if (!FORMATS.includes(format)) {
    throw new Error(`--format must be one of ${FORMATS.join(', ')}`);
  }
  if (values.host !== '127.0.0.1' && values.host !== 'localhost') {
    throw new Error('--host must be 127.0.0.1 (demo traffic stays on this machine)');
  }
  const count = Math.min(Number(values.count), MAX_COUNT);
  const rate = Number(values.rate);
  const port = Number(values.port ?? DEFAULT_PORTS[format]);
  if (!Number.isInteger(count) || count < 1 || !(rate > 0) || !Number.isInteger(port)) {
    throw new Error('--count, --rate and --port must be positive numbers');
  }
  const events = await generateEvents({
    count,
    users: DEMO_USERS,
    jwtSecret: values['jwt-secret']!,
    seed: Number(values.seed),
    sequence: values.sequence,
    tableTwins: values['table-twins'],
  });
  const started = Date.now();
  let failed = 0;
  for (const [i, event] of events.entries()) {
    // Paced against the start time, so slow sends do not accumulate drift.
    const due = started + (i * 1000) / rate;
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
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ format, port, sent: events.length - failed, failed, seconds })}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
});
