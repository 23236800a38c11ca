import React from 'react';
import { InlineField, InlineFieldRow, RadioButtonGroup } from '@grafana/ui';
import { labels, selectors } from '../../../selectors';
import { LimitTripsFormat, LimitTripsQuery } from '@shared/query';
import { IntervalField } from './IntervalField';
import { LimitDimensionField, LimitSizeField, showsUsers } from './LimitHistoryFields';
import { LimitIdsField } from './LimitIdsField';
import { TRIPS_FORMAT_OPTIONS } from './options';
import { UserLabelField } from './UserLabelField';

interface Props {
  query: LimitTripsQuery;
  onChange: (query: LimitTripsQuery) => void;
}

const text = labels.datasource.queryEditor;

/** Trips (a counter reaching its maximum, once per window): one row each, counts per group, or counts over time. */
export function LimitTripsSection({ query, onChange }: Props) {
  const grouped = query.format !== 'table';
  return (
    <>
      <InlineField label={text.tripsFormat} labelWidth={16} data-testid={selectors.datasource.queryEditor.tripsFormat}>
        <RadioButtonGroup<LimitTripsFormat>
          options={TRIPS_FORMAT_OPTIONS}
          value={query.format}
          onChange={(format) => onChange({ ...query, format })}
        />
      </InlineField>
      <InlineFieldRow>
        {grouped && (
          <LimitDimensionField
            label={text.limitGroupBy}
            nothing="Nothing (all trips together)"
            value={query.groupBy}
            onChange={(groupBy) => onChange({ ...query, groupBy })}
          />
        )}
        {(!grouped || query.groupBy) && (
          <LimitSizeField
            value={query.size}
            tooltip={grouped ? 'The groups with the most trips' : 'The newest trips'}
            onChange={(size) => onChange({ ...query, size })}
          />
        )}
      </InlineFieldRow>
      {query.format === 'timeseries' && (
        <IntervalField value={query.interval} onChange={(interval) => onChange({ ...query, interval })} />
      )}
      <LimitIdsField value={query.limitIds} onChange={(limitIds) => onChange({ ...query, limitIds })} />
      {(!grouped || showsUsers(query.groupBy)) && (
        <UserLabelField value={query.userLabel} onChange={(userLabel) => onChange({ ...query, userLabel })} />
      )}
    </>
  );
}
