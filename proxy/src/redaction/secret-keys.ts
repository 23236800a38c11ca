/**
 * Which keys hold secrets, by meaning rather than by a list of header names. A key is split into lower-case words
 * (`X-DreamFactory-Session-Token` → x, dreamfactory, session, token; `newPassword` → new, password) and is secret when
 * its last secret word is not followed by a word that makes the key describe a secret instead of holding one
 * (`token_type`, `token_expiry_date`, `api_key_id`). Exact names (DreamFactory's own list) and exceptions come from
 * configuration. README.md "Secrets" documents the defaults.
 */

const PASSWORD_PREFIXES = ['password', 'passwd'];

/**
 * Two-word secrets: `key` and `id` are secret only after these words (`api_key`, `private-key`, `sessionKey`,
 * `session_id`), never alone (`key_text`, `user_id`).
 */
const SECRET_PAIRS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['key', new Set(['api', 'private', 'secret', 'access', 'client', 'signing', 'encryption', 'master', 'internal', 'session', 'ssh', 'auth', 'license'])],
  ['id', new Set(['session'])],
]);

/** A word after the secret word that makes the key metadata about a secret, not the secret. */
const QUALIFIERS: ReadonlySet<string> = new Set([
  'type',
  'types',
  'kind',
  'expiry',
  'expires',
  'expire',
  'expired',
  'expiration',
  'exp',
  'ttl',
  'lifetime',
  'date',
  'time',
  'timestamp',
  'at',
  'created',
  'updated',
  'changed',
  'length',
  'count',
  'min',
  'max',
  'id',
  'ids',
  'name',
  'names',
  'label',
  'description',
  'url',
  'uri',
  'endpoint',
  'path',
  'header',
  'field',
  'param',
  'required',
  'enabled',
  'set',
  'policy',
  'strength',
  'status',
  'valid',
  'validity',
  'format',
  'version',
  'issuer',
  'audience',
  'scope',
  'scopes',
  'algorithm',
  'alg',
  'question',
  'mode',
]);

export interface SecretKeyRules {
  /** Key names (any case) that are always secret. */
  keys: readonly string[];
  /** Secret words (lower-case letters and digits). */
  words: readonly string[];
  /** Key names (any case) never secret by name; their values are still checked by shape. */
  keepKeys: readonly string[];
}

/** Cache size: keys repeat endlessly (header and field names), so almost every lookup is a hit. */
const CACHE_LIMIT = 8192;

/** Returns the classifier for `rules`; answers are cached per key (the cache is emptied when it fills). */
export function secretKeyClassifier(rules: SecretKeyRules): (key: string) => boolean {
  const exact = new Set(rules.keys.map((k) => k.toLowerCase()));
  const keep = new Set(rules.keepKeys.map((k) => k.toLowerCase()));
  const words = new Set(rules.words);
  const suffixes = [...words];
  const cache = new Map<string, boolean>();

  const isSecretWord = (word: string, previous: string | undefined): boolean => {
    if (words.has(word) || PASSWORD_PREFIXES.some((p) => word.startsWith(p)) || suffixes.some((w) => word.endsWith(w))) {
      return true;
    }
    for (const [tail, heads] of SECRET_PAIRS) {
      if (!word.endsWith(tail)) {
        continue;
      }
      if (word === tail) {
        if (previous !== undefined && heads.has(previous)) {
          return true;
        }
      } else {
        // One word: `apikey`-like compounds, `sessionid`, `xsessionkey`.
        const head = word.slice(0, -tail.length);
        for (const h of heads) {
          if (head.endsWith(h)) {
            return true;
          }
        }
      }
    }
    return false;
  };

  const classify = (key: string): boolean => {
    const lower = key.toLowerCase();
    if (keep.has(lower)) {
      return false;
    }
    if (exact.has(lower)) {
      return true;
    }
    const parts = splitWords(key);
    for (let i = parts.length - 1; i >= 0; i--) {
      if (isSecretWord(parts[i], parts[i - 1])) {
        for (let j = i + 1; j < parts.length; j++) {
          if (QUALIFIERS.has(parts[j])) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
  };

  return (key) => {
    let answer = cache.get(key);
    if (answer === undefined) {
      answer = classify(key);
      if (cache.size >= CACHE_LIMIT) {
        cache.clear();
      }
      cache.set(key, answer);
    }
    return answer;
  };
}

/**
 * Lower-case words of a key: split at anything but ASCII letters and digits, and where a lower-case letter or digit
 * is followed by an upper-case one (`apiKey` → api, key; `APIKey` stays `apikey`; `sessionID` → session, id).
 */
export function splitWords(key: string): string[] {
  const words: string[] = [];
  let start = -1;
  let previous = 0;
  for (let i = 0; i <= key.length; i++) {
    const c = i < key.length ? key.charCodeAt(i) : 0;
    const upper = c >= 65 && c <= 90;
    const lowerOrDigit = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (!upper && !lowerOrDigit) {
      if (start >= 0) {
        words.push(key.slice(start, i).toLowerCase());
        start = -1;
      }
    } else if (start < 0) {
      start = i;
    } else if (upper && ((previous >= 97 && previous <= 122) || (previous >= 48 && previous <= 57))) {
      words.push(key.slice(start, i).toLowerCase());
      start = i;
    }
    previous = c;
  }
  return words;
}
