/**
 * Property: whatever DreamFactory event carries secrets — under secret keys at any depth and in any letter case, as
 * JWTs or Bearer/Basic credentials under innocent keys, inside raw JSON / form / query-string bodies, in arrays, in
 * login responses — none of them, and no JWT-shaped substring, survives the ingest transform; and every value that
 * is not a secret comes out exactly as it went in.
 */
import fc from 'fast-check';
import type { ReceivedMessage } from '../pipeline-types';
import { createRedactor, DEFAULT_REDACTION_RULES } from '../redaction';
import { transformMessage, TransformOptions } from '.';

const OPTIONS: TransformOptions = { redactor: createRedactor({ ...DEFAULT_REDACTION_RULES, fingerprintKey: Buffer.alloc(32, 3) }), dropDuplicateTableEvents: true };
/** The oracle: written here, independently of the scanner it checks. */
const JWT_SHAPED = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/;

const SECRET_KEYS = [
  'password',
  'Password',
  'PASSWORD',
  'new_password',
  'newPassword',
  'passwd',
  'pwd',
  'secret',
  'client_secret',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'session_token',
  'sessionToken',
  'session_id',
  'api_key',
  'apiKey',
  'X-Api-Key',
  'x-dreamfactory-api-key',
  'X-DreamFactory-Session-Token',
  'Authorization',
  'cookie',
  'Set-Cookie',
  'private_key',
  'security_answer',
  'credentials',
];
/** Keys a secret may sit under without the key saying so; some only describe a secret (`token_type`). */
const INNOCENT_KEYS = ['name', 'email', 'first_name', 'note', 'limit', 'filter', 'fields', 'id', 'status', 'order', 'items', 'data', 'meta', 'token_type', 'token_expiry_date', 'key_text', 'user-agent'];
/** Innocent text: lower-case words (secrets and JWTs all have capitals, so no innocent value can contain one). */
const WORDS = ['alpha', 'report', 'q3', 'contact', 'zoë', 'øster', 'a/b', '42', 'x.y', 'hello world', '2026-11-23 10:00:00', 'db._table.contact.get', 'application/json'];

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64URL = `${ALNUM}-_`;
const chars = (alphabet: string, minLength: number, maxLength: number) => fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength });

/** Distinct enough to search for: starts with capitals no innocent value has. */
const secretText = chars(ALNUM, 8, 20).map((s) => `SK${s}`);
const jwt = fc.tuple(chars(B64URL, 4, 20), chars(B64URL, 4, 40), chars(B64URL, 0, 43)).map(([h, p, s]) => `eyJ${h}.eyJ${p}.${s}`);
const innocentText = fc.constantFrom(...WORDS);
const innocentValue = fc.oneof(innocentText, fc.integer(), fc.boolean(), fc.constant(null));
const innocentKey = fc.constantFrom(...INNOCENT_KEYS);
const secretKey = fc.constantFrom(...SECRET_KEYS);
const path = fc.array(innocentKey, { maxLength: 5 });

/** Where in a DreamFactory event (GELF field names) a subtree can be. */
const REGIONS = [
  ['_event', 'request', 'payload'],
  ['_event', 'request', 'headers'],
  ['_event', 'request', 'parameters'],
  ['_event', 'response', 'content'],
  ['_event', 'response', 'headers'],
  ['_platform', 'session'],
  ['_platform', 'config'],
  ['_custom'],
];
const region = fc.constantFrom(...REGIONS);

interface Planted {
  /** The secret strings this plant put into the event. */
  secrets: string[];
  /** Innocent leaves it put there too, which must come out unchanged. */
  innocents: Leaf[];
  at: string[];
  value: unknown;
}

interface Leaf {
  at: string[];
  value: unknown;
}

const form = (pairs: Array<[string, string]>) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

const plant: fc.Arbitrary<Planted> = fc
  .record({ where: region, path, key: innocentKey, secretKey, secret: secretText, token: jwt, innocent: innocentText, kind: fc.integer({ min: 0, max: 9 }) })
  .map(({ where, path: p, key, secretKey: sk, secret, token, innocent, kind }): Planted => {
    const at = [...where, ...p];
    switch (kind) {
      case 0:
        return { at: [...at, sk], value: secret, secrets: [secret], innocents: [] };
      case 1:
        return { at: [...at, sk], value: { user: innocent, inner: [secret, { [key]: secret }] }, secrets: [secret], innocents: [] };
      case 2:
        return { at: [...at, key], value: token, secrets: [token], innocents: [] };
      case 3:
        return { at: [...at, key], value: `Bearer ${secret}`, secrets: [secret], innocents: [] };
      case 4: {
        const basic = Buffer.from(`${innocent}:${secret}`).toString('base64');
        return { at: [...at, key], value: `Basic ${basic}`, secrets: [basic], innocents: [] };
      }
      case 5:
        return { at: [...at, key], value: JSON.stringify({ [key]: innocent, [sk]: secret, nested: [{ note: token }] }), secrets: [secret, token], innocents: [] };
      case 6:
        return { at: [...at, key], value: form([[key, innocent], [sk, secret]]), secrets: [secret], innocents: [] };
      case 7:
        return { at: ['_event', 'request', 'uri'], value: `/api/v2/db/_table/contact?limit=5&${sk}=${secret}&q=${token}`, secrets: [secret, token], innocents: [] };
      case 8:
        return { at: [...at, key], value: [innocent, { [sk]: secret }, token, [`Bearer ${secret}`]], secrets: [secret, token], innocents: [{ at: [...at, key, '0'], value: innocent }] };
      default:
        // A login: the password in the parsed payload and the raw body, the token twice in the response.
        return {
          at: ['_event'],
          value: {
            request: {
              method: 'POST',
              uri: '/api/v2/user/session',
              payload: { email: 'jane@example.com', password: secret },
              content: JSON.stringify({ email: 'jane@example.com', password: secret }),
              content_type: 'application/json',
            },
            response: { status_code: 200, content: { session_token: token, session_id: token, id: 3, name: innocent, token_expiry_date: '2026-11-24 10:00:00' } },
          },
          secrets: [secret, token],
          innocents: [
            { at: ['_event', 'request', 'payload', 'email'], value: 'jane@example.com' },
            { at: ['_event', 'response', 'content', 'name'], value: innocent },
            { at: ['_event', 'response', 'content', 'token_expiry_date'], value: '2026-11-24 10:00:00' },
          ],
        };
    }
  });

/** Innocent leaves, and innocent bodies (JSON, form, URI) that must keep every byte. */
const innocentLeaf: fc.Arbitrary<Leaf> = fc.record({ where: region, path, key: innocentKey, value: innocentValue, body: fc.integer({ min: 0, max: 5 }) }).map(({ where, path: p, key, value, body }) => {
  const at = [...where, ...p, key];
  const text = typeof value === 'string' ? value : 'alpha';
  switch (body) {
    case 0:
      return { at, value: JSON.stringify({ [key]: value, token_type: 'bearer', items: [text] }, null, 1) };
    case 1:
      return { at, value: form([[key, text], ['token_expiry_date', '2026-11-24']]) };
    case 2:
      return { at, value: `/api/v2/db/_table/contact?${form([['filter', text]])}` };
    default:
      return { at, value };
  }
});

function setAt(root: Record<string, unknown>, at: string[], value: unknown): void {
  let node = root;
  for (const key of at.slice(0, -1)) {
    const next = node[key];
    node = (node[key] = next !== null && typeof next === 'object' && !Array.isArray(next) ? next : {}) as Record<string, unknown>;
  }
  node[at[at.length - 1]] = value;
}

function getAt(root: unknown, at: string[]): unknown {
  let node = root;
  for (const key of at) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, key)) {
      return undefined;
    }
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** GELF top-level `_x` becomes `x` in the document. */
const documentPath = (at: string[]) => [at[0].replace(/^_+/, ''), ...at.slice(1)];

/** As a source hands it over: the body parsed from the payload (the transform works on it in place). */
function message(json: string): ReceivedMessage {
  return { source: 'gelf_udp', format: 'gelf', body: JSON.parse(json), payload: Buffer.from(json), receivedAt: new Date('2026-11-23T10:00:00Z'), remoteAddress: '10.0.0.1' };
}

describe('redaction of DreamFactory events (property)', () => {
  it('removes every planted secret and JWT, and changes nothing else', () => {
    fc.assert(
      fc.property(fc.array(innocentLeaf, { maxLength: 12 }), fc.array(plant, { minLength: 1, maxLength: 6 }), (leaves, plants) => {
        const body: Record<string, unknown> = { version: '1.1', host: 'df01', short_message: null, full_message: 'user.session.post', timestamp: 1716800000.5, level: 6 };
        for (const leaf of leaves) {
          setAt(body, leaf.at, leaf.value);
        }
        for (const p of plants) {
          setAt(body, p.at, p.value);
        }
        const input = JSON.stringify(body);
        // What survived building (later plants can overwrite earlier values) is what the property is about.
        const secrets = plants.flatMap((p) => p.secrets).filter((s) => input.includes(s));
        const innocents = [...leaves, ...plants.flatMap((p) => p.innocents)].filter((leaf) => Object.is(getAt(body, leaf.at), leaf.value));

        const result = transformMessage(message(input), OPTIONS);
        if (!('event' in result)) {
          throw new Error(`dropped: ${result.drop}`);
        }
        const output = result.event.json;
        for (const secret of secrets) {
          expect(output).not.toContain(secret);
        }
        expect(output).not.toMatch(JWT_SHAPED);
        const doc: unknown = JSON.parse(output);
        for (const leaf of innocents) {
          expect(getAt(doc, documentPath(leaf.at))).toEqual(leaf.value);
        }
      }),
      { numRuns: 400 }
    );
  });
});
