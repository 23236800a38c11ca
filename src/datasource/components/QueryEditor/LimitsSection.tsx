import React from 'react';
import { InlineField, InlineSwitch, Input } from '@grafana/ui';
import { labels, selectors } from '../../../selectors';
import { LimitCountersQuery, LimitsQuery } from '@shared/query';

const text = labels.datasource.queryEditor;
const ids = selectors.datasource.queryEditor;

export function LimitsSection({ query, onChange }: { query: LimitsQuery; onChange: (query: LimitsQuery) => void }) {
  return (
    <InlineField label={text.activeOnly} labelWidth={16}>
      <InlineSwitch
        data-testid={ids.activeOnly}
        value={query.activeOnly ?? false}
        onChange={(event) => onChange({ ...query, activeOnly: event.currentTarget.checked })}
      />
    </InlineField>
  );
}

/** Ids typed as a comma list; anything that is not a positive whole number is dropped. */
export function parseLimitIds(text: string): number[] {
  const ids = text
    .split(/[\s,]+/)
    .map((part) => Number(part))
    .filter((id) => Number.isInteger(id) && id > 0);
  return [...new Set(ids)];
}

export function LimitCountersSection({
  query,
  onChange,
}: {
  query: LimitCountersQuery;
  onChange: (query: LimitCountersQuery) => void;
}) {
  return (
    <InlineField
      label={text.limitIds}
      labelWidth={16}
      tooltip="Comma-separated DreamFactory limit ids; empty = every limit"
    >
      <Input
        key={(query.limitIds ?? []).join(',')}
        width={30}
        data-testid={ids.limitIds}
        placeholder="all limits"
        defaultValue={(query.limitIds ?? []).join(', ')}
        onBlur={(event) => {
          const limitIds = parseLimitIds(event.currentTarget.value);
          onChange({ ...query, limitIds: limitIds.length ? limitIds : undefined });
        }}
      />
    </InlineField>
  );
}
