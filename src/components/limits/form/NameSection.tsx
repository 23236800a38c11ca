import React from 'react';
import { Field, Input, TextArea } from '@grafana/ui';
import { labels, selectors } from '../../../selectors';
import type { FieldErrors, LimitFormValues } from './limitFormState';

interface Props {
  values: LimitFormValues;
  errors: FieldErrors;
  onChange: (changes: Partial<LimitFormValues>) => void;
}

export function NameSection({ values, errors, onChange }: Props) {
  const f = labels.limits.form;
  return (
    <>
      <Field label={f.name} required invalid={Boolean(errors.name)} error={errors.name}>
        <Input
          data-testid={selectors.limits.form.name}
          value={values.name}
          onChange={(e) => onChange({ name: e.currentTarget.value })}
        />
      </Field>
      <Field label={f.description} invalid={Boolean(errors.description)} error={errors.description}>
        <TextArea
          data-testid={selectors.limits.form.description}
          value={values.description}
          rows={2}
          onChange={(e) => onChange({ description: e.currentTarget.value })}
        />
      </Field>
    </>
  );
}
