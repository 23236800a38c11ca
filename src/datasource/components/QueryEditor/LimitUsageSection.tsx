import React from 'react';
import { InlineFieldRow } from '@grafana/ui';
import { labels } from '../../../selectors';
import { LimitUsageQuery } from '@shared/query';
import { IntervalField } from './IntervalField';
import { LimitDimensionField, LimitSizeField, showsUsers } from './LimitHistoryFields';
import { LimitIdsField } from './LimitIdsField';
import { UserLabelField } from './UserLabelField';

interface Props {
  query: LimitUsageQuery;
  onChange: (query: LimitUsageQuery) => void;
}

/** Usage (attempts / max) over time from the limit sampler's history. */
export function LimitUsageSection({ query, onChange }: Props) {
  return (
    <>
      <InlineFieldRow>
        <LimitDimensionField
          label={labels.datasource.queryEditor.limitSplitBy}
          nothing="Nothing (the highest usage of all)"
          value={query.splitBy}
          onChange={(splitBy) => onChange({ ...query, splitBy })}
        />
        {query.splitBy && (
          <LimitSizeField
            value={query.size}
            tooltip="The series with the highest peaks; the rest are left out"
            onChange={(size) => onChange({ ...query, size })}
          />
        )}
      </InlineFieldRow>
      <IntervalField value={query.interval} onChange={(interval) => onChange({ ...query, interval })} />
      <LimitIdsField value={query.limitIds} onChange={(limitIds) => onChange({ ...query, limitIds })} />
      {showsUsers(query.splitBy) && (
        <UserLabelField value={query.userLabel} onChange={(userLabel) => onChange({ ...query, userLabel })} />
      )}
    </>
  );
}
