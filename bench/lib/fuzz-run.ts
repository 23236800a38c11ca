/**
 * Runs fuzz cases through the real decode path and accounts for every input. Shared by `npm run bench:fuzz` and
 * tests/reliability/fuzz.test.ts, so the CI test checks exactly what the benchmark measures.
 *
 *   gelf_udp input → GelfDatagramDecoder.decode (chunk header, assembly, decompression, JSON) → transform
 *   json input     → decodePayload (what the JSON udp/tcp/http sources call) → transform
 *
 * Each input ends in exactly one outcome: `decoded`, `pending` (a chunk waiting for its siblings) or `drop:<reason>`;
 * a decoded body is then transformed into `event` or `transform_drop:<reason>`. Drops that belong to no input
 * (expired or evicted partial messages, reported through onDrop) are counted separately as `laterDrops`.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { GelfDatagramDecoder } from '../../proxy/src/gelf/datagram-decoder';
import { transformMessage, TransformOptions } from '../../proxy/src/transforms';
import { createRedactor, DEFAULT_REDACTION_RULES } from '../../proxy/src/redaction';
import { decodePayload, type DecodeResult } from '../../proxy/src/gelf/payload';
import { FuzzCase, buildCorpus, fuzzCase } from './fuzz-inputs';

export interface FuzzOptions {
  inputs: number;
  seed: number;
  maxMessageBytes: number;
  maxPendingChunkBytes: number;
  /** Called every `progressEvery` cases with the inputs so far (the bench prints progress). */
  onProgress?: (inputs: number) => void;
}

export interface FuzzCrash {
  target: string;
  stage: 'decode' | 'transform';
  error: string;
  inputHex: string;
}

export interface FuzzStats {
  inputs: number;
  cases: number;
  byTarget: Record<string, number>;
  outcomes: Record<string, number>;
  transform: Record<string, number>;
  laterDrops: Record<string, number>;
  crashes: FuzzCrash[];
  peakPendingChunkBytes: number;
  maxPendingChunkBytes: number;
  accountedFor: number;
}

const BATCH = 500;
const TRANSFORM: TransformOptions = { redactor: createRedactor({ ...DEFAULT_REDACTION_RULES, fingerprintKey: randomBytes(32) }), dropDuplicateTableEvents: true };

const bump = (map: Record<string, number>, key: string) => (map[key] = (map[key] ?? 0) + 1);

export async function runFuzz(options: FuzzOptions): Promise<FuzzStats> {
  const corpus = await buildCorpus(options.maxMessageBytes);
  const stats: FuzzStats = {
    inputs: 0,
    cases: 0,
    byTarget: {},
    outcomes: {},
    transform: {},
    laterDrops: {},
    crashes: [],
    peakPendingChunkBytes: 0,
    maxPendingChunkBytes: options.maxPendingChunkBytes,
    accountedFor: 0,
  };
  // One long-lived decoder, as in the proxy: pending pieces of earlier cases share the memory budget with later ones.
  const decoder = new GelfDatagramDecoder({
    maxMessageBytes: options.maxMessageBytes,
    chunkTimeoutMs: 5000,
    maxPendingChunkBytes: options.maxPendingChunkBytes,
    onDrop: (reason) => bump(stats.laterDrops, reason),
  });
  let now = 0;
  const arbitrary = fuzzCase(corpus);
  for (let batch = 0; stats.inputs < options.inputs; batch++) {
    for (const c of fc.sample(arbitrary, { numRuns: BATCH, seed: options.seed + batch })) {
      now += c.advanceMs;
      runCase(c, decoder, now, options.maxMessageBytes, options.inputs - stats.inputs, stats);
      if (stats.inputs >= options.inputs) {
        break;
      }
    }
    options.onProgress?.(stats.inputs);
    // Yield so a jest timeout or a SIGINT can be handled between batches.
    await new Promise((r) => setImmediate(r));
  }
  stats.accountedFor = Object.values(stats.outcomes).reduce((a, b) => a + b, 0);
  return stats;
}

function runCase(
  c: FuzzCase,
  decoder: GelfDatagramDecoder,
  now: number,
  maxMessageBytes: number,
  remaining: number,
  stats: FuzzStats
): void {
  stats.cases += 1;
  // The last case is cut to the requested input count, so `inputs` is exact.
  for (const input of c.inputs.slice(0, remaining)) {
    stats.inputs += 1;
    bump(stats.byTarget, c.target);
    let result: DecodeResult | { pending: true };
    try {
      result = c.target === 'gelf_udp' ? decoder.decode(input, c.sender, now) : decodePayload(input, maxMessageBytes);
    } catch (err) {
      // The input still needs an outcome so the accounting adds up; the crash itself is what fails the run.
      bump(stats.outcomes, 'crash');
      crash(stats, c.target, 'decode', err, input);
      continue;
    }
    stats.peakPendingChunkBytes = Math.max(stats.peakPendingChunkBytes, decoder.chunks.bytes);
    if ('pending' in result) {
      bump(stats.outcomes, 'pending');
    } else if ('drop' in result) {
      bump(stats.outcomes, `drop:${result.drop}`);
    } else {
      bump(stats.outcomes, 'decoded');
      transform(c, result, stats, input);
    }
  }
}

function transform(c: FuzzCase, decoded: { body: Record<string, unknown>; json: Buffer }, stats: FuzzStats, input: Buffer): void {
  try {
    const out = transformMessage(
      {
        source: c.target === 'json' ? 'json_udp' : 'gelf_udp',
        format: c.target === 'json' ? 'json' : 'gelf',
        body: decoded.body,
        payload: decoded.json,
        receivedAt: new Date(),
        remoteAddress: c.sender,
        remotePort: 40000,
      },
      TRANSFORM
    );
    bump(stats.transform, 'drop' in out ? `drop:${out.drop}` : 'event');
    if (!('drop' in out)) {
      // What the sink sends: the serialised document must be one JSON object.
      JSON.parse(out.event.json);
    }
  } catch (err) {
    bump(stats.transform, 'crash');
    crash(stats, c.target, 'transform', err, input);
  }
}

function crash(stats: FuzzStats, target: string, stage: FuzzCrash['stage'], err: unknown, input: Buffer): void {
  if (stats.crashes.length < 20) {
    stats.crashes.push({
      target,
      stage,
      error: String((err as Error)?.stack ?? err).slice(0, 500),
      inputHex: input.subarray(0, 256).toString('hex'),
    });
  }
}
