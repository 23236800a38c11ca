/**
 * `npm run bench:decode`: one core, in-process throughput of the ingest front half (no sockets, no queue):
 * GELF datagram decode (detect, inflate, JSON.parse), the same plus transformMessage, DreamFactory's chunked messages
 * (reassembly + decode + transform) and the plain-JSON mode. Payloads come from the DreamFactory sender (realistic
 * context: request with JWT headers, response, session). Writes bench/results/decode-<date>.json.
 *
 *   BENCH_SECONDS=3 npm run bench:decode
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { GelfDatagramDecoder } from '../proxy/src/gelf/datagram-decoder';
import { parseJsonObject } from '../proxy/src/gelf/payload';
import type { ReceivedMessage } from '../proxy/src/pipeline-types';
import { createRedactor, DEFAULT_REDACTION_RULES } from '../proxy/src/redaction';
import { transformMessage, TransformOptions } from '../proxy/src/transforms';
import { DfLogEvent, gelfDatagrams, jsonModeBody } from '../tests/dreamfactory-sim/log-formats';
import { generateEvents } from '../tests/dreamfactory-sim/sender';
import { writeBenchResult } from './lib/results';

const SECONDS = Math.min(Number(process.env.BENCH_SECONDS ?? 3), 30);
const MAX_ITERATIONS = 5_000_000;
const OPTIONS: TransformOptions = { redactor: createRedactor({ ...DEFAULT_REDACTION_RULES, fingerprintKey: randomBytes(32) }), dropDuplicateTableEvents: true };

interface CaseResult {
  name: string;
  messages: number;
  seconds: number;
  messagesPerSecond: number;
  inputBytesPerMessage: number;
  inputMiBPerSecond: number;
}

/** Runs `fn` over the inputs round-robin for about SECONDS (bounded in count too). */
function measure(name: string, inputs: Buffer[][], fn: (input: Buffer[], i: number) => void): CaseResult {
  const bytes = inputs.reduce((sum, input) => sum + input.reduce((s, b) => s + b.length, 0), 0) / inputs.length;
  for (let i = 0; i < Math.min(2000, inputs.length * 4); i++) {
    fn(inputs[i % inputs.length], i);
  }
  const deadline = process.hrtime.bigint() + BigInt(SECONDS * 1e9);
  const t0 = process.hrtime.bigint();
  let n = 0;
  while (n < MAX_ITERATIONS) {
    fn(inputs[n % inputs.length], n);
    n++;
    if (n % 256 === 0 && process.hrtime.bigint() > deadline) {
      break;
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const result = {
    name,
    messages: n,
    seconds: Math.round(seconds * 1000) / 1000,
    messagesPerSecond: Math.round(n / seconds),
    inputBytesPerMessage: Math.round(bytes),
    inputMiBPerSecond: Math.round(((n * bytes) / seconds / 1048576) * 100) / 100,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return result;
}

function received(decoded: { body: Record<string, unknown>; json: Buffer }, i: number, format: 'gelf' | 'json'): ReceivedMessage {
  return { source: format === 'gelf' ? 'gelf_udp' : 'json_udp', format, body: decoded.body, payload: decoded.json, receivedAt: new Date(), remoteAddress: '127.0.0.1', remotePort: 40000 + (i % 20000) };
}

async function main(): Promise<void> {
  const users = Array.from({ length: 50 }, (_, i) => ({ id: i + 1, email: `user${i + 1}@example.com`, name: `User ${i + 1}`, is_sys_admin: i < 2 }));
  const events = await generateEvents({ count: 500, users, jwtSecret: 'bench-decode-secret-bench-decode-secret', seed: 3 });
  const single = events.map((e) => gelfDatagrams(e));
  // Big responses (DreamFactory "Response All" context): chunked into its 38-byte-header pieces.
  const big: DfLogEvent[] = events.slice(0, 50).map((e, k) => ({
    ...e,
    event: { ...e.event, response: { status_code: 200, content: { resource: Array.from({ length: 1500 }, (_, i) => ({ id: i, email: `c${(i * 2654435761 + k) >>> 0}@example.com` })) } } },
  }));
  const chunked = big.map((e) => gelfDatagrams(e));
  const json = events.map((e) => [Buffer.from(jsonModeBody(e))]);

  const decoder = new GelfDatagramDecoder({ maxMessageBytes: 8 << 20, chunkTimeoutMs: 5000, maxPendingChunkBytes: 64 << 20, onDrop: () => undefined });
  const decodeAll = (datagrams: Buffer[]) => {
    let last;
    for (const d of datagrams) {
      last = decoder.decode(d, '127.0.0.1');
    }
    if (!last || !('body' in last)) {
      throw new Error('benchmark input did not decode');
    }
    return last;
  };

  const results = [
    measure('gelf datagram: decode', single, (d) => decodeAll(d)),
    measure('gelf datagram: decode + transform', single, (d, i) => transformMessage(received(decodeAll(d), i, 'gelf'), OPTIONS)),
    measure('gelf DreamFactory chunked (38-byte header): reassemble + decode + transform', chunked, (d, i) => transformMessage(received(decodeAll(d), i, 'gelf'), OPTIONS)),
    measure('json mode: parse + transform', json, ([b], i) => {
      const r = parseJsonObject(b);
      if ('body' in r) {
        transformMessage(received(r, i, 'json'), OPTIONS);
      }
    }),
  ];
  const report = {
    benchmark: 'decode',
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    // Other work on the machine skews the numbers; this says how busy it was.
    loadAverage1m: loadavg()[0],
    secondsPerCase: SECONDS,
    chunkedPiecesPerMessage: Math.round(chunked.reduce((s, c) => s + c.length, 0) / chunked.length),
    results,
  };
  const file = writeBenchResult('decode', report.date, report);
  process.stdout.write(`wrote ${file}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
