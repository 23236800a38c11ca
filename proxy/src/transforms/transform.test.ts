import { SignJWT } from 'jose';
import type { ReceivedMessage } from '../pipeline-types';
import { createRedactor, DEFAULT_REDACTION_RULES, DREAMFACTORY_REDACTED } from '../redaction';
import { transformMessage, TransformOptions, TransformResult } from './transform';
import dfGelfInput from './__fixtures__/df-gelf-input.json';
import dfGelfOutput from './__fixtures__/df-gelf-output.json';

/** A fixed fingerprint key, so the golden file's markers are stable. */
const redactor = createRedactor({ ...DEFAULT_REDACTION_RULES, fingerprintKey: Buffer.alloc(32, 1) });
const OPTIONS: TransformOptions = { redactor, dropDuplicateTableEvents: true };
const MARKER = /^\[redacted:[0-9a-f]{8}\]$/;
const RECEIVED = new Date('2026-11-23T10:00:00.000Z');

/** A message as a source hands it over: the body freshly parsed from its payload (the transform may change it). */
const gelf = (body: Record<string, unknown>, extra: Partial<ReceivedMessage> = {}): ReceivedMessage => ({
  source: 'gelf_udp',
  format: 'gelf',
  body: structuredClone(body),
  payload: Buffer.from(JSON.stringify(body)),
  receivedAt: RECEIVED,
  remoteAddress: '10.1.2.3',
  ...extra,
});
const json = (body: Record<string, unknown>, extra: Partial<ReceivedMessage> = {}) => gelf(body, { source: 'json_tcp', format: 'json', remotePort: 40001, ...extra });

function doc(message: ReceivedMessage, options = OPTIONS): Record<string, any> {
  const result = transformMessage(message, options);
  if ('drop' in result) {
    throw new Error(`dropped: ${result.drop}`);
  }
  return JSON.parse(result.event.json);
}

/** The result with the serialised document read back, to compare with the golden file. */
const parsed = (result: TransformResult) => ('drop' in result ? result : { event: { id: result.event.id, doc: JSON.parse(result.event.json) } });

const jwt = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('test-secret-test-secret-32-bytes!'));

describe('transformMessage', () => {
  it('turns a DreamFactory GELF message into the documented document (golden file)', () => {
    const result = transformMessage(gelf(dfGelfInput), OPTIONS);
    expect(parsed(result)).toEqual(dfGelfOutput);
    expect('event' in result && result.event.timestamp).toBe(dfGelfOutput.event.doc['@timestamp']);
  });

  describe('message text', () => {
    it.each([
      ['full_message when short_message is null (DreamFactory)', { short_message: null, full_message: 'db.get' }, 'db.get', undefined],
      ['short_message when full_message is empty', { short_message: 'short', full_message: '' }, 'short', undefined],
      ['full_message, keeping a different short_message', { short_message: 'head', full_message: 'head\nstack' }, 'head\nstack', 'head'],
      ['`message` from a relaxed GELF HTTP sender', { message: 'plain' }, 'plain', undefined],
    ])('uses %s', (_name, body, message, shortMessage) => {
      const d = doc(gelf(body));
      expect(d.message).toBe(message);
      expect(d.short_message).toBe(shortMessage);
      expect(d).not.toHaveProperty('full_message');
    });

    it('uses `_message` in the JSON modes', () => {
      expect(doc(json({ _message: 'Admin Login', _level: 550 })).message).toBe('Admin Login');
    });
  });

  describe('@timestamp', () => {
    it.each([
      [1716800000.123456, '2024-05-27T08:53:20.123456Z'],
      [1716800000, '2024-05-27T08:53:20.000000Z'],
      ['1716800000.5', '2024-05-27T08:53:20.500000Z'],
    ])('converts timestamp %p (epoch seconds) to %s', (timestamp, iso) => {
      const d = doc(gelf({ short_message: 'x', timestamp }));
      expect(d['@timestamp']).toBe(iso);
      expect(d).not.toHaveProperty('timestamp');
    });

    it.each([[undefined], ['yesterday'], [-5], [1e13]])('uses the receive time for timestamp %p', (timestamp) => {
      expect(doc(gelf({ short_message: 'x', timestamp }))['@timestamp']).toBe('2026-11-23T10:00:00.000Z');
    });
  });

  describe('levels', () => {
    it.each([
      [{ level: 6 }, 6, 'INFO'],
      [{ level: 0 }, 0, 'EMERGENCY'],
      [{ level: '3' }, 3, 'ERROR'],
      [{ level: 'alert' }, 1, 'ALERT'],
    ])('GELF %p → %p %s', (body, level, name) => {
      expect(doc(gelf({ short_message: 'x', ...body }))).toMatchObject({ level, level_name: name });
    });

    it.each([
      [600, 0, 'EMERGENCY'],
      [550, 1, 'ALERT'],
      [500, 2, 'CRITICAL'],
      [400, 3, 'ERROR'],
      [300, 4, 'WARNING'],
      [250, 5, 'NOTICE'],
      [200, 6, 'INFO'],
      [100, 7, 'DEBUG'],
    ])('JSON mode Monolog _level %p → %p %s', (monolog, level, name) => {
      expect(doc(json({ _message: 'x', _level: monolog }))).toMatchObject({ level, level_name: name });
    });

    it('keeps an unknown level as text instead of breaking the integer field', () => {
      const d = doc(gelf({ short_message: 'x', level: 42 }));
      expect(d).not.toHaveProperty('level');
      expect(d.level_original).toBe('42');
    });
  });

  describe('fixed fields and renames', () => {
    it('strips leading underscores at the top level only', () => {
      const d = doc(gelf({ short_message: 'x', _php_sapi: 'fpm-fcgi', _file: '/x.php', __id: 'a', _event: { _keep: 1 } }));
      expect(d).toMatchObject({ php_sapi: 'fpm-fcgi', file: '/x.php', id: 'a', event: { _keep: 1 } });
      expect(Object.keys(d).filter((k) => k.startsWith('_'))).toEqual([]);
    });

    it('moves host to source_hostname and host.name, sets source_host, type and log_source', () => {
      expect(doc(gelf({ short_message: 'x', host: 'df01' }))).toMatchObject({
        source_hostname: 'df01',
        host: { name: 'df01' },
        source_host: '10.1.2.3',
        type: 'dreamfactory',
        log_source: 'dreamfactory',
      });
    });

    it('leaves host fields out when the sender gave no host (never a literal placeholder)', () => {
      const d = doc(json({ _message: 'x' }));
      expect(d).not.toHaveProperty('host');
      expect(d).not.toHaveProperty('source_hostname');
    });
  });

  describe('user attribution', () => {
    const withRequest = (headers: unknown, extra: Record<string, unknown> = {}) =>
      gelf({ short_message: 'x', _event: { request: { headers, parameters: [] } }, ...extra });

    it('reads user_id from the DreamFactory session token header', async () => {
      expect(doc(withRequest({ 'x-dreamfactory-session-token': await jwt({ user_id: 7 }) })).user).toEqual({ id: '7' });
    });

    it('reads user_id from an Authorization Bearer token', async () => {
      expect(doc(withRequest({ authorization: `Bearer ${await jwt({ user_id: 8 })}` })).user).toEqual({ id: '8' });
    });

    it('reads a session_token query parameter', async () => {
      const message = gelf({ short_message: 'x', _event: { request: { parameters: { session_token: await jwt({ user_id: 9 }) } } } });
      expect(doc(message).user).toEqual({ id: '9' });
    });

    it('falls back to platform.session.user with its email and name', () => {
      const d = doc(withRequest([], { _platform: { session: { user: { id: 3, email: 'jane@example.com', name: 'Jane Doe' } } } }));
      expect(d.user).toEqual({ id: '3', email: 'jane@example.com', name: 'Jane Doe' });
    });

    it('keeps the event when the token is broken, tags it and falls back to the session', () => {
      const d = doc(withRequest({ 'x-dreamfactory-session-token': 'not.a.jwt' }, { _platform: { session: { user: { id: 3 } } } }));
      expect(d.user).toEqual({ id: '3' });
      expect(d.tags).toEqual(['_jwt_decode_failure']);
    });

    it("takes DreamFactory's ***REDACTED*** for no token, not for a token that failed to decode", () => {
      const redacted = { 'x-dreamfactory-session-token': DREAMFACTORY_REDACTED, authorization: `Bearer ${DREAMFACTORY_REDACTED}` };
      const d = doc(withRequest(redacted, { _platform: { session: { user: { id: 3 } } } }));
      expect(d.user).toEqual({ id: '3' });
      expect(d).not.toHaveProperty('tags');
    });

    it('sets no user for an API-key-only call', () => {
      expect(doc(withRequest({ 'x-dreamfactory-api-key': 'abc' }))).not.toHaveProperty('user');
    });
  });

  describe('redaction', () => {
    const secrets = async () =>
      gelf({
        short_message: 'x',
        _event: {
          request: {
            headers: { Authorization: `Bearer ${await jwt({ user_id: 5 })}`, 'X-DreamFactory-API-Key': 'key-123', accept: '*/*' },
            parameters: { api_key: 'key-123', limit: '5' },
            payload: { resource: [{ password: 'hunter2', name: 'n' }] },
            content: '{"resource":[{"password":"hunter2","name":"n"}]}',
            uri: '/api/v2/db/_table/contact?api_key=key-123&limit=5&SESSION_TOKEN=abc',
          },
        },
        _platform: { session: { api_key: 'key-123', session_token: 'tok', user: { id: 5 } } },
      });

    it('replaces secrets everywhere, one fingerprint per secret, after attributing the user', async () => {
      const d = doc(await secrets());
      expect(JSON.stringify(d)).not.toMatch(/key-123|hunter2|"tok"|eyJ/);
      expect(d.user).toEqual({ id: '5' });
      const key = d.event.request.headers['X-DreamFactory-API-Key'];
      expect(key).toMatch(MARKER);
      expect(d.event.request.headers.Authorization).toMatch(/^Bearer \[redacted:[0-9a-f]{8}\]$/);
      expect(d.event.request.headers.accept).toBe('*/*');
      expect(d.event.request.parameters).toEqual({ api_key: key, limit: '5' });
      expect(d.event.request.uri).toBe(`/api/v2/db/_table/contact?api_key=${key}&limit=5&SESSION_TOKEN=${redactor.redactSecretValue('abc')}`);
      expect(d.event.request.path).toBe('/api/v2/db/_table/contact');
      // The raw body DreamFactory logs next to the parsed payload gets the same treatment.
      const password = d.event.request.payload.resource[0].password;
      expect(password).toMatch(MARKER);
      expect(JSON.parse(d.event.request.content)).toEqual({ resource: [{ password, name: 'n' }] });
      expect(d.platform.session).toEqual({ api_key: key, session_token: expect.stringMatching(MARKER), user: { id: 5 } });
    });

    it('can be switched off', async () => {
      expect(JSON.stringify(doc(await secrets(), { ...OPTIONS, redactor: undefined }))).toContain('key-123');
    });

    it('replaces a token used as a key (`?eyJ…` parses to a parameter named after it)', () => {
      const token = 'eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjo1fQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
      const d = doc(gelf({ short_message: 'x', _event: { request: { parameters: { [token]: '', limit: '5' } } } }));
      expect(JSON.stringify(d)).not.toContain('eyJ');
      expect(d.event.request.parameters).toEqual({ limit: '5', [redactor.redactString(token)]: '' });
    });
  });

  describe('request and response convenience fields', () => {
    it('derives method, path, service, resource, status code and class', () => {
      const d = doc(gelf({ short_message: 'x', _event: { request: { method: 'get', uri: '/api/v2/db/_table/contact/?limit=1#x' }, response: { status_code: '404' } } }));
      expect(d.event.request).toEqual({ method: 'GET', uri: '/api/v2/db/_table/contact/?limit=1#x', path: '/api/v2/db/_table/contact/', service: 'db', resource: '_table/contact' });
      expect(d.event.response).toEqual({ status_code: 404, status_class: '4xx' });
    });

    it("keeps DreamFactory's own service and resource", () => {
      const d = doc(gelf({ short_message: 'x', _event: { request: { uri: '/api/v2/files/a/b', service: 'files', resource: 'a/b/' } } }));
      expect(d.event.request).toMatchObject({ service: 'files', resource: 'a/b/' });
    });

    it('keeps a non-numeric status as text', () => {
      expect(doc(gelf({ short_message: 'x', _event: { response: { status_code: 'OK' } } })).event.response).toEqual({ status_code_original: 'OK' });
    });

    it('keeps only objects where the index template maps objects or flattened fields', () => {
      const d = doc(gelf({ short_message: 'x', _event: { request: { headers: [], parameters: 'a=1' }, response: [] }, _platform: 'v1' }));
      expect(d.event).toEqual({ request: { parameters: { value: 'a=1' } } });
      expect(d.platform).toEqual({ value: 'v1' });
      expect(doc(gelf({ short_message: 'x', _event: 'login' })).event).toEqual({ value: 'login' });
    });
  });

  describe('drops', () => {
    it("drops DreamFactory's duplicate DB table twin event", () => {
      expect(transformMessage(gelf({ short_message: null, full_message: 'db._table.{table_name}.get' }), OPTIONS)).toEqual({ drop: 'duplicate_event' });
      expect('event' in transformMessage(gelf({ short_message: null, full_message: 'db._table.{table_name}.get' }), { ...OPTIONS, dropDuplicateTableEvents: false })).toBe(true);
    });

    it('drops a message nested deeper than any DreamFactory context', () => {
      let deep: Record<string, unknown> = { leaf: 1 };
      for (let i = 0; i < 100; i++) {
        deep = { d: deep };
      }
      expect(transformMessage(gelf({ short_message: 'x', _deep: deep }), OPTIONS)).toEqual({ drop: 'too_deep' });
    });

    it('drops it too when the nesting sits under a secret key (whose leaves are replaced, not the whole value)', () => {
      let deep: Record<string, unknown> = { leaf: 'hunter2' };
      for (let i = 0; i < 100; i++) {
        deep = { d: deep };
      }
      expect(transformMessage(gelf({ short_message: 'x', _event: { request: { payload: { credentials: deep } } } }), OPTIONS)).toEqual({ drop: 'too_deep' });
    });
  });

  describe('document id', () => {
    const body = { short_message: 'x', timestamp: 1716800000.1, _a: { b: 1, c: 2 } };
    const id = (m: ReceivedMessage) => {
      const r = transformMessage(m, OPTIONS);
      return 'event' in r ? r.event.id : r.drop;
    };

    it('is the same for a resend of a timestamped message, whatever its arrival time or port', () => {
      const again = gelf(body, { receivedAt: new Date(), remotePort: 5 });
      expect(id(again)).toBe(id(gelf(body)));
      expect(id(gelf(body))).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it('differs for different content or source', () => {
      expect(id(gelf({ ...body, timestamp: 1716800000.2 }))).not.toBe(id(gelf(body)));
      expect(id(gelf(body, { source: 'gelf_tcp' }))).not.toBe(id(gelf(body)));
    });

    it('tells apart two identical JSON-mode calls (no timestamp) from different connections', () => {
      const call = { _message: 'db._table.contact.get', _level: 200 };
      expect(id(json(call, { remotePort: 40001 }))).not.toBe(id(json(call, { remotePort: 40002 })));
      expect(id(json(call))).toBe(id(json(call)));
    });
  });

  it('passes custom script messages through', () => {
    expect(doc(json({ _message: 'nightly import done', _level: 250 }))).toMatchObject({ message: 'nightly import done', level: 5, level_name: 'NOTICE' });
  });
});
