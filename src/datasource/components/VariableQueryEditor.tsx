import React, { useEffect } from 'react';
import { QueryEditorProps } from '@grafana/data';
import { InlineField, RadioButtonGroup } from '@grafana/ui';
import type { InsightsQuery } from '@shared/query';
import { labels, selectors } from '../../selectors';
import type { DataSource } from '../datasource';
import { VARIABLE_KINDS, type VariableKind } from '@shared/datasource-api';
import { InsightsOptions, InsightsVariableQuery } from '../types';

const KIND_OPTIONS = VARIABLE_KINDS.map((kind) => ({ label: kind[0].toUpperCase() + kind.slice(1), value: kind }));

type Props = QueryEditorProps<DataSource, InsightsQuery, InsightsOptions, InsightsVariableQuery>;

export function VariableQueryEditor({ query, onChange }: Props) {
  // A new variable starts with an empty query (sometimes a string): settle on users so the preview has values.
  const kind: VariableKind = VARIABLE_KINDS.includes(query?.kind) ? query.kind : 'users';
  const refId = query?.refId ?? 'variable';
  useEffect(() => {
    if (query?.kind !== kind) {
      onChange({ refId, kind });
    }
  }, [query?.kind, kind, refId, onChange]);

  return (
    <InlineField
      label={labels.datasource.variableEditor.kind}
      labelWidth={14}
      data-testid={selectors.datasource.variableEditor.kind}
    >
      <RadioButtonGroup<VariableKind>
        options={KIND_OPTIONS}
        value={kind}
        onChange={(value) => onChange({ refId, kind: value })}
      />
    </InlineField>
  );
}
