/** Plain-text rendering of a doctor run for the terminal. Pure. */
import { DOCTOR_STAGES, type DoctorResult } from '@shared/status-api';

export function formatDoctorResult(result: DoctorResult): string {
  const lines = [`DreamFactory Insights doctor (tag ${result.tag})`];
  for (const problem of result.problems) {
    lines.push(`  ! ${problem}`);
  }
  for (const source of result.sources) {
    const stages = DOCTOR_STAGES.map((stage) => `${stage} ${source.stages[stage] === undefined ? '—' : `${source.stages[stage]} ms`}`).join(' → ');
    lines.push(`  ${source.ok ? '✔' : '✖'} ${source.source.padEnd(9)} ${stages}`);
    if (source.cause) {
      lines.push(`      ${source.failedStage}: ${source.cause}`);
    }
  }
  lines.push('', result.ok ? 'Every enabled source works end to end.' : 'Some stages failed: see the causes above.');
  return `${lines.join('\n')}\n`;
}
