import { describeFailure, PERMISSION_DENIED } from './limitsApi';
import { ProxyError } from './proxyClient';

describe('describeFailure', () => {
  it.each([
    [403, { error: 'Grant missing', source: 'permission' }, PERMISSION_DENIED, undefined],
    [403, { message: 'Permission denied' }, PERMISSION_DENIED, undefined],
    [
      400,
      { error: 'No role_id exists for X limit.', field: 'role_id', source: 'dreamfactory' },
      'DreamFactory refused the request',
      'role_id',
    ],
    [
      400,
      { error: 'The name field is required.', field: 'name', source: 'validation' },
      'The limit is not valid',
      'name',
    ],
    [
      502,
      { error: 'DreamFactory could not be reached', source: 'unreachable' },
      'DreamFactory is unreachable',
      undefined,
    ],
    [401, { error: 'Missing or wrong proxy token' }, "The Insights proxy refused the datasource's token", undefined],
    [502, { message: 'Bad Gateway' }, 'The Insights proxy is unreachable', undefined],
    [0, undefined, 'The Insights proxy is unreachable', undefined],
  ])('HTTP %i %j reads as "%s"', (status, body, title, field) => {
    const message = (body as { error?: string; message?: string } | undefined)?.error ?? 'failed';
    const failure = describeFailure(new ProxyError(message, status, body));
    expect(failure.title).toBe(title);
    expect(failure.field).toBe(field);
    expect(failure.message).toContain(message);
  });
});
