import React from 'react';
import { InlineField, RadioButtonGroup } from '@grafana/ui';
import { labels, selectors } from '../../../selectors';
import { UserLabelMode } from '@shared/query';
import { USER_LABEL_OPTIONS } from './options';

interface Props {
  value?: UserLabelMode;
  onChange: (value: UserLabelMode) => void;
}

export function UserLabelField({ value, onChange }: Props) {
  return (
    <InlineField
      label={labels.datasource.queryEditor.userLabel}
      labelWidth={16}
      data-testid={selectors.datasource.queryEditor.userLabel}
    >
      <RadioButtonGroup<UserLabelMode> options={USER_LABEL_OPTIONS} value={value ?? 'email'} onChange={onChange} />
    </InlineField>
  );
}
