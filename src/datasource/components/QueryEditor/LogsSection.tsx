import React from 'react';
import { InlineField, Input } from '@grafana/ui';
import { labels, selectors } from '../../../selectors';
import { LogsQuery } from '@shared/query';
import { parseSize } from './editorState';

interface Props {
  query: LogsQuery;
  onChange: (query: LogsQuery) => void;
}

export function LogsSection({ query, onChange }: Props) {
  return (
    <InlineField
      label={labels.datasource.queryEditor.logsLimit}
      labelWidth={16}
      tooltip="Newest events first, at most 5000"
    >
      <Input
        key={query.limit}
        type="number"
        min={1}
        max={5000}
        width={12}
        data-testid={selectors.datasource.queryEditor.logsLimit}
        defaultValue={query.limit}
        onBlur={(event) => onChange({ ...query, limit: parseSize(event.currentTarget.value, query.limit) })}
      />
    </InlineField>
  );
}
