import React from 'react';
import { Alert, TextLink } from '@grafana/ui';
import { describeFailure } from '../../api/limitsApi';
import { labels, selectors } from '../../selectors';

/** Why the page has no data: the proxy's or DreamFactory's own message, as the relay reported it. */
export function ProxyErrorAlert({ error }: { error: unknown }) {
  const failure = describeFailure(error);
  return (
    <Alert severity="error" title={failure.title} data-testid={selectors.proxyError}>
      {failure.message}
    </Alert>
  );
}

export function NoDatasourceAlert() {
  return (
    <Alert severity="info" title={labels.limits.noDatasource} data-testid={selectors.proxyError}>
      The limit pages talk to DreamFactory through the Insights proxy. Add a <strong>DreamFactory Insights</strong>{' '}
      datasource with the proxy URL and token under{' '}
      <TextLink href="/connections/datasources/new" inline>
        Connections → Data sources
      </TextLink>
      , then reload this page.
    </Alert>
  );
}
