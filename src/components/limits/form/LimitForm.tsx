import React, { useMemo, useReducer, useState } from 'react';
import { Alert, Button, FieldSet, Stack } from '@grafana/ui';
import type { LimitInput, LimitView } from '@shared/limits-api';
import { hierarchyWarnings, limitTypeInfo, parseRate, toLimitInput } from '@shared/limits';
import { describeFailure, type Failure, type LimitsApi } from '../../../api/limitsApi';
import { selectors } from '../../../selectors';
import { useWriteAccess } from '../../../hooks/useLimitsApi';
import { HierarchyWarnings } from '../HierarchyWarnings';
import { WriteGuard } from '../WriteGuard';
import { NameSection } from './NameSection';
import { RateSection } from './RateSection';
import { ScopeSection } from './ScopeSection';
import {
  changedFields,
  checkForm,
  EMPTY_FORM,
  fromLimitView,
  limitFormReducer,
  toCandidate,
  type LimitFormValues,
} from './limitFormState';

interface Props {
  api: LimitsApi;
  /** The stored limit when editing. */
  limit?: LimitView;
  /** Every limit, for the hierarchy warnings. */
  allLimits: readonly LimitView[];
  onSaved: () => void;
  onCancel: () => void;
}

export function LimitForm({ api, limit, allLimits, onSaved, onCancel }: Props) {
  const [state, dispatch] = useReducer(limitFormReducer, {
    values: limit ? fromLimitView(limit) : EMPTY_FORM,
    errors: {},
  });
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<Failure>();
  const { canWrite } = useWriteAccess();
  const { values, errors } = state;
  const onChange = (changes: Partial<LimitFormValues>) => dispatch({ kind: 'set', changes });
  const warnings = useWarnings(values, allLimits, limit?.id);

  const onSubmit = async (event: React.FormEvent) => {
    event.preventDefault();
    setFailure(undefined);
    const checked = checkForm(values);
    if ('errors' in checked) {
      dispatch({ kind: 'errors', errors: checked.errors });
      return;
    }
    setSaving(true);
    try {
      await save(api, checked.input, limit);
      onSaved();
    } catch (err) {
      const described = describeFailure(err);
      if (described.field && isShown(described.field, values)) {
        dispatch({ kind: 'errors', errors: { [described.field]: described.message } });
      } else {
        setFailure(described);
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={onSubmit} data-testid={selectors.limits.form.container} noValidate style={{ maxWidth: 720 }}>
      <FieldSet disabled={!canWrite}>
        <NameSection values={values} errors={errors} onChange={onChange} />
        <ScopeSection api={api} values={values} errors={errors} onChange={onChange} />
        <RateSection values={values} errors={errors} onChange={onChange} />
      </FieldSet>
      <Stack direction="column" gap={2}>
        <HierarchyWarnings warnings={warnings} testId={selectors.limits.form.warnings} />
        {failure && (
          <Alert severity="error" title={failure.title} data-testid={selectors.limits.form.error}>
            {failure.message}
          </Alert>
        )}
        <Stack gap={1}>
          <WriteGuard>
            <Button type="submit" disabled={saving} data-testid={selectors.limits.form.submit}>
              {limit ? 'Save limit' : 'Create limit'}
            </Button>
          </WriteGuard>
          <Button variant="secondary" fill="outline" onClick={onCancel} data-testid={selectors.limits.form.cancel}>
            Cancel
          </Button>
        </Stack>
      </Stack>
    </form>
  );
}

async function save(api: LimitsApi, input: LimitInput, stored?: LimitView): Promise<void> {
  if (!stored) {
    await api.create(input);
    return;
  }
  const changes = changedFields(input, stored);
  if (Object.keys(changes).length > 0) {
    await api.update(stored.id, changes);
  }
}

/** Whether the form shows an input for `field` (else a server message about it goes to the alert). */
function isShown(field: keyof LimitInput, values: LimitFormValues): boolean {
  const type = values.type ? limitTypeInfo(values.type) : undefined;
  const needs = { user_id: type?.userId, role_id: type?.roleId, service_id: type?.serviceId, endpoint: type?.endpoint };
  return field in needs ? (needs[field as keyof typeof needs] ?? 'none') !== 'none' : true;
}

/** Warnings for the limit as currently filled in; none until type, rate and period make sense. */
function useWarnings(values: LimitFormValues, allLimits: readonly LimitView[], id?: number): string[] {
  return useMemo(() => {
    const rate = parseRate(values.rate.trim());
    if (!values.type || !values.period || rate === undefined || rate < 1) {
      return [];
    }
    const candidate = { ...(toCandidate(values) as LimitInput), rate, id };
    return hierarchyWarnings(
      candidate,
      allLimits.map((l) => ({ ...toLimitInput(l), id: l.id }))
    );
  }, [values, allLimits, id]);
}
