import React from 'react';
import { Alert } from '@grafana/ui';
import { labels, selectors } from '../../selectors';
import type { ListenerStatus } from '@shared/status-api';
import { dreamFactoryTargets } from './format';

/** The empty state: what DreamFactory's Logstash service must be set to, with this proxy's real ports. */
export function NoEventsHint({ listeners }: { listeners: ListenerStatus[] }) {
  const targets = dreamFactoryTargets(listeners);
  return (
    <Alert severity="info" title={labels.status.noEvents} data-testid={selectors.status.noEvents}>
      Is the Logstash service enabled (active) in DreamFactory, with a service event map? Its host must be this proxy&apos;s address
      and protocol/port one of: {targets.length > 0 ? targets.join('; ') : 'none — every listener DreamFactory can use is disabled on the proxy'}. Then
      run the doctor to test the pipeline end to end.
    </Alert>
  );
}
