/** Plain-text rendering of a doctor run for the terminal: per source, how long each stage took on its own. Pure. */
import { DOCTOR_STAGES, doctorTotalMs, formatStageMs, type DoctorResult } from '@shared/status-api';

export function formatDoctorResult(result: DoctorResult): string {
  const lines = [`DreamFactory Insights doctor (tag ${result.tag})`];
  for (const problem of result.problems) {
    lines.push(`  ! ${problem}`);
  }
  if (result.sources.length > 0) {
    const header = ['source', ...DOCTOR_STAGES, 'total'];
    const rows = result.sources.map((s) => [`${s.ok ? '✔' : '✖'} ${s.source}`, ...DOCTOR_STAGES.map((stage) => formatStageMs(s.stageMs[stage])), formatStageMs(doctorTotalMs(s))]);
    const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
    const line = (cells: string[]) => `  ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')}`;
    lines.push('  Time each stage took (received: since sending; each other stage: since the one before it):', line(header));
    result.sources.forEach((source, i) => {
      lines.push(line(rows[i]));
      if (source.cause) {
        lines.push(`      ${source.failedStage}: ${source.cause}`);
      }
    });
  }
  lines.push('', result.ok ? 'Every enabled source works end to end.' : 'Some stages failed: see the causes above.');
  return `${lines.join('\n')}\n`;
}
