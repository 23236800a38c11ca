/**
 * `npm run bench:fuzz [-- --inputs 1000000 --seed N]`: fast-check-generated inputs through the GELF datagram decoder
 * (both chunk layouts, decompression incl. bombs, JSON) and the JSON sources' decode path, then the transform; see
 * bench/lib/fuzz-inputs.ts for what is generated and bench/lib/fuzz-run.ts for the accounting. Writes
 * bench/results/fuzz-<date>.json and exits 1 on a crash or an input without an outcome.
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { runFuzz } from './lib/fuzz-run';
import { writeBenchResult } from './lib/results';

/** Small caps make the limits bite often: 1 MiB decompressed (bombs cost ~1 ms each), 64 KiB of pending chunks (a few DreamFactory-sized chunked messages). */
const MAX_MESSAGE_BYTES = 1 << 20;
const MAX_PENDING_CHUNK_BYTES = 64 * 1024;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { inputs: { type: 'string', default: '1000000' }, seed: { type: 'string', default: '20261123' } },
  });
  const inputs = Math.min(Number(values.inputs), 50_000_000);
  const seed = Number(values.seed);
  const rssBefore = process.memoryUsage().rss;
  const started = Date.now();
  let lastPrint = 0;
  const stats = await runFuzz({
    inputs,
    seed,
    maxMessageBytes: MAX_MESSAGE_BYTES,
    maxPendingChunkBytes: MAX_PENDING_CHUNK_BYTES,
    onProgress: (n) => {
      if (Date.now() - lastPrint > 10_000) {
        lastPrint = Date.now();
        process.stderr.write(`fuzz: ${n} inputs, ${Math.round((Date.now() - started) / 1000)} s\n`);
      }
    },
  });
  const report = {
    benchmark: 'fuzz',
    date: new Date().toISOString(),
    machine: { node: process.version, cores: cpus().length, cpu: cpus()[0]?.model, loadAverage1mAtEnd: loadavg()[0] },
    seed,
    limits: { maxMessageBytes: MAX_MESSAGE_BYTES, maxPendingChunkBytes: MAX_PENDING_CHUNK_BYTES, chunkTimeoutMs: 5000 },
    inputs: stats.inputs,
    cases: stats.cases,
    byTarget: stats.byTarget,
    crashes: stats.crashes.length,
    crashSamples: stats.crashes,
    outcomes: stats.outcomes,
    accountedFor: stats.accountedFor,
    transformOfDecoded: stats.transform,
    laterDrops: stats.laterDrops,
    peakPendingChunkBytes: stats.peakPendingChunkBytes,
    rssMiB: { before: Math.round(rssBefore / 1048576), after: Math.round(process.memoryUsage().rss / 1048576) },
    durationSeconds: Math.round((Date.now() - started) / 100) / 10,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  writeBenchResult('fuzz', report.date, report);
  if (
    stats.crashes.length > 0 ||
    stats.accountedFor !== stats.inputs ||
    stats.peakPendingChunkBytes > MAX_PENDING_CHUNK_BYTES
  ) {
    process.exit(1);
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
