import { labels } from '../selectors';
import { describeFailure, PERMISSION_DENIED } from './limitsApi';
import { ProxyError } from './proxyClient';

/** What a page sees when the proxy refused the token: Grafana's 400, its text wrapped by Grafana's frontend. */
const GRAFANA_AUTH_FAILED = {
  message: 'Authentication to data source failed',
  error: 'Bad Request',
  response: 'Authentication to data source failed',
};

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
    [502, { message: 'Bad Gateway' }, 'The Insights proxy is unreachable', undefined],
    [0, undefined, 'The Insights proxy is unreachable', undefined],
  ])('HTTP %i %j reads as "%s"', (status, body, title, field) => {
    const message = (body as { error?: string; message?: string } | undefined)?.error ?? 'failed';
    const failure = describeFailure(new ProxyError(message, status, body));
    expect(failure.title).toBe(title);
    expect(failure.field).toBe(field);
    expect(failure.message).toContain(message);
  });

  it("reads Grafana's 400 for the proxy's 401 as a wrong or rotated proxy token", () => {
    const failure = describeFailure(new ProxyError(labels.proxyTokenRejected, 400, GRAFANA_AUTH_FAILED));
    expect(failure).toEqual({ title: labels.proxyTokenRejected, message: labels.proxyTokenRejectedDetail });
  });

  it('keeps an ordinary 400 without a relay envelope an ordinary failure', () => {
    expect(describeFailure(new ProxyError('Invalid JSON body', 400, { error: 'Invalid JSON body' })).title).toBe(
      'The Insights proxy failed'
    );
  });
});
