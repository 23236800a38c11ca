/** Where every benchmark writes its result: `bench/results/<name>-<YYYY-MM-DD>.json` (or `out`), pretty-printed. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const RESULTS_DIR = join(__dirname, '..', 'results');

/** Writes `report` as the day's result of benchmark `name` (the day from its ISO `date`) and returns the file. */
export function writeBenchResult(name: string, date: string, report: unknown, out?: string): string {
  const file = out ?? join(RESULTS_DIR, `${name}-${date.slice(0, 10)}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
