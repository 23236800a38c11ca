import React from 'react';
import { Alert, Stack, Text } from '@grafana/ui';
import { selectors } from '../../selectors';
import type { DreamFactoryStatus } from '@shared/status-api';

/** DreamFactory as the proxy sees it: used for user names in activity queries and for the limit pages. */
export function DreamFactoryPanel({ df }: { df: DreamFactoryStatus }) {
  let body: React.ReactNode;
  if (!df.configured) {
    body = (
      <Alert severity="info" title="DreamFactory is not configured">
        Set DF_URL and DF_API_KEY on the proxy to show user names and manage limits.
      </Alert>
    );
  } else if (!df.reachable) {
    body = (
      <Alert severity="error" title="DreamFactory is down or unreachable">
        {df.error}
      </Alert>
    );
  } else if (df.keyValid === false || df.error) {
    body = (
      <Alert severity="error" title={df.keyValid === false ? 'DreamFactory rejected the API key' : 'DreamFactory answered with an error'}>
        {df.error}
      </Alert>
    );
  } else {
    body = <Text>Reachable, API key accepted{df.version ? `, DreamFactory ${df.version}` : ''}.</Text>;
  }
  return (
    <div data-testid={selectors.status.dreamfactory}>
      <Stack direction="column" gap={1}>
        <Text element="h3">DreamFactory</Text>
        {body}
      </Stack>
    </div>
  );
}
