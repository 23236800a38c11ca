/**
 * The default secret keys and words: configuration defaults (config.ts) and the redactor's rules (redaction/) both
 * start from these, so they live below both. README.md "Secrets" documents them.
 */
import { DREAMFACTORY_API_KEY_HEADER, DREAMFACTORY_SESSION_TOKEN_HEADER } from '@shared/headers';

/** DreamFactory's own redaction list (docs/dreamfactory.md#context-and-secrets) plus session fields older versions logged. */
export const DEFAULT_SECRET_KEYS: readonly string[] = [
  'authorization',
  'cookie',
  'set-cookie',
  DREAMFACTORY_SESSION_TOKEN_HEADER,
  DREAMFACTORY_API_KEY_HEADER,
  'x-mcp-internal-key',
  'session_token',
  'session_id',
  'api_key',
  'password',
  'secret',
  'client_secret',
  'access_token',
  'refresh_token',
  'id_token',
  'jwt',
  'token',
  'lookup',
  'lookup_secret',
  // DreamFactory's password reset: the security answer and the emailed confirmation code both reset a password.
  'security_answer',
  'confirm_code',
];

/**
 * Words that make a key secret wherever they stand in it. A word of the key also matches when it ends with one of
 * these (`accesstoken`, `newpassword`, `xapikey`, `phpsessid`), or starts with `password`/`passwd`.
 */
export const DEFAULT_SECRET_WORDS: readonly string[] = [
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'passcode',
  'secret',
  'secrets',
  'token',
  'tokens',
  'jwt',
  'bearer',
  'authorization',
  'cookie',
  'cookies',
  'credential',
  'credentials',
  'apikey',
  'apikeys',
  'privatekey',
  'sessionid',
  'sessid',
];
