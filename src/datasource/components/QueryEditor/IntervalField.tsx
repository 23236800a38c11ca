import React from 'react';
import { InlineField, Input } from '@grafana/ui';
import { labels, selectors } from '../../../selectors';

interface Props {
  value: string;
  onChange: (interval: string) => void;
}

/** `auto` (follows the panel) or a fixed interval like 1m, 1h. */
export function IntervalField({ value, onChange }: Props) {
  return (
    <InlineField
      label={labels.datasource.queryEditor.interval}
      labelWidth={16}
      tooltip="auto follows the panel; or a fixed interval like 1m, 1h"
    >
      <Input
        key={value}
        width={12}
        data-testid={selectors.datasource.queryEditor.interval}
        defaultValue={value}
        placeholder="auto"
        onBlur={(event) => onChange(event.currentTarget.value.trim() || 'auto')}
      />
    </InlineField>
  );
}
