/** Pickers shared by the limit-history sections: what to split or group by, and how many. */
import React from 'react';
import { Combobox, InlineField, Input } from '@grafana/ui';
import { labels, selectors } from '../../../selectors';
import { LIMIT_DIMENSIONS, LIMIT_DIMENSION_LABELS, LimitDimension } from '@shared/query';
import { parseSize } from './editorState';

const NOTHING = '';

interface DimensionProps {
  label: string;
  /** What "nothing" means for this query, e.g. "Nothing (the highest of all)". */
  nothing: string;
  value: LimitDimension | null;
  onChange: (value: LimitDimension | null) => void;
}

export function LimitDimensionField({ label, nothing, value, onChange }: DimensionProps) {
  const options = [
    { label: nothing, value: NOTHING },
    ...LIMIT_DIMENSIONS.map((dimension) => ({ label: LIMIT_DIMENSION_LABELS[dimension], value: dimension })),
  ];
  return (
    <InlineField label={label} labelWidth={16}>
      <Combobox<string>
        data-testid={selectors.datasource.queryEditor.limitSplitBy}
        width={30}
        options={options}
        value={value ?? NOTHING}
        onChange={(option) => onChange((option.value || null) as LimitDimension | null)}
      />
    </InlineField>
  );
}

interface SizeProps {
  value: number;
  tooltip: string;
  onChange: (size: number) => void;
}

export function LimitSizeField({ value, tooltip, onChange }: SizeProps) {
  return (
    <InlineField label={labels.datasource.queryEditor.limitSize} tooltip={tooltip}>
      <Input
        key={value}
        type="number"
        min={1}
        width={10}
        data-testid={selectors.datasource.queryEditor.limitSize}
        defaultValue={value}
        onBlur={(event) => onChange(parseSize(event.currentTarget.value, value))}
      />
    </InlineField>
  );
}

/** User labels matter only where users are shown: splits by user or counter. */
export const showsUsers = (dimension: LimitDimension | null) => dimension === 'user' || dimension === 'counter';
