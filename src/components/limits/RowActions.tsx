import React from 'react';
import { IconButton, LinkButton, Stack } from '@grafana/ui';
import { selectors } from '../../selectors';
import { limitEditUrl } from '../../constants';
import { WriteGuard } from './WriteGuard';
import type { LimitRow } from './limitRows';

export type RowAction = 'delete' | 'resetCounter';

export function RowActions({ row, onAction }: { row: LimitRow; onAction: (action: RowAction, row: LimitRow) => void }) {
  return (
    <Stack gap={0.5}>
      <WriteGuard>
        <LinkButton
          href={limitEditUrl(row.id)}
          icon="pen"
          size="sm"
          variant="secondary"
          fill="text"
          aria-label={`Edit ${row.name}`}
          data-testid={selectors.limits.list.edit(row.id)}
        />
      </WriteGuard>
      <WriteGuard>
        <IconButton
          name="history"
          tooltip={row.eachUser ? 'Reset the counters of all users' : 'Reset counter'}
          aria-label={`Reset counter of ${row.name}`}
          data-testid={selectors.limits.list.resetCounter(row.id)}
          onClick={() => onAction('resetCounter', row)}
        />
      </WriteGuard>
      <WriteGuard>
        <IconButton
          name="trash-alt"
          variant="destructive"
          tooltip="Delete limit"
          aria-label={`Delete ${row.name}`}
          data-testid={selectors.limits.list.delete(row.id)}
          onClick={() => onAction('delete', row)}
        />
      </WriteGuard>
    </Stack>
  );
}
