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
        Set DF_URL and DF_API_KEY (or DF_ADMIN_EMAIL and DF_ADMIN_PASSWORD) on the proxy to show user names and manage
        limits.
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
      <Alert
        severity="error"
        title={
          df.keyValid === false ? "DreamFactory refused the proxy's credentials" : 'DreamFactory answered with an error'
        }
      >
        {df.error}
      </Alert>
    );
  } else {
    body = (
      <>
        <Text>
          Reachable{df.version ? `, DreamFactory ${df.version}` : ''}; the proxy works{' '}
          {df.auth === 'admin-session' ? 'in an admin session.' : 'with an API key.'}
        </Text>
        {df.auth === 'api-key' && (
          <div data-testid={selectors.status.dreamfactoryApiKeyNote}>
            <Text color="secondary">
              DreamFactory counts the proxy&apos;s calls against instance limits, and an instance limit that trips also
              locks the proxy out of the Limits pages. Set DF_ADMIN_EMAIL and DF_ADMIN_PASSWORD to use an admin session,
              which limits never count.
            </Text>
          </div>
        )}
      </>
    );
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
