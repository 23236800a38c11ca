/**
 * CI version of `npm run bench:fuzz`: 20,000 generated inputs (fixed seed, so a failure reproduces) through the GELF
 * datagram decoder (both chunk layouts, bombs, mutations) and the JSON sources' decode path, then the transform.
 */
import { runFuzz } from '../../bench/lib/fuzz-run';

const MAX_PENDING = 64 * 1024;

describe('ingest decoders under fuzzing', () => {
  it('never throw, account for every input and keep pending chunks under the cap', async () => {
    const stats = await runFuzz({
      inputs: 20_000,
      seed: 20261123,
      maxMessageBytes: 1 << 20,
      maxPendingChunkBytes: MAX_PENDING,
    });

    expect(stats.crashes).toEqual([]);
    expect(stats.inputs).toBe(20_000);
    expect(stats.accountedFor).toBe(stats.inputs);
    expect(stats.peakPendingChunkBytes).toBeLessThanOrEqual(MAX_PENDING);
    // The generator must reach the interesting outcomes, or the run proves little.
    for (const outcome of [
      'decoded',
      'pending',
      'drop:bad_json',
      'drop:bomb',
      'drop:bad_compression',
      'drop:bad_chunk',
      'drop:duplicate_chunk',
    ]) {
      expect(stats.outcomes[outcome] ?? 0).toBeGreaterThan(0);
    }
    expect(stats.transform.event ?? 0).toBeGreaterThan(0);
    expect(stats.laterDrops.expired_chunks ?? 0).toBeGreaterThan(0);
  }, 300_000);
});
