import React from 'react';
import { Combobox, InlineField, InlineFieldRow, Input, RadioButtonGroup } from '@grafana/ui';
import { labels, selectors } from '../../../selectors';
import { DEFAULT_DIMENSION_SIZE, Dimension, TimeseriesQuery } from '@shared/query';
import { parseSize, setSplit } from './editorState';
import { EMPTY_BUCKET_OPTIONS, dimensionOptions } from './options';
import { IntervalField } from './IntervalField';
import { UserLabelField } from './UserLabelField';

interface Props {
  query: TimeseriesQuery;
  onChange: (query: TimeseriesQuery) => void;
}

const text = labels.datasource.queryEditor;
const ids = selectors.datasource.queryEditor;
const NO_SPLIT = '';
const SPLIT_OPTIONS = [{ label: 'Nothing (one total series)', value: NO_SPLIT }, ...dimensionOptions()];

export function TimeseriesSection({ query, onChange }: Props) {
  const split = query.splitBy;
  const onSplitChange = (value: Dimension | typeof NO_SPLIT) => onChange(setSplit(query, value || undefined));
  return (
    <>
      <InlineFieldRow>
        <InlineField label={text.splitBy} labelWidth={16} tooltip="One series per bucket of this dimension">
          <Combobox<string>
            data-testid={ids.splitBy}
            width={28}
            options={SPLIT_OPTIONS}
            value={split?.dimension ?? NO_SPLIT}
            onChange={(option) => onSplitChange(option.value as Dimension | typeof NO_SPLIT)}
          />
        </InlineField>
        {split && (
          <InlineField label={text.size} tooltip="Top N series; the rest are left out">
            <Input
              key={split.size}
              type="number"
              min={1}
              width={10}
              data-testid={ids.splitSize}
              defaultValue={split.size}
              onBlur={(event) =>
                onChange({
                  ...query,
                  splitBy: {
                    ...split,
                    size: parseSize(event.currentTarget.value, split.size ?? DEFAULT_DIMENSION_SIZE),
                  },
                })
              }
            />
          </InlineField>
        )}
      </InlineFieldRow>
      <InlineFieldRow>
        <IntervalField value={query.interval} onChange={(interval) => onChange({ ...query, interval })} />
        <InlineField label={text.emptyBuckets} data-testid={ids.emptyBuckets}>
          <RadioButtonGroup
            options={EMPTY_BUCKET_OPTIONS}
            value={query.emptyBuckets}
            onChange={(emptyBuckets) => onChange({ ...query, emptyBuckets })}
          />
        </InlineField>
      </InlineFieldRow>
      {split?.dimension === 'user' && (
        <UserLabelField value={query.userLabel} onChange={(userLabel) => onChange({ ...query, userLabel })} />
      )}
    </>
  );
}
