import React from 'react';
import { InlineField, Input } from '@grafana/ui';
import { labels, selectors } from '../../../selectors';

/** Ids typed as a comma list; anything that is not a positive whole number is dropped. */
export function parseLimitIds(text: string): number[] {
  const ids = text
    .split(/[\s,]+/)
    .map((part) => Number(part))
    .filter((id) => Number.isInteger(id) && id > 0);
  return [...new Set(ids)];
}

interface Props {
  value?: number[];
  /** Undefined = every limit. */
  onChange: (limitIds: number[] | undefined) => void;
}

export function LimitIdsField({ value = [], onChange }: Props) {
  return (
    <InlineField
      label={labels.datasource.queryEditor.limitIds}
      labelWidth={16}
      tooltip="Comma-separated DreamFactory limit ids; empty = every limit"
    >
      <Input
        key={value.join(',')}
        width={30}
        data-testid={selectors.datasource.queryEditor.limitIds}
        placeholder="all limits"
        defaultValue={value.join(', ')}
        onBlur={(event) => {
          const limitIds = parseLimitIds(event.currentTarget.value);
          onChange(limitIds.length ? limitIds : undefined);
        }}
      />
    </InlineField>
  );
}
