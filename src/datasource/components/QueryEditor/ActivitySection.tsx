import React from 'react';
import { InlineField, InlineFieldRow, InlineSwitch } from '@grafana/ui';
import { labels, selectors } from '../../../selectors';
import { ActivityQuery } from '@shared/query';
import { DimensionList } from './DimensionList';
import { presetGroupBy } from './editorState';
import { PresetButtons } from './PresetButtons';
import { UserLabelField } from './UserLabelField';

interface Props {
  query: ActivityQuery;
  onChange: (query: ActivityQuery) => void;
}

const text = labels.datasource.queryEditor;
const ids = selectors.datasource.queryEditor;

export function ActivitySection({ query, onChange }: Props) {
  const usesUser = query.groupBy.some((spec) => spec.dimension === 'user');
  return (
    <>
      <PresetButtons
        groupBy={query.groupBy}
        onApply={(preset) => onChange({ ...query, groupBy: presetGroupBy(preset) })}
      />
      <DimensionList groupBy={query.groupBy} onChange={(groupBy) => onChange({ ...query, groupBy })} />
      <InlineFieldRow>
        <InlineField
          label={text.showOther}
          labelWidth={16}
          tooltip="Add a row for the calls in buckets cut by the sizes"
        >
          <InlineSwitch
            data-testid={ids.showOther}
            value={query.showOther}
            onChange={(event) => onChange({ ...query, showOther: event.currentTarget.checked })}
          />
        </InlineField>
        <InlineField label={text.shareOfTotal} tooltip="Add a Share column: the fraction of all calls in the range">
          <InlineSwitch
            data-testid={ids.shareOfTotal}
            value={query.shareOfTotal}
            onChange={(event) => onChange({ ...query, shareOfTotal: event.currentTarget.checked })}
          />
        </InlineField>
      </InlineFieldRow>
      {usesUser && (
        <UserLabelField value={query.userLabel} onChange={(userLabel) => onChange({ ...query, userLabel })} />
      )}
    </>
  );
}
