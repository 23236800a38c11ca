/**
 * `npm run bench:redact`: cost of redaction on one core. Whole DreamFactory events (ordinary calls with JWT headers
 * and API keys; logins with a raw JSON or form body and the token twice in the response) through `redactInPlace`, the
 * transform with and without redaction, and `redactString` on typical strings. Each case runs rounds over freshly
 * copied inputs (redaction mutates); the median round is reported. Writes bench/results/redact-<date>.json.
 *
 *   BENCH_SECONDS=3 npm run bench:redact
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import type { ReceivedMessage } from '../proxy/src/pipeline-types';
import { createRedactor, DEFAULT_REDACTION_RULES } from '../proxy/src/redaction';
import { transformMessage } from '../proxy/src/transforms';
import { DfLogEvent, gelfPayload, loginLogEvent } from '../tests/dreamfactory-sim/log-formats';
import { mintSessionToken } from '../tests/dreamfactory-sim/jwt';
import { generateEvents } from '../tests/dreamfactory-sim/sender';
import { writeBenchResult } from './lib/results';

const SECONDS = Math.min(Number(process.env.BENCH_SECONDS ?? 3), 30);
const BATCH = 2000;
const redactor = createRedactor({ ...DEFAULT_REDACTION_RULES, fingerprintKey: randomBytes(32) });

interface CaseResult {
  name: string;
  rounds: number;
  opsPerRound: number;
  /** Median round. */
  nsPerOp: number;
  opsPerSecond: number;
  loadAverage1m: number;
}

/** Rounds of `BATCH` operations on fresh inputs for about SECONDS; input preparation is outside the timing. */
function measure<T>(name: string, prepare: (i: number) => T, op: (input: T) => unknown): CaseResult {
  const load = loadavg()[0];
  const perRound: number[] = [];
  const deadline = Date.now() + SECONDS * 1000;
  for (let round = 0; round < 3 || Date.now() < deadline; round++) {
    const inputs = Array.from({ length: BATCH }, (_, i) => prepare(i));
    const t0 = process.hrtime.bigint();
    for (const input of inputs) {
      op(input);
    }
    perRound.push(Number(process.hrtime.bigint() - t0) / BATCH);
  }
  // The first rounds warm the JIT up; they are in the median's tail, not its middle.
  perRound.sort((a, b) => a - b);
  const nsPerOp = perRound[Math.floor(perRound.length / 2)];
  const result = { name, rounds: perRound.length, opsPerRound: BATCH, nsPerOp: Math.round(nsPerOp), opsPerSecond: Math.round(1e9 / nsPerOp), loadAverage1m: load };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return result;
}

/** As a source hands it over: the body freshly parsed from the payload (the transform works on it in place). */
function received(payload: Buffer): ReceivedMessage {
  return { source: 'gelf_udp', format: 'gelf', body: JSON.parse(payload.toString()), payload, receivedAt: new Date(), remoteAddress: '127.0.0.1' };
}

const payloadOf = (event: DfLogEvent) => Buffer.from(gelfPayload(event));

async function main(): Promise<void> {
  const secret = 'bench-redact-secret-bench-redact-secret';
  const users = Array.from({ length: 50 }, (_, i) => ({ id: i + 1, email: `user${i + 1}@example.com`, name: `User ${i + 1}`, is_sys_admin: i < 2 }));
  const ordinary = await generateEvents({ count: 500, users, jwtSecret: secret, seed: 3 });
  const logins: DfLogEvent[] = [];
  for (const [i, user] of users.slice(0, 100).entries()) {
    const sessionToken = await mintSessionToken(secret, user, 'http://127.0.0.1/api/v2/user/session');
    logins.push(
      loginLogEvent({
        admin: user.is_sys_admin,
        form: i % 2 === 1,
        user: { id: user.id, email: user.email, first_name: 'First', last_name: `Last ${i}` },
        password: `password-${i}`,
        sessionToken,
        apiKey: 'a6f3c9d2e1b0f4a7c8d9e0f1a2b3c4d5',
        timestamp: 1716800000 + i,
      })
    );
  }
  // The documents the transform builds, before redaction, as the walk sees them.
  const unredacted = (events: DfLogEvent[]) =>
    events.map((e) => {
      const result = transformMessage(received(payloadOf(e)), { dropDuplicateTableEvents: false });
      if (!('event' in result)) {
        throw new Error('benchmark input was dropped');
      }
      return result.event.json;
    });
  const ordinaryDocs = unredacted(ordinary);
  const loginDocs = unredacted(logins);
  const payloads = ordinary.map(payloadOf);
  const jwt = (ordinary[0].event!.request as { headers: Record<string, string> }).headers['x-dreamfactory-session-token'] ?? '';
  const strings: Array<[string, string]> = [
    ['user agent (innocent)', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)'],
    ['URI without secrets', '/api/v2/db/_table/contact?limit=25&order=last_name%20asc&fields=id,email'],
    ['URI with api_key and session_token', `/api/v2/db/_table/contact?api_key=a6f3c9d2e1b0&limit=5&session_token=${jwt}`],
    ['JSON body without secrets', JSON.stringify({ resource: [{ first_name: 'Zoë', last_name: 'Øster', note: 'a/b' }] })],
    ['JSON login body', JSON.stringify({ email: 'jane@example.com', password: 'hunter2' })],
    ['form login body', 'email=jane%40example.com&password=hunter2'],
    ['text with a Bearer JWT', `upstream answered 401 for Authorization: Bearer ${jwt}`],
  ];

  const results = [
    measure('redactInPlace: ordinary DreamFactory event (JWT header, API key, payload, response)', (i) => JSON.parse(ordinaryDocs[i % ordinaryDocs.length]), (doc) => redactor.redactInPlace(doc)),
    measure('redactInPlace: login event (raw JSON/form body, token twice in the response)', (i) => JSON.parse(loginDocs[i % loginDocs.length]), (doc) => redactor.redactInPlace(doc)),
    measure('transformMessage without redaction', (i) => received(payloads[i % payloads.length]), (m) => transformMessage(m, { dropDuplicateTableEvents: true })),
    measure('transformMessage with redaction', (i) => received(payloads[i % payloads.length]), (m) => transformMessage(m, { redactor, dropDuplicateTableEvents: true })),
    ...strings.map(([name, text]) => measure(`redactString: ${name}`, () => text, (s) => redactor.redactString(s))),
  ];
  const report = {
    benchmark: 'redact',
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    // Other work on the machine skews the numbers; this says how busy it was (also recorded per case).
    loadAverage1m: loadavg()[0],
    secondsPerCase: SECONDS,
    results,
  };
  const file = writeBenchResult('redact', report.date, report);
  process.stdout.write(`wrote ${file}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
