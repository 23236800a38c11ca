import type { DoctorResult } from '@shared/status-api';
import { formatDoctorResult } from './report';

describe('formatDoctorResult', () => {
  it('prints per source how long each stage took, and where a source stopped', () => {
    const result: DoctorResult = {
      ok: false,
      tag: 'doctorabc',
      finishedAt: '2026-11-30T08:00:00.000Z',
      problems: [],
      sources: [
        {
          source: 'gelf_udp',
          ok: true,
          stages: { received: 0.4, transformed: 0.6, queued: 2.5, indexed: 152, searchable: 4630 },
          stageMs: { received: 0.4, transformed: 0.2, queued: 1.9, indexed: 149.5, searchable: 4478 },
        },
        {
          source: 'json_tcp',
          ok: false,
          stages: { received: 3.1, transformed: 3.3 },
          stageMs: { received: 3.1, transformed: 0.2 },
          failedStage: 'queued',
          cause: 'Transformed but the disk queue refused it (queue_full).',
        },
      ],
    };
    const lines = formatDoctorResult(result).split('\n');
    expect(lines[2].trim().split(/\s{2,}/)).toEqual(['source', 'received', 'transformed', 'queued', 'indexed', 'searchable', 'total']);
    expect(lines[3].trim().split(/\s{2,}/)).toEqual(['✔ gelf_udp', '0.4 ms', '0.2 ms', '1.9 ms', '150 ms', '4.48 s', '4.63 s']);
    expect(lines[4].trim().split(/\s{2,}/)).toEqual(['✖ json_tcp', '3.1 ms', '0.2 ms', '—', '—', '—', '3.3 ms']);
    expect(lines[5].trim()).toBe('queued: Transformed but the disk queue refused it (queue_full).');
    expect(lines.at(-2)).toBe('Some stages failed: see the causes above.');
  });
});
