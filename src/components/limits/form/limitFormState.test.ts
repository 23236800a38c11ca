import {
  changedFields,
  checkForm,
  EMPTY_FORM,
  limitFormReducer,
  toCandidate,
  type LimitFormValues,
} from './limitFormState';
import { limitView } from '../testing/relayMock';

const valid: LimitFormValues = {
  ...EMPTY_FORM,
  name: 'Cap',
  type: 'instance.user.service.endpoint',
  userId: 7,
  serviceId: 4,
  endpoint: '/_table/contacts*/',
  rate: ' 50 ',
  period: 'hour',
};

describe('limit form state', () => {
  it('sends only the ids and endpoint the type uses', () => {
    const switched = { ...valid, type: 'instance.role' as const, roleId: 2 };
    expect(toCandidate(switched)).toMatchObject({ user_id: null, role_id: 2, service_id: null, endpoint: null });
  });

  it('passes valid input with the rate as a number and the endpoint as typed (DreamFactory trims it)', () => {
    expect(checkForm(valid)).toEqual({
      input: expect.objectContaining({
        rate: 50,
        user_id: 7,
        service_id: 4,
        endpoint: '/_table/contacts*/',
        description: null,
      }),
    });
  });

  it.each([
    [{ rate: '0' }, 'rate', 'Limit rate must be an integer. Limit not saved.'],
    [{ rate: 'ten' }, 'rate', 'Limit rate must be an integer. Limit not saved.'],
    [{ userId: null }, 'user_id', 'user_id must be specified with this limit type. Limit: Cap'],
    [{ endpoint: ' // ' }, 'endpoint', 'endpoint must be specified with this limit type.'],
    [{ name: '  ' }, 'name', 'The name field is required.'],
  ])('refuses %j with DreamFactory’s message on %s', (change, field, message) => {
    expect(checkForm({ ...valid, ...change })).toEqual({ errors: { [field]: message } });
  });

  it('clears the message of a field when that field changes, and only that one', () => {
    const state = { values: valid, errors: { rate: 'bad', user_id: 'missing' } };
    expect(limitFormReducer(state, { kind: 'set', changes: { userId: 8 } }).errors).toEqual({ rate: 'bad' });
  });

  it('PATCHes only changed fields of a stored limit', () => {
    const stored = limitView({ id: 5, name: 'Cap', type: 'instance.user', userId: 7, rate: 50, period: 'hour' });
    const checked = checkForm({
      ...EMPTY_FORM,
      name: 'Cap',
      type: 'instance.user',
      userId: 7,
      rate: '60',
      period: 'hour',
    });
    expect('input' in checked && changedFields(checked.input, stored)).toEqual({ rate: 60 });
  });
});
