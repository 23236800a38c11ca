/**
 * Keeps `npm run bench:ingest` working: its smoke mode (tiny counts, a `_bulk` stand-in instead of Elasticsearch)
 * builds the proxy bundle, runs it as its own process with the sender process, and must account for every event.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

interface SmokeResult {
  mode: string;
  every_phase_accounted: boolean;
  phases: Array<{ name: string; sent: number; indexed: number; counted_drops: number; unexplained: number; cpu_seconds: number }>;
}

describe('bench:ingest --smoke', () => {
  it('runs the proxy phases end to end and accounts for every event sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dfi-bench-smoke-'));
    try {
      const out = join(dir, 'ingest.json');
      await promisify(execFile)(process.execPath, ['--import', 'tsx', resolve(__dirname, '../../bench/ingest.ts'), '--smoke', '--out', out], { cwd: resolve(__dirname, '../..') });
      const result = JSON.parse(readFileSync(out, 'utf8')) as SmokeResult;
      expect(result.mode).toBe('smoke');
      expect(result.phases.map((p) => p.name)).toEqual(['bench-proxy-json-2000', 'bench-proxy-gelf-burst-kernel-default', 'bench-direct-ceiling']);
      for (const phase of result.phases) {
        expect([phase.name, phase.sent, phase.indexed + phase.counted_drops]).toEqual([phase.name, 300, 300]);
        expect(phase.cpu_seconds).toBeGreaterThan(0);
      }
      expect(result.every_phase_accounted).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
