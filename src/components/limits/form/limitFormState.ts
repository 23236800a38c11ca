/**
 * The limit form's state as a pure reducer: values as the inputs hold them, the message shown next to each field, and
 * the conversion to what the relay receives (only the fields the chosen type needs).
 */
import type { LimitInput, LimitPeriod, LimitType, LimitVerb, LimitView } from '@shared/limits-api';
import { limitTypeInfo, toLimitInput, validateLimit, type LimitCandidate } from '@shared/limits';

export interface LimitFormValues {
  name: string;
  description: string;
  type?: LimitType;
  userId: number | null;
  roleId: number | null;
  serviceId: number | null;
  endpoint: string;
  verb: LimitVerb | null;
  /** As typed; validated with DreamFactory's integer rule. */
  rate: string;
  period?: LimitPeriod;
  isActive: boolean;
}

export type FieldErrors = Partial<Record<keyof LimitInput, string>>;

export interface LimitFormState {
  values: LimitFormValues;
  errors: FieldErrors;
}

export type LimitFormAction =
  | { kind: 'set'; changes: Partial<LimitFormValues> }
  | { kind: 'errors'; errors: FieldErrors }
  | { kind: 'load'; limit: LimitView };

export const EMPTY_FORM: LimitFormValues = {
  name: '',
  description: '',
  userId: null,
  roleId: null,
  serviceId: null,
  endpoint: '',
  verb: null,
  rate: '',
  isActive: true,
};

/** Which input holds each LimitInput field, so a message for a field clears when that input changes. */
const FIELD_OF: Record<keyof LimitFormValues, keyof LimitInput> = {
  name: 'name',
  description: 'description',
  type: 'type',
  userId: 'user_id',
  roleId: 'role_id',
  serviceId: 'service_id',
  endpoint: 'endpoint',
  verb: 'verb',
  rate: 'rate',
  period: 'period',
  isActive: 'is_active',
};

export function fromLimitView(limit: LimitView): LimitFormValues {
  return {
    name: limit.name,
    description: limit.description ?? '',
    type: limit.type,
    userId: limit.userId,
    roleId: limit.roleId,
    serviceId: limit.serviceId,
    endpoint: limit.endpoint ?? '',
    verb: limit.verb,
    rate: String(limit.rate),
    period: limit.period,
    isActive: limit.isActive,
  };
}

export function limitFormReducer(state: LimitFormState, action: LimitFormAction): LimitFormState {
  switch (action.kind) {
    case 'set': {
      const errors = { ...state.errors };
      for (const key of Object.keys(action.changes) as Array<keyof LimitFormValues>) {
        delete errors[FIELD_OF[key]];
      }
      return { values: { ...state.values, ...action.changes }, errors };
    }
    case 'errors':
      return { ...state, errors: action.errors };
    case 'load':
      return { values: fromLimitView(action.limit), errors: {} };
  }
}

/** The form as DreamFactory would receive it: ids and endpoint the type doesn't use are sent as null (DF nulls them). */
export function toCandidate(values: LimitFormValues): LimitCandidate {
  const t = values.type ? limitTypeInfo(values.type) : undefined;
  const uses = (need: 'required' | 'optional' | 'none' | undefined) => need !== undefined && need !== 'none';
  const trimmed = values.rate.trim();
  return {
    name: values.name.trim(),
    description: values.description.trim() || null,
    type: values.type,
    rate: trimmed === '' ? undefined : trimmed,
    period: values.period,
    user_id: uses(t?.userId) ? values.userId : null,
    role_id: uses(t?.roleId) ? values.roleId : null,
    service_id: uses(t?.serviceId) ? values.serviceId : null,
    endpoint: uses(t?.endpoint) ? values.endpoint.trim() || null : null,
    verb: values.verb,
    is_active: values.isActive,
  };
}

/** Valid input, or DreamFactory's message for the first problem, keyed by the field it concerns. */
export function checkForm(values: LimitFormValues): { input: LimitInput } | { errors: FieldErrors } {
  const candidate = toCandidate(values);
  const problem = validateLimit(candidate);
  if (problem?.invalid) {
    // DreamFactory reports missing/invalid fields as one batch message; each field gets its own sentence here.
    const entries = Object.entries(problem.invalid).map(([field, messages]) => [field, messages.join(' ')]);
    return { errors: Object.fromEntries(entries) as FieldErrors };
  }
  if (problem) {
    return { errors: { [problem.field]: problem.message } };
  }
  return { input: { ...candidate, rate: Number(candidate.rate) } as LimitInput };
}

/** The fields of `input` that differ from the stored limit: what an edit PATCHes. */
export function changedFields(input: LimitInput, stored: LimitView): Partial<LimitInput> {
  const before = toLimitInput(stored);
  const changes: Partial<LimitInput> = {};
  for (const key of Object.keys(input) as Array<keyof LimitInput>) {
    if ((input[key] ?? null) !== (before[key] ?? null)) {
      (changes as Record<string, unknown>)[key] = input[key];
    }
  }
  return changes;
}
