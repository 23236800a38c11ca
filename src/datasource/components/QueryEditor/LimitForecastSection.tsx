import React from 'react';
import { InlineField, InlineFieldRow, InlineSwitch, Input, RadioButtonGroup } from '@grafana/ui';
import { labels, selectors } from '../../../selectors';
import { LimitForecastQuery } from '@shared/query';
import { parsePercent } from './editorState';
import { LimitSizeField } from './LimitHistoryFields';
import { LimitIdsField } from './LimitIdsField';
import { FORECAST_VIEW_OPTIONS } from './options';
import { UserLabelField } from './UserLabelField';

interface Props {
  query: LimitForecastQuery;
  onChange: (query: LimitForecastQuery) => void;
}

const text = labels.datasource.queryEditor;
const ids = selectors.datasource.queryEditor;

/** Counters (or limits) as of the latest sample: near their maximum, or projected to reach it in this window. */
export function LimitForecastSection({ query, onChange }: Props) {
  const percent = Math.round(query.minUsage * 100);
  return (
    <>
      <InlineField label={text.forecastView} labelWidth={16} data-testid={ids.forecastView}>
        <RadioButtonGroup<LimitForecastQuery['view']>
          options={FORECAST_VIEW_OPTIONS}
          value={query.view}
          onChange={(view) => onChange({ ...query, view })}
        />
      </InlineField>
      <InlineFieldRow>
        <InlineField label={text.forecastMinUsage} labelWidth={16} tooltip="Share of the limit used, 0–100 %">
          <Input
            key={percent}
            type="number"
            min={0}
            max={100}
            width={10}
            suffix="%"
            data-testid={ids.forecastMinUsage}
            defaultValue={percent}
            onBlur={(event) =>
              onChange({ ...query, minUsage: parsePercent(event.currentTarget.value, query.minUsage) })
            }
          />
        </InlineField>
        <InlineField
          label={text.forecastProjected}
          tooltip="Also rows that, at their current rate, reach the limit before their window resets (an estimate)"
        >
          <InlineSwitch
            data-testid={ids.forecastProjected}
            value={query.includeProjected}
            onChange={(event) => onChange({ ...query, includeProjected: event.currentTarget.checked })}
          />
        </InlineField>
        <LimitSizeField
          value={query.size}
          tooltip="The most urgent rows"
          onChange={(size) => onChange({ ...query, size })}
        />
      </InlineFieldRow>
      <LimitIdsField value={query.limitIds} onChange={(limitIds) => onChange({ ...query, limitIds })} />
      <UserLabelField value={query.userLabel} onChange={(userLabel) => onChange({ ...query, userLabel })} />
    </>
  );
}
