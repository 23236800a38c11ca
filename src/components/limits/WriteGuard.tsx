import React from 'react';
import { Tooltip } from '@grafana/ui';
import { labels, selectors } from '../../selectors';
import { useWriteAccess } from '../../hooks/useLimitsApi';

interface Props {
  /** A write control; it is disabled, with a tooltip saying why, when the user may not change limits. */
  children: React.ReactElement<{ disabled?: boolean }>;
}

export function WriteGuard({ children }: Props) {
  const { canWrite, writeRole } = useWriteAccess();
  if (canWrite) {
    return children;
  }
  return (
    <Tooltip content={labels.limits.readOnly(writeRole)}>
      {/* A disabled button emits no pointer events; the wrapper carries the tooltip. */}
      <span data-testid={selectors.limits.readOnlyNotice} style={{ display: 'inline-flex' }}>
        {React.cloneElement(children, { disabled: true })}
      </span>
    </Tooltip>
  );
}
