import React, { useMemo } from 'react';
import { IconButton, InteractiveTable, type Column } from '@grafana/ui';
import { selectors } from '../../../selectors';
import { CounterBar } from '../CounterBar';
import { WriteGuard } from '../WriteGuard';
import type { CounterRow } from './counterRows';

interface Props {
  rows: CounterRow[];
  onReset: (row: CounterRow) => void;
}

export function CountersTable({ rows, onReset }: Props) {
  const columns = useMemo<Array<Column<CounterRow>>>(
    () => [
      { id: 'key', header: 'Key', sortType: 'alphanumeric' },
      { id: 'limitName', header: 'Limit', sortType: 'alphanumeric' },
      { id: 'attempts', header: 'Attempts', sortType: 'number' },
      { id: 'max', header: 'Max', sortType: 'number' },
      { id: 'remaining', header: 'Remaining', sortType: 'number' },
      {
        id: 'usage',
        header: 'Used',
        sortType: 'number',
        cell: ({ row: { original } }) => (
          <CounterBar
            attempts={original.attempts}
            max={original.max}
            label={`Counter ${original.key}`}
            testId={selectors.limitCounters.bar(original.key)}
          />
        ),
      },
      {
        id: 'actions',
        disableGrow: true,
        cell: ({ row: { original } }) => (
          <WriteGuard>
            <IconButton
              name="history"
              tooltip={original.eachUser ? 'Reset the counters of all users of this limit' : 'Reset counter'}
              aria-label={`Reset counter ${original.key}`}
              data-testid={selectors.limitCounters.reset(original.key)}
              onClick={() => onReset(original)}
            />
          </WriteGuard>
        ),
      },
    ],
    [onReset]
  );
  return (
    <div data-testid={selectors.limitCounters.table}>
      <InteractiveTable columns={columns} data={rows} getRowId={(row) => row.key} initialSortBy={INITIAL_SORT} />
    </div>
  );
}

const INITIAL_SORT = [{ id: 'usage', desc: true }];
