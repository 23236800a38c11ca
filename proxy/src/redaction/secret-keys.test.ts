import { DEFAULT_SECRET_KEYS, DEFAULT_SECRET_WORDS } from '../secret-key-defaults';
import { secretKeyClassifier, splitWords } from './secret-keys';

const isSecretKey = secretKeyClassifier({ keys: DEFAULT_SECRET_KEYS, words: DEFAULT_SECRET_WORDS, keepKeys: [] });

describe('secret keys by meaning', () => {
  it.each([
    // DreamFactory's headers, parameters, login response and session fields
    'X-DreamFactory-Session-Token',
    'x-dreamfactory-api-key',
    'x-mcp-internal-key',
    'Authorization',
    'Cookie',
    'Set-Cookie',
    'session_token',
    'session_id',
    'api_key',
    'lookup_secret',
    // passwords in any spelling
    'password',
    'PASSWORD',
    'passwd',
    'pwd',
    'new_password',
    'old_password',
    'newPassword',
    'password_confirmation',
    'db_password',
    'security_answer',
    // tokens
    'token',
    'access_token',
    'accessToken',
    'accesstoken',
    'refresh_token',
    'id_token',
    'remember_token',
    'x-csrf-token',
    'JWTToken',
    'jwt',
    // keys and the like
    'apiKey',
    'APIKey',
    'apikey',
    'x-api-key',
    'X_API_KEY',
    'private_key',
    'privateKey',
    'client_secret',
    'clientSecret',
    'secret',
    'credentials',
    'sessionId',
    'PHPSESSID',
  ])('%s is secret', (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each([
    // describing a secret rather than holding it
    'token_type',
    'token_expiry_date',
    'tokenExpiresAt',
    'api_key_id',
    'password_expired',
    'password_length',
    'security_question',
    // not secrets at all
    'session',
    'user_id',
    'key',
    'key_text',
    'id',
    'email',
    'limit',
    'secretary',
    'tokenizer',
    'monkey',
    'content_type',
    'user-agent',
  ])('%s is not secret', (key) => {
    expect(isSecretKey(key)).toBe(false);
  });

  it('always treats DreamFactory’s own names as secret', () => {
    for (const key of DEFAULT_SECRET_KEYS) {
      expect(isSecretKey(key)).toBe(true);
    }
  });

  it('is extended and reduced by configuration', () => {
    const custom = secretKeyClassifier({ keys: ['ssn'], words: [...DEFAULT_SECRET_WORDS, 'pin'], keepKeys: ['X-CSRF-Token'] });
    expect(custom('SSN')).toBe(true);
    expect(custom('customer_pin')).toBe(true);
    expect(custom('x-csrf-token')).toBe(false);
    expect(custom('password')).toBe(true);
    const withoutCookies = secretKeyClassifier({ keys: [], words: DEFAULT_SECRET_WORDS.filter((w) => !w.startsWith('cookie')), keepKeys: [] });
    expect(withoutCookies('cookie')).toBe(false);
  });

  it('splits keys into words at separators and case changes', () => {
    expect(splitWords('X-DreamFactory-Session-Token')).toEqual(['x', 'dream', 'factory', 'session', 'token']);
    expect(splitWords('sessionID')).toEqual(['session', 'id']);
    expect(splitWords('APIKey')).toEqual(['apikey']);
    expect(splitWords('user[password]')).toEqual(['user', 'password']);
    expect(splitWords('__')).toEqual([]);
  });
});
