/** A probe's stage timings from the epoch times the pipeline marked. Pure. */
import { DOCTOR_STAGES, type DoctorSourceResult } from '@shared/status-api';
import type { ProbeMarks } from './probe-tracker';

export type StageTimings = Pick<DoctorSourceResult, 'stages' | 'stageMs'>;

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * `stages`: when each stage was reached, in ms after sending; `stageMs`: how long each stage took on its own (since
 * the stage before it, or since sending). A source stamps `received` in whole milliseconds, so against the
 * sub-millisecond send time it can read up to 1 ms early: differences are floored at 0.
 */
export function stageTimings(sentAtMs: number, marks: ProbeMarks): StageTimings {
  const timings: StageTimings = { stages: {}, stageMs: {} };
  let previous = sentAtMs;
  for (const stage of DOCTOR_STAGES) {
    const at = marks[stage];
    if (at === undefined) {
      continue;
    }
    const reached = Math.max(at, previous);
    timings.stages[stage] = round(reached - sentAtMs);
    timings.stageMs[stage] = round(reached - previous);
    previous = reached;
  }
  return timings;
}
