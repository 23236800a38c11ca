import React from 'react';
import { Combobox, Field, Input, RadioButtonGroup } from '@grafana/ui';
import type { LimitType, LimitVerb } from '@shared/limits-api';
import { LIMIT_TYPES, LIMIT_VERBS, limitTypeInfo } from '@shared/limits';
import type { LimitsApi } from '../../../api/limitsApi';
import { labels, selectors } from '../../../selectors';
import { DirectoryPicker } from './DirectoryPicker';
import type { FieldErrors, LimitFormValues } from './limitFormState';

interface Props {
  api: LimitsApi;
  values: LimitFormValues;
  errors: FieldErrors;
  onChange: (changes: Partial<LimitFormValues>) => void;
}

/** Who and what a type counts, as a one-line hint in the type picker. */
const TYPE_HINTS: Record<LimitType, string> = {
  instance: 'All calls to the instance, by anyone',
  'instance.user': 'All calls of one user',
  'instance.each_user': 'All calls, counted separately for every user',
  'instance.service': 'All calls to one service, by anyone',
  'instance.role': 'All calls of users with one role',
  'instance.user.service': 'Calls of one user to one service',
  'instance.each_user.service': 'Calls to one service, counted separately for every user',
  'instance.service.endpoint': 'Calls to an endpoint of one service, by anyone',
  'instance.user.service.endpoint': 'Calls of one user to an endpoint of one service',
  'instance.each_user.service.endpoint': 'Calls to an endpoint of one service, counted separately for every user',
};

const TYPE_OPTIONS = LIMIT_TYPES.map((t) => ({ label: t.label, value: t.type, description: TYPE_HINTS[t.type] }));

const ALL_VERBS = 'ALL';
const VERB_OPTIONS = [{ label: 'All verbs', value: ALL_VERBS }, ...LIMIT_VERBS.map((v) => ({ label: v, value: v }))];

const ENDPOINT_HINT =
  'Path below the service, e.g. _table/contacts. Leading and trailing "/" are trimmed. End it with * to match every ' +
  'path that starts with it (e.g. _table/*).';

/** The limit type and the user, role, service, endpoint and verb it applies to; only what the type needs is shown. */
export function ScopeSection({ api, values, errors, onChange }: Props) {
  const type = values.type ? limitTypeInfo(values.type) : undefined;
  const f = labels.limits.form;
  return (
    <>
      <Field
        label={f.type}
        required
        invalid={Boolean(errors.type)}
        error={errors.type}
        description={
          type?.eachUser ? (
            <span data-testid={selectors.limits.form.eachUserNote}>
              Counted separately for every user (only calls with a session token or basic auth count). DreamFactory can
              only reset these counters for all users at once, not for one user.
            </span>
          ) : undefined
        }
      >
        <Combobox
          data-testid={selectors.limits.form.type}
          options={TYPE_OPTIONS}
          value={values.type ?? null}
          placeholder="Choose what the limit counts"
          onChange={(option) => onChange({ type: option.value })}
        />
      </Field>
      {type && type.userId !== 'none' && (
        <DirectoryPicker
          api={api}
          kind="users"
          label={f.user}
          testId={selectors.limits.form.user}
          value={values.userId}
          error={errors.user_id}
          onChange={(userId) => onChange({ userId })}
        />
      )}
      {type && type.roleId !== 'none' && (
        <DirectoryPicker
          api={api}
          kind="roles"
          label={f.role}
          testId={selectors.limits.form.role}
          value={values.roleId}
          error={errors.role_id}
          onChange={(roleId) => onChange({ roleId })}
        />
      )}
      {type && type.serviceId !== 'none' && (
        <DirectoryPicker
          api={api}
          kind="services"
          label={f.service}
          testId={selectors.limits.form.service}
          value={values.serviceId}
          error={errors.service_id}
          onChange={(serviceId) => onChange({ serviceId })}
        />
      )}
      {type && type.endpoint !== 'none' && (
        <Field
          label={f.endpoint}
          required={type.endpoint === 'required'}
          description={
            type.endpoint === 'optional'
              ? `${ENDPOINT_HINT} Optional: without one, every call to the service counts.`
              : ENDPOINT_HINT
          }
          invalid={Boolean(errors.endpoint)}
          error={errors.endpoint}
        >
          <Input
            data-testid={selectors.limits.form.endpoint}
            value={values.endpoint}
            placeholder="_table/contacts*"
            onChange={(e) => onChange({ endpoint: e.currentTarget.value })}
          />
        </Field>
      )}
      <Field
        label={f.verb}
        description="By default, all verbs will be limited unless a specific verb is selected for the limit type."
        invalid={Boolean(errors.verb)}
        error={errors.verb}
      >
        {/* A fragment: Field hands invalid/disabled to an element child, which a plain div must not get. */}
        <>
          <div data-testid={selectors.limits.form.verb}>
            <RadioButtonGroup
              options={VERB_OPTIONS}
              value={values.verb ?? ALL_VERBS}
              onChange={(verb) => onChange({ verb: verb === ALL_VERBS ? null : (verb as LimitVerb) })}
            />
          </div>
        </>
      </Field>
    </>
  );
}
