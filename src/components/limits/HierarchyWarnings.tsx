import React from 'react';
import { Alert } from '@grafana/ui';

/** Non-blocking notes about a limit: broader limits that trip first, and DreamFactory's period and per-user quirks. */
export function HierarchyWarnings({ warnings, testId }: { warnings: string[]; testId: string }) {
  if (warnings.length === 0) {
    return null;
  }
  return (
    <Alert severity="warning" title="Before you save" data-testid={testId}>
      <ul>
        {warnings.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
    </Alert>
  );
}
