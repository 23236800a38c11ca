import { createRedactor, DEFAULT_REDACTION_RULES, DREAMFACTORY_REDACTED, REDACTED } from '.';

const KEY = Buffer.alloc(32, 7);
const redactor = createRedactor({ ...DEFAULT_REDACTION_RULES, fingerprintKey: KEY });
const MARKER = /^\[redacted:[0-9a-f]{8}\]$/;
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VyX2lkIjozfQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const fp = (secret: string) => redactor.redactSecretValue(secret) as string;

describe('redactSecretValue', () => {
  it('keeps a short keyed fingerprint: the same secret always gives the same marker, another secret another', () => {
    expect(fp('hunter2')).toMatch(MARKER);
    expect(fp('hunter2')).toBe(fp('hunter2'));
    expect(fp('hunter3')).not.toBe(fp('hunter2'));
    const otherInstallation = createRedactor({ ...DEFAULT_REDACTION_RULES, fingerprintKey: Buffer.alloc(32, 8) });
    expect(otherInstallation.redactSecretValue('hunter2')).not.toBe(fp('hunter2'));
  });

  it('says only "redacted" without a fingerprint key', () => {
    expect(createRedactor(DEFAULT_REDACTION_RULES).redactSecretValue('hunter2')).toBe(REDACTED);
  });

  it('keeps the authorization scheme, fingerprinting the token as it appears elsewhere', () => {
    expect(redactor.redactSecretValue(`Bearer ${JWT}`)).toBe(`Bearer ${fp(JWT)}`);
    expect(redactor.redactSecretValue('basic amFuZTpodW50ZXIy')).toBe(`basic ${fp('amFuZTpodW50ZXIy')}`);
  });

  it('redacts numbers and every leaf of objects and arrays, keeping their shape', () => {
    expect(redactor.redactSecretValue(123456)).toBe(fp('123456'));
    expect(redactor.redactSecretValue({ user: 'jane', password: 'x', ttl: 60, ok: true, list: ['a'] })).toEqual({
      user: fp('jane'),
      password: fp('x'),
      ttl: fp('60'),
      ok: true,
      list: [fp('a')],
    });
  });

  it('leaves empty values, booleans and existing markers alone (redacting twice changes nothing)', () => {
    for (const value of ['', null, true, DREAMFACTORY_REDACTED, REDACTED, fp('x'), `Bearer ${fp('x')}`]) {
      expect(redactor.redactSecretValue(value)).toBe(value);
    }
  });
});

describe('redactString', () => {
  it.each([
    ['a JWT anywhere', `token was ${JWT}.`, `token was ${fp(JWT)}.`],
    ['a JWT with an empty signature', 'eyJhbGciOiJub25lIn0.eyJ1c2VyX2lkIjozfQ.', fp('eyJhbGciOiJub25lIn0.eyJ1c2VyX2lkIjozfQ.')],
    ['a Bearer token in text', 'upstream got Authorization: Bearer abcdefghijklmnop today', `upstream got Authorization: Bearer ${fp('abcdefghijklmnop')} today`],
    ['a Bearer header value of any length', 'Bearer abc', `Bearer ${fp('abc')}`],
    ['Basic credentials', 'Basic amFuZTpodW50ZXIy', `Basic ${fp('amFuZTpodW50ZXIy')}`],
    ['a password in a URL', 'mysql://root:s3cret@db:3306/df', `mysql://root:${fp('s3cret')}@db:3306/df`],
    ['an assignment in text', 'login failed: password=hunter2 user=jane', `login failed: password=${fp('hunter2')} user=jane`],
    ['a quoted assignment in text', 'body was {"password": "hun ter2"', `body was {"password": "${fp('hun ter2')}"`],
    ['escaped JSON in text', 'body: {\\"password\\":\\"hunter2\\"}', `body: {\\"password\\":\\"${fp('hunter2')}\\"}`],
  ])('replaces %s', (_name, input, expected) => {
    expect(redactor.redactString(input)).toBe(expected);
  });

  it.each([
    ['prose about bearers', 'the bearer of bad news'],
    ['"Basic" that is no credential', 'Basic settings changed'],
    ['a user agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36'],
    ['a URI without secrets', '/api/v2/db/_table/contact?limit=5&filter=(email%20like%20%27a%25%27)'],
    ['metadata about a token', 'token_type=bearer&expires_in=3600'],
    ['a JSON body without secrets, formatted', '{ "email": "jane@example.com",\n  "first_name": "Zo\\u00eb" }'],
    ['a date', '2026-11-23 10:00:00'],
    ['a marker', '[redacted:1a2b3c4d]'],
  ])('leaves %s byte for byte', (_name, input) => {
    expect(redactor.redactString(input)).toBe(input);
  });

  it('redacts the whole value under a secret key', () => {
    expect(redactor.redactString('anything at all', 'X-Api-Key')).toBe(fp('anything at all'));
  });

  describe('bodies', () => {
    it('parses a JSON body, redacts it as a tree and re-serialises it', () => {
      const body = JSON.stringify({ email: 'jane@example.com', password: 'hunter2', nested: [{ note: JWT }] });
      expect(JSON.parse(redactor.redactString(body))).toEqual({ email: 'jane@example.com', password: fp('hunter2'), nested: [{ note: fp(JWT) }] });
    });

    it('follows a JSON body inside a JSON body', () => {
      const inner = JSON.stringify({ token: 'abc12345' });
      expect(JSON.parse(JSON.parse(redactor.redactString(JSON.stringify({ raw: inner }))).raw)).toEqual({ token: fp('abc12345') });
    });

    it('finds a key spelled with \\u escapes', () => {
      expect(JSON.parse(redactor.redactString('{"pass\\u0077ord":"hunter2"}'))).toEqual({ password: fp('hunter2') });
    });

    it('redacts a form body parameter by parameter, keeping the others byte for byte', () => {
      expect(redactor.redactString('email=jane%40example.com&password=hun%20ter2&remember=1')).toBe(`email=jane%40example.com&password=${fp('hun ter2')}&remember=1`);
      expect(redactor.redactString('user%5Bpassword%5D=hunter2')).toBe(`user%5Bpassword%5D=${fp('hunter2')}`);
    });

    it('redacts a URI query and an OAuth fragment, and tokens in the path', () => {
      expect(redactor.redactString(`/api/v2/db?api_key=k1&limit=5&session_token=${JWT}#access_token=t1&token_type=bearer`)).toBe(
        `/api/v2/db?api_key=${fp('k1')}&limit=5&session_token=${fp(JWT)}#access_token=${fp('t1')}&token_type=bearer`
      );
      expect(redactor.redactString(`/api/v2/user/password/${JWT}`)).toBe(`/api/v2/user/password/${fp(JWT)}`);
      expect(redactor.redactString('/api/v2/db?q=Bearer%20abcdefghijkl')).toBe(`/api/v2/db?q=Bearer%20${fp('abcdefghijkl')}`);
    });

    it('drops a structured body it cannot parse when it holds a secret, and keeps it otherwise', () => {
      expect(redactor.redactString('{"email":"jane","password":"hunter2"')).toBe('[content_redacted]');
      expect(redactor.redactString('<user><password>hunter2</password></user>')).toBe('[content_redacted]');
      expect(redactor.redactString('{"email":"jane"')).toBe('{"email":"jane"');
      expect(redactor.redactString('<p>Hello</p>')).toBe('<p>Hello</p>');
    });

    it('never keeps a multipart body', () => {
      const body = '--XyZ\r\nContent-Disposition: form-data; name="avatar"; filename="a.png"\r\n\r\n\x89PNG\r\n--XyZ--\r\n';
      expect(redactor.redactString(body)).toBe('[content_redacted:multipart]');
    });
  });
});

describe('redactInPlace', () => {
  it('walks every depth: keys by meaning, strings by shape, untouched elsewhere', () => {
    const tree = {
      headers: { authorization: `Bearer ${JWT}`, 'user-agent': 'curl/8.5.0' },
      response: { content: { session_token: JWT, session_id: JWT, token_expiry_date: '2026-11-24 10:00:00', id: 3 } },
      list: [{ deeper: { Password: 'x' } }, JWT, 'plain'],
    };
    redactor.redactInPlace(tree);
    expect(tree).toEqual({
      headers: { authorization: `Bearer ${fp(JWT)}`, 'user-agent': 'curl/8.5.0' },
      response: { content: { session_token: fp(JWT), session_id: fp(JWT), token_expiry_date: '2026-11-24 10:00:00', id: 3 } },
      list: [{ deeper: { Password: fp('x') } }, fp(JWT), 'plain'],
    });
  });

  it('renames a key that is a token', () => {
    const parameters: Record<string, unknown> = { [JWT]: '', limit: '5' };
    redactor.redactInPlace(parameters);
    expect(parameters).toEqual({ [fp(JWT)]: '', limit: '5' });
  });

  it('redacts an own __proto__ key (JSON.parse makes those) instead of setting the prototype', () => {
    const tree = JSON.parse(`{"__proto__": "${JWT}"}`);
    redactor.redactInPlace(tree);
    expect(JSON.stringify(tree)).toBe(`{"__proto__":"${fp(JWT)}"}`);
  });

  it('handles any depth without recursion', () => {
    let deep: Record<string, unknown> = { password: 'x' };
    for (let i = 0; i < 100_000; i++) {
      deep = { d: deep };
    }
    expect(() => redactor.redactInPlace(deep)).not.toThrow();
  });

  it('is idempotent', () => {
    const tree = { content: 'email=a&password=b', uri: `/x?token=${JWT}`, note: `Bearer ${JWT}`, pwd: 'p' };
    redactor.redactInPlace(tree);
    const once = JSON.stringify(tree);
    redactor.redactInPlace(tree);
    expect(JSON.stringify(tree)).toBe(once);
  });
});
