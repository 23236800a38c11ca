/**
 * The ingest benchmark's sender, run as its own process (`tsx bench/lib/ingest-sender.ts`): it builds every datagram
 * of a phase before the clock starts, says `ready`, waits for `go`, then sends them to 127.0.0.1 at a fixed rate (in
 * 1 ms slices) or as fast as it can, and reports what it sent. Events are DreamFactory-shaped (the simulator's
 * generator) with a sequence number in `event.request.parameters.seq`; one in LARGE_EVERY carries a ~25 KB response
 * (DreamFactory chunks its GELF form into 38-byte-header pieces).
 */
import { createSocket } from 'node:dgram';
import { gelfDatagrams, jsonModeBody, type DfLogEvent } from '../../tests/dreamfactory-sim/log-formats';
import { generateEvents } from '../../tests/dreamfactory-sim/sender';

export type Wire = 'json' | 'gelf';

export interface SenderJob {
  port: number;
  wire: Wire;
  events: number;
  /** Events per second; 0 sends as fast as possible. */
  rate: number;
  seed: number;
}

export type SenderMessage = { ready: { datagrams: number; bytes: number } } | { done: { sent: number; datagrams: number; seconds: number } };

const LARGE_EVERY = 100;
const USERS = Array.from({ length: 40 }, (_, i) => ({ id: i + 1, email: `user${i + 1}@example.com`, name: `User ${i + 1}`, is_sys_admin: i < 2 }));

/** The phase's events, the same for every shipper given the same seed. */
export async function benchEvents(count: number, seed: number): Promise<DfLogEvent[]> {
  const events = await generateEvents({ count, users: USERS, jwtSecret: 'bench-ingest-secret-bench-ingest-secret', seed, sequence: true, startSeconds: Date.now() / 1000 - 600, stepMs: 1 });
  events.forEach((event, i) => {
    if (i % LARGE_EVERY === LARGE_EVERY / 2) {
      const rows = Array.from({ length: 400 }, (_, r) => ({ id: r, email: `c${(r * 2654435761 + i) >>> 0}@example.com`, name: `Contact ${r}` }));
      (event.event as { response: Record<string, unknown> }).response = { status_code: 200, content_type: 'application/json', content: { resource: rows } };
    }
  });
  return events;
}

/** One event's datagrams in the given wire format. */
export function datagramsOf(event: DfLogEvent, wire: Wire): Buffer[] {
  return wire === 'gelf' ? gelfDatagrams(event) : [Buffer.from(jsonModeBody(event))];
}

async function run(job: SenderJob): Promise<void> {
  const perEvent = (await benchEvents(job.events, job.seed)).map((e) => datagramsOf(e, job.wire));
  const datagrams = perEvent.flat();
  const socket = createSocket('udp4');
  process.send!({ ready: { datagrams: datagrams.length, bytes: datagrams.reduce((n, d) => n + d.length, 0) } } satisfies SenderMessage);
  await new Promise<void>((resolve) => process.once('message', () => resolve()));

  const started = process.hrtime.bigint();
  const elapsedMs = () => Number(process.hrtime.bigint() - started) / 1e6;
  let completed = 0;
  const allSent = new Promise<void>((resolve) => {
    const sentOne = () => {
      if (++completed === datagrams.length) {
        resolve();
      }
    };
    let next = 0;
    let event = 0;
    const slice = () => {
      // Events due by now (all of them when unthrottled); every piece of an event goes together.
      const due = job.rate > 0 ? Math.min(perEvent.length, Math.floor((elapsedMs() * job.rate) / 1000) + 1) : perEvent.length;
      for (; event < due; event++) {
        for (const _ of perEvent[event]) {
          socket.send(datagrams[next++], job.port, '127.0.0.1', sentOne);
        }
      }
      if (event < perEvent.length) {
        setTimeout(slice, 1);
      }
    };
    slice();
  });
  await allSent;
  const seconds = elapsedMs() / 1000;
  socket.close();
  process.send!({ done: { sent: perEvent.length, datagrams: datagrams.length, seconds } } satisfies SenderMessage, () => process.exit(0));
}

if (require.main === module) {
  run(JSON.parse(process.argv[2]) as SenderJob).catch((err: Error) => {
    process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  });
}
