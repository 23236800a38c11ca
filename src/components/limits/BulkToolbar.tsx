import React from 'react';
import { Button, Stack, Text } from '@grafana/ui';
import type { BulkAction } from '@shared/limits-api';
import { selectors } from '../../selectors';
import { WriteGuard } from './WriteGuard';

interface Props {
  count: number;
  onAction: (action: BulkAction) => void;
  onClear: () => void;
}

const ACTIONS: Array<{ action: BulkAction; label: string; testId: string; variant: 'secondary' | 'destructive' }> = [
  { action: 'activate', label: 'Activate', testId: selectors.limits.bulk.activate, variant: 'secondary' },
  { action: 'deactivate', label: 'Deactivate', testId: selectors.limits.bulk.deactivate, variant: 'secondary' },
  {
    action: 'resetCounters',
    label: 'Reset counters',
    testId: selectors.limits.bulk.resetCounters,
    variant: 'secondary',
  },
  { action: 'delete', label: 'Delete', testId: selectors.limits.bulk.delete, variant: 'destructive' },
];

/** Actions on the selected limits; shown while something is selected. */
export function BulkToolbar({ count, onAction, onClear }: Props) {
  return (
    <div data-testid={selectors.limits.bulk.toolbar}>
      <Stack gap={1} alignItems="center">
        <Text>{count} selected</Text>
        {ACTIONS.map(({ action, label, testId, variant }) => (
          <WriteGuard key={action}>
            <Button size="sm" variant={variant} data-testid={testId} onClick={() => onAction(action)}>
              {label}
            </Button>
          </WriteGuard>
        ))}
        <Button size="sm" variant="secondary" fill="text" onClick={onClear}>
          Clear selection
        </Button>
      </Stack>
    </div>
  );
}
