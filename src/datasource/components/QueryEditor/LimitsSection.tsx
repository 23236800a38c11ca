import React from 'react';
import { InlineField, InlineSwitch } from '@grafana/ui';
import { labels, selectors } from '../../../selectors';
import { LimitCountersQuery, LimitsQuery } from '@shared/query';
import { LimitIdsField } from './LimitIdsField';

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

export function LimitCountersSection({
  query,
  onChange,
}: {
  query: LimitCountersQuery;
  onChange: (query: LimitCountersQuery) => void;
}) {
  return <LimitIdsField value={query.limitIds} onChange={(limitIds) => onChange({ ...query, limitIds })} />;
}
