import React from 'react';
import { Alert } from '@grafana/ui';
import { describeFailure } from '../../../api/limitsApi';

interface Props {
  error?: unknown;
  /** What the proxy said about the history (DreamFactory outages, no samples yet). */
  notices?: string[];
  testId: string;
}

/** Why the history columns are empty or incomplete. The limits themselves still show: history is secondary. */
export function HistoryNotice({ error, notices = [], testId }: Props) {
  if (error !== undefined) {
    return (
      <Alert severity="warning" title="Limit history unavailable" data-testid={testId}>
        {describeFailure(error).message}
      </Alert>
    );
  }
  if (notices.length === 0) {
    return null;
  }
  return (
    <Alert severity="info" title="Limit history" data-testid={testId}>
      {notices.map((notice) => (
        <div key={notice}>{notice}</div>
      ))}
    </Alert>
  );
}
