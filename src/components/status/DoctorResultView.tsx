import React, { useMemo } from 'react';
import { Alert, Badge, InteractiveTable, Stack, Text, type Column } from '@grafana/ui';
import { selectors } from '../../selectors';
import { DOCTOR_STAGES, doctorTotalMs, formatStageMs, type DoctorResult, type DoctorSourceResult } from '@shared/status-api';

/** Per source, how long each stage of the doctor's probe took on its own, end to end, and where it stopped, why. */
export function DoctorResultView({ result }: { result: DoctorResult }) {
  const columns = useMemo<Array<Column<DoctorSourceResult>>>(
    () => [
      {
        id: 'source',
        header: 'Source',
        cell: ({ row: { original } }) => (
          <span data-testid={selectors.status.doctorSource(original.source)}>
            <Badge text={original.ok ? 'OK' : 'Failed'} color={original.ok ? 'green' : 'red'} /> {original.source}
          </span>
        ),
      },
      ...DOCTOR_STAGES.map(
        (stage): Column<DoctorSourceResult> => ({
          id: stage,
          header: stage[0].toUpperCase() + stage.slice(1),
          cell: ({ row: { original } }) => formatStageMs(original.stageMs[stage]),
        })
      ),
      { id: 'total', header: 'Total', cell: ({ row: { original } }) => formatStageMs(doctorTotalMs(original)) },
      {
        id: 'cause',
        header: 'First failing stage',
        cell: ({ row: { original } }) => (original.failedStage ? `${original.failedStage}: ${original.cause}` : ''),
      },
    ],
    []
  );
  return (
    <div data-testid={selectors.status.doctorResult}>
      <Stack direction="column" gap={1}>
        <Text element="h4">{result.ok ? 'Doctor: every enabled source works end to end' : 'Doctor: some stages failed'}</Text>
        {result.problems.map((problem) => (
          <Alert key={problem} severity="warning" title={problem} />
        ))}
        {result.sources.length > 0 && <InteractiveTable columns={columns} data={result.sources} getRowId={(row) => row.source} />}
      </Stack>
    </div>
  );
}
