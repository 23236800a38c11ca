import React from 'react';
import { Field, Input, RadioButtonGroup, Switch } from '@grafana/ui';
import type { LimitPeriod } from '@shared/limits-api';
import { LIMIT_PERIODS } from '@shared/limits';
import { labels, selectors } from '../../../selectors';
import type { FieldErrors, LimitFormValues } from './limitFormState';

interface Props {
  values: LimitFormValues;
  errors: FieldErrors;
  onChange: (changes: Partial<LimitFormValues>) => void;
}

const PERIOD_OPTIONS = LIMIT_PERIODS.map((p) => ({ label: p.label, value: p.period }));

/** How many calls per which window, and whether the limit is enforced. */
export function RateSection({ values, errors, onChange }: Props) {
  const f = labels.limits.form;
  return (
    <>
      <Field
        label={f.rate}
        required
        description="Calls allowed per period"
        invalid={Boolean(errors.rate)}
        error={errors.rate}
      >
        <Input
          data-testid={selectors.limits.form.rate}
          value={values.rate}
          inputMode="numeric"
          width={20}
          onChange={(e) => onChange({ rate: e.currentTarget.value })}
        />
      </Field>
      <Field
        label={f.period}
        required
        invalid={Boolean(errors.period)}
        error={errors.period}
        description={
          <span data-testid={selectors.limits.form.periodNote}>
            A fixed window that starts with the first counted call. Week is 7 days; DreamFactory&apos;s &quot;30
            Days&quot; window actually lasts 210 days.
          </span>
        }
      >
        {/* A fragment: Field hands invalid/disabled to an element child, which a plain div must not get. */}
        <>
          <div data-testid={selectors.limits.form.period}>
            <RadioButtonGroup<LimitPeriod>
              options={PERIOD_OPTIONS}
              value={values.period}
              onChange={(period) => onChange({ period })}
            />
          </div>
        </>
      </Field>
      <Field label={f.active} description="Only active limits are enforced">
        <Switch
          data-testid={selectors.limits.form.active}
          value={values.isActive}
          onChange={() => onChange({ isActive: !values.isActive })}
        />
      </Field>
    </>
  );
}
