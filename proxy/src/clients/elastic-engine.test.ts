import { errors } from '@elastic/elasticsearch';
import { isSecurityDisabled } from './elastic-engine';

const answer = (statusCode: number, body: unknown) => new errors.ResponseError({ statusCode, body, headers: {}, warnings: null, meta: {} as never });

describe('isSecurityDisabled', () => {
  it('reads "security off" from each Elasticsearch version\'s answer to the security API', () => {
    // Elasticsearch 9.5.4's minimal distribution with xpack.security.enabled: false, as observed.
    expect(isSecurityDisabled(answer(400, { error: 'no handler found for uri [/_security/_authenticate] and method [GET]', status: 400 }))).toBe(true);
    expect(isSecurityDisabled(answer(405, {}))).toBe(true);
    expect(isSecurityDisabled(answer(500, { error: { reason: 'Security must be explicitly enabled when using a [basic] license' } }))).toBe(true);
  });

  it('does not mistake a real refusal for security being off', () => {
    expect(isSecurityDisabled(answer(401, { error: { type: 'security_exception', reason: 'unable to authenticate user [proxy]' } }))).toBe(false);
    expect(isSecurityDisabled(answer(400, { error: { type: 'illegal_argument_exception', reason: 'bad request' } }))).toBe(false);
  });
});
