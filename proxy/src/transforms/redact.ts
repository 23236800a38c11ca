/**
 * Secrets never reach an Elasticsearch document: values under any of the configured keys (any depth, any case) are
 * replaced by `[redacted]`, and so are those query-string parameters inside a `uri` (DreamFactory accepts
 * `?api_key=` and `?session_token=`). The key itself stays, so an admin can still see that a call carried, say, an
 * API key header. DreamFactory redacts only its direct-POST path (docs/dreamfactory.md#context-and-secrets); events
 * arrive raw.
 *
 * The transform asks a `Redactor` about each node of its single walk over the event; this one is driven by a key list.
 */

export const REDACTED = '[redacted]';

export interface Redactor {
  /** Whether the value under this key is a secret (case-insensitive). */
  isSecretKey(key: string): boolean;
  /** What replaces the value under a secret key. */
  redactSecretValue(value: unknown): unknown;
  /** A string value with its secret parts replaced (`key` is the object key it sits under, if any). */
  redactString(value: string, key?: string): string;
}

/** Distinct keys remembered per redactor; a flood of unique keys only resets the memo. */
const KEY_MEMO_ENTRIES = 10_000;

export function createKeyRedactor(keys: readonly string[]): Redactor {
  const secret = new Set(keys.map((k) => k.toLowerCase()));
  // The same few hundred keys recur in every DreamFactory event: lower-case each once.
  const verdicts = new Map<string, boolean>();
  return {
    isSecretKey: (key) => {
      let verdict = verdicts.get(key);
      if (verdict === undefined) {
        if (verdicts.size >= KEY_MEMO_ENTRIES) {
          verdicts.clear();
        }
        verdict = secret.has(key.toLowerCase());
        verdicts.set(key, verdict);
      }
      return verdict;
    },
    redactSecretValue: () => REDACTED,
    redactString: (value, key) => (key === 'uri' ? redactUriQuery(value, secret) : value),
  };
}

/** `a=1&api_key=xyz` → `a=1&api_key=[redacted]`; everything else in the URI is kept byte for byte. */
export function redactUriQuery(uri: string, keys: ReadonlySet<string>): string {
  const q = uri.indexOf('?');
  if (q < 0) {
    return uri;
  }
  const [query, fragment] = splitOnce(uri.slice(q + 1), '#');
  const params = query.split('&').map((param) => {
    const [name] = splitOnce(param, '=');
    return keys.has(safeDecode(name).toLowerCase()) ? `${name}=${REDACTED}` : param;
  });
  return `${uri.slice(0, q + 1)}${params.join('&')}${fragment === undefined ? '' : `#${fragment}`}`;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
