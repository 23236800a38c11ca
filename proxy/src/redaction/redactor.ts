/**
 * The redactor: one set of rules for everything the proxy stores, logs or answers.
 *
 * - `isSecretKey`: keys by meaning (./secret-keys.ts).
 * - `redactSecretValue`: what replaces a value under a secret key — a marker with the secret's fingerprint for strings
 *   and numbers (`[redacted:1a2b3c4d]`; `Bearer [redacted:…]` keeps the scheme), every leaf of an object or array.
 * - `redactString`: secret-shaped parts of a string whatever its key (./shapes.ts). String bodies are parsed: JSON is
 *   redacted as a tree and re-serialised, form bodies and URI queries parameter by parameter; only a string that held
 *   a secret is rewritten, so everything else stays byte for byte. A body that looks structured (JSON, XML) but does
 *   not parse and holds a secret becomes `[content_redacted]`; a multipart body is never kept.
 * - `redactInPlace`: the whole-tree walk (iterative: any depth is safe).
 * Markers are recognised, so redacting twice changes nothing.
 */
import { fingerprinter } from './fingerprint';
import { CONTENT_REDACTED, fingerprintMarker, isRedactionMarker, MULTIPART_REDACTED, wordAt } from './markers';
import { secretKeyClassifier, SecretKeyRules } from './secret-keys';
import { findSecretRanges } from './shapes';

export interface RedactionRules extends SecretKeyRules {
  /** HMAC key of the fingerprints (or its loader, called on first use). Without one, markers carry no fingerprint. */
  fingerprintKey?: Uint8Array | (() => Uint8Array);
}

/**
 * What the ingest's transform asks about each node of its single walk over an event, so secrets never reach an
 * Elasticsearch document (proxy/src/transforms/transform.ts). DreamFactory redacts only its direct-POST path
 * (docs/dreamfactory.md#context-and-secrets): events arrive raw.
 */
export interface NodeRedactor {
  /** Whether the value under this key is a secret (case-insensitive). */
  isSecretKey(key: string): boolean;
  /** What replaces the value under a secret key. */
  redactSecretValue(value: unknown): unknown;
  /** A string value with its secret parts replaced (`key` is the object key it sits under, if any). */
  redactString(value: string, key?: string): string;
  /** A key with its secret-shaped parts replaced: a token can be a key (`?eyJ…` parses to a parameter named after it). */
  redactKey(key: string): string;
}

/** The transform's per-node questions plus the whole-tree walk for everything else: logs, dead letters, API answers, documents already indexed. */
export interface Redactor extends NodeRedactor {
  /** Redacts every value of an object or array tree in place. */
  redactInPlace(tree: unknown): void;
}

/** A JSON body inside a JSON body inside …: beyond this many levels a body with a secret is dropped whole. */
const MAX_NESTED_BODIES = 4;
/** No secret fits in fewer characters (`pwd=x`). */
const MIN_SECRET_TEXT = 5;
/** How far into a string a multipart part header is looked for. */
const MULTIPART_HEAD = 1024;

export function createRedactor(rules: RedactionRules): Redactor {
  const isSecretKey = secretKeyClassifier(rules);
  const fingerprint = rules.fingerprintKey === undefined ? undefined : fingerprinter(rules.fingerprintKey);
  const marker = (secret: string) => fingerprintMarker(fingerprint?.(secret));
  /** Bumped by every replacement, so a walk knows whether it changed anything without comparing. */
  let changes = 0;

  const redactSecretString = (value: string): string => {
    if (value === '' || isRedactionMarker(value)) {
      return value;
    }
    changes++;
    for (const scheme of ['bearer', 'basic']) {
      if (
        wordAt(value, 0, scheme) &&
        (value.charCodeAt(scheme.length) === 32 || value.charCodeAt(scheme.length) === 9)
      ) {
        const token = value.slice(scheme.length).trim();
        return `${value.slice(0, scheme.length)} ${marker(token)}`;
      }
    }
    return marker(value);
  };

  const redactScalar = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return redactSecretString(value);
    }
    if (typeof value === 'number' || typeof value === 'bigint') {
      changes++;
      return marker(String(value));
    }
    return value;
  };

  const redactSecretValue = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') {
      return redactScalar(value);
    }
    // Every leaf of a secret object: `{"credentials": {"user": …, "password": …}}` keeps its shape, not its values.
    const stack: object[] = [value];
    while (stack.length > 0) {
      const node = stack.pop() as Record<string, unknown>;
      for (const key of Object.keys(node)) {
        const child = node[key];
        if (child !== null && typeof child === 'object') {
          stack.push(child);
        } else {
          const replaced = redactScalar(child);
          if (replaced !== child) {
            node[key] = replaced;
          }
        }
      }
    }
    return value;
  };

  /** Free text: each secret-shaped range replaced by the marker of what it held. */
  const redactRanges = (text: string): string => {
    const ranges = findSecretRanges(text, isSecretKey);
    if (ranges.length === 0) {
      return text;
    }
    let out = '';
    let from = 0;
    for (const { start, end } of ranges) {
      changes++;
      out += text.slice(from, start) + marker(text.slice(start, end));
      from = end;
    }
    return out + text.slice(from);
  };

  const holdsSecret = (text: string) => findSecretRanges(text, isSecretKey, true).length > 0;

  const dropped = (text: string): string => {
    if (!holdsSecret(text)) {
      return text;
    }
    changes++;
    return CONTENT_REDACTED;
  };

  const redactJsonBody = (text: string, depth: number): string => {
    // `\u` escapes could spell a key the scan cannot see, so such a body is always parsed.
    if (!holdsSecret(text) && !text.includes('\\u')) {
      return text;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return dropped(text);
    }
    if (parsed === null || typeof parsed !== 'object' || depth >= MAX_NESTED_BODIES) {
      return dropped(text);
    }
    const before = changes;
    walk(parsed, depth + 1);
    if (changes === before) {
      return text;
    }
    try {
      return JSON.stringify(parsed);
    } catch {
      // Nested too deep for JSON.stringify's recursion.
      return CONTENT_REDACTED;
    }
  };

  /** `a=1&password=x`: each parameter on its own; unchanged parameters keep their bytes. */
  const redactParameters = (query: string, depth: number): string => {
    const params = query.split('&');
    let changed = false;
    for (let k = 0; k < params.length; k++) {
      const param = params[k];
      const eq = param.indexOf('=');
      if (eq < 0) {
        const replaced = redactRanges(param);
        changed ||= replaced !== param;
        params[k] = replaced;
        continue;
      }
      const raw = param.slice(eq + 1);
      if (raw === '') {
        continue;
      }
      const name = param.slice(0, eq);
      const value = decodeComponent(raw);
      const replaced = isSecretKey(decodeComponent(name)) ? redactSecretString(value) : redactText(value, depth + 1);
      if (replaced !== value) {
        params[k] = `${name}=${encodeReadable(replaced)}`;
        changed = true;
      }
    }
    return changed ? params.join('&') : query;
  };

  /** A URI (`/path?query#fragment`) or a form body (`a=1&b=2`), neither holding whitespace. */
  const redactUriOrForm = (text: string, depth: number): string => {
    // Percent-encoding or `+` can hide a name or a scheme from the scan; otherwise the scan decides.
    if (!text.includes('%') && !text.includes('+') && !holdsSecret(text)) {
      return text;
    }
    const q = text.indexOf('?');
    if (q < 0 && (text.charCodeAt(0) === 47 || text.includes('://'))) {
      return redactRanges(text);
    }
    const head = q < 0 ? '' : redactRanges(text.slice(0, q + 1));
    const rest = q < 0 ? text : text.slice(q + 1);
    const hash = rest.indexOf('#');
    const query = hash < 0 ? rest : rest.slice(0, hash);
    // An OAuth implicit-grant fragment (`#access_token=…`) is a parameter list too.
    const fragment = hash < 0 ? '' : `#${redactParameters(rest.slice(hash + 1), depth)}`;
    const result = head + redactParameters(query, depth) + fragment;
    return result === text ? text : result;
  };

  function redactText(text: string, depth: number): string {
    if (text.length < MIN_SECRET_TEXT || isRedactionMarker(text)) {
      return text;
    }
    if (text.startsWith('--') && isMultipart(text)) {
      changes++;
      return MULTIPART_REDACTED;
    }
    const first = firstVisible(text);
    if (first === 123 || first === 91) {
      return redactJsonBody(text, depth);
    }
    if (first === 60) {
      // XML or HTML: not parsed here, so kept only when it holds nothing secret-shaped.
      return dropped(text);
    }
    if (text.includes('=') && !hasWhitespace(text)) {
      return redactUriOrForm(text, depth);
    }
    return redactRanges(text);
  }

  /** A token can be a key too (`?eyJ…` parses to a parameter named after it). */
  const redactKey = (key: string): string => (key.includes('eyJ') ? redactRanges(key) : key);

  function walk(root: object, depth: number): void {
    const stack: object[] = [root];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (Array.isArray(node)) {
        for (let i = 0; i < node.length; i++) {
          const value: unknown = node[i];
          if (typeof value === 'string') {
            const replaced = redactText(value, depth);
            if (replaced !== value) {
              node[i] = replaced;
            }
          } else if (value !== null && typeof value === 'object') {
            stack.push(value);
          }
        }
        continue;
      }
      const object = node as Record<string, unknown>;
      for (const key of Object.keys(object)) {
        const value = object[key];
        if (isSecretKey(key)) {
          const replaced = redactSecretValue(value);
          if (replaced !== value) {
            object[key] = replaced;
          }
        } else if (typeof value === 'string') {
          const replaced = redactText(value, depth);
          if (replaced !== value) {
            object[key] = replaced;
          }
        } else if (value !== null && typeof value === 'object') {
          stack.push(value);
        }
        const renamed = redactKey(key);
        if (renamed !== key) {
          object[renamed] = object[key];
          delete object[key];
        }
      }
    }
  }

  return {
    isSecretKey,
    redactSecretValue,
    redactKey,
    redactString: (value, key) =>
      key !== undefined && isSecretKey(key) ? redactSecretString(value) : redactText(value, 0),
    redactInPlace: (tree) => {
      if (tree !== null && typeof tree === 'object') {
        walk(tree, 0);
      }
    },
  };
}

function firstVisible(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) {
      return c;
    }
  }
  return 0;
}

function hasWhitespace(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      return true;
    }
  }
  return false;
}

/** `--boundary` then a part header: a multipart/form-data body. */
function isMultipart(text: string): boolean {
  return text.slice(0, MULTIPART_HEAD).toLowerCase().includes('content-disposition');
}

/** Form and query decoding: `+` is a space; a malformed escape leaves the text as it is. */
function decodeComponent(text: string): string {
  const spaced = text.includes('+') ? text.replaceAll('+', ' ') : text;
  if (!spaced.includes('%')) {
    return spaced;
  }
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** Percent-encoding that leaves a marker readable (`[redacted:1a2b3c4d]` rather than `%5Bredacted%3A…`). */
function encodeReadable(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Anything but letters, digits and `-_.~[]:` needs encoding; a bare marker needs none.
    if (!(
      (c >= 48 && c <= 58) ||
      (c >= 65 && c <= 93 && c !== 92) ||
      (c >= 97 && c <= 122) ||
      c === 45 ||
      c === 95 ||
      c === 46 ||
      c === 126
    )) {
      return encodeURIComponent(text).replaceAll('%5B', '[').replaceAll('%5D', ']').replaceAll('%3A', ':');
    }
  }
  return text;
}
