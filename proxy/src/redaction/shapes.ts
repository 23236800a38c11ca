/**
 * Secret-shaped parts of free text, found in one left-to-right pass with hand-written scanners (no regular
 * expressions, so no backtracking on hostile input; cost is linear in the string's length):
 * - JWTs: three base64url segments, the first starting `eyJ` (the encoding of `{"`), also a JWE's further segments;
 * - `Bearer <token>` (token of 8+ characters inside text, any length when the string is just that) and
 *   `Basic <base64 of user:password>`;
 * - the password of a URL's user info (`mysql://user:pass@host`);
 * - assignments to a secret key: `password=…`, `"api_key": "…"`, `token: …`, `<password>…</password>`.
 * Each finding is the range of the secret itself, so the caller can keep the scheme word and the punctuation.
 * What is already a redaction marker is not a finding.
 */
import { isRedactionMarker, wordAt } from './markers';

export interface SecretRange {
  start: number;
  end: number;
}

/** Shortest Bearer token recognised inside text; shorter words after "bearer" are prose ("bearer of"). */
const MIN_BEARER_IN_TEXT = 8;

const isBase64Url = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95;
/** Letters, digits, `_` and `-`: the characters of a key name in text. */
const isNameChar = isBase64Url;
/** RFC 7235 token68, the alphabet of a Bearer token. */
const isToken68 = (c: number) => isBase64Url(c) || c === 46 || c === 126 || c === 43 || c === 47 || c === 61;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
/** Where an unquoted value ends. */
const endsValue = (c: number) => isSpace(c) || c === 38 || c === 44 || c === 59 || c === 34 || c === 39 || c === 60 || c === 62 || c === 41 || c === 93 || c === 125;

/** End of the JWT starting at `start` (which holds `eyJ`), or -1. */
export function jwtEnd(text: string, start: number): number {
  let i = start + 3;
  while (i < text.length && isBase64Url(text.charCodeAt(i))) {
    i++;
  }
  if (text.charCodeAt(i) !== 46) {
    return -1;
  }
  const payload = ++i;
  while (i < text.length && isBase64Url(text.charCodeAt(i))) {
    i++;
  }
  if (i === payload || text.charCodeAt(i) !== 46) {
    return -1;
  }
  i++;
  while (i < text.length && isBase64Url(text.charCodeAt(i))) {
    i++;
  }
  // A JWE has five segments.
  while (text.charCodeAt(i) === 46 && isBase64Url(text.charCodeAt(i + 1))) {
    i++;
    while (i < text.length && isBase64Url(text.charCodeAt(i))) {
      i++;
    }
  }
  return i;
}

/** Does this base64 decode to `user:password`? Keeps "Basic settings" and "basic plan" out. */
function isBasicCredential(token: string): boolean {
  if (token.length < 4 || token.length % 4 !== 0) {
    return false;
  }
  for (let k = 0; k < token.length; k++) {
    const c = token.charCodeAt(k);
    if (!(isBase64Url(c) || c === 43 || c === 47 || c === 61) || c === 45 || c === 95) {
      return false;
    }
  }
  const decoded = Buffer.from(token, 'base64').toString('latin1');
  const colon = decoded.indexOf(':');
  if (colon < 0) {
    return false;
  }
  for (let k = 0; k < decoded.length; k++) {
    const c = decoded.charCodeAt(k);
    if (c < 32 || c === 127) {
      return false;
    }
  }
  return true;
}

/**
 * The token after an authorization scheme word at `at` (`bearer`/`basic`, any case), or undefined. `whole` is set
 * when the scheme and token are the whole string (a header value), where any Bearer token length counts.
 */
export function schemeToken(text: string, at: number): SecretRange | undefined {
  const bearer = wordAt(text, at, 'bearer');
  if (!bearer && !wordAt(text, at, 'basic')) {
    return undefined;
  }
  let i = at + (bearer ? 6 : 5);
  const afterWord = i;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) {
    i++;
  }
  if (i === afterWord) {
    return undefined;
  }
  const start = i;
  while (i < text.length && isToken68(text.charCodeAt(i))) {
    i++;
  }
  if (i === start) {
    return undefined;
  }
  if (bearer) {
    const whole = at === leadingSpace(text) && i === trailingEnd(text);
    return whole || i - start >= MIN_BEARER_IN_TEXT ? { start, end: i } : undefined;
  }
  return isBasicCredential(text.slice(start, i)) ? { start, end: i } : undefined;
}

function leadingSpace(text: string): number {
  let i = 0;
  while (i < text.length && isSpace(text.charCodeAt(i))) {
    i++;
  }
  return i;
}

function trailingEnd(text: string): number {
  let i = text.length;
  while (i > 0 && isSpace(text.charCodeAt(i - 1))) {
    i--;
  }
  return i;
}

/**
 * Where the value assigned to the name `[nameStart, nameEnd)` starts: after `=`, `:` or (for `<name>`) `>`, allowing a
 * closing quote of the name and spaces around the separator. -1 when the name is not assigned to.
 */
function valueStart(text: string, nameStart: number, nameEnd: number): { at: number; element: boolean } | undefined {
  let i = nameEnd;
  // The name's closing quote, also escaped (`{\"password\":…}` is JSON inside a JSON string).
  const escapedQuote = text.charCodeAt(i) === 92 && text.charCodeAt(i + 1) === 34;
  const quotedName = escapedQuote || text.charCodeAt(i) === 34 || text.charCodeAt(i) === 39;
  if (quotedName) {
    i += escapedQuote ? 2 : 1;
  }
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) {
    i++;
  }
  const sep = text.charCodeAt(i);
  const element = sep === 62 && !quotedName && nameStart > 0 && text.charCodeAt(nameStart - 1) === 60;
  if ((sep !== 61 && sep !== 58 && !element) || (sep === 58 && text.charCodeAt(i + 1) === 47 && text.charCodeAt(i + 2) === 47)) {
    return undefined; // not assigned, or `http://` (a URL)
  }
  i++;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) {
    i++;
  }
  return { at: i, element };
}

/** The value starting at `at`: a quoted string's content, a bracketed value, or a run up to a delimiter. */
function valueRange(text: string, at: number, element: boolean, afterScheme = false): SecretRange | undefined {
  const open = text.charCodeAt(at);
  let start = at;
  let end: number;
  if (open === 92 && text.charCodeAt(at + 1) === 34) {
    start = at + 2;
    end = text.indexOf('\\"', start);
    end = end < 0 ? text.length : end;
  } else if (open === 34 || open === 39) {
    start = at + 1;
    end = start;
    while (end < text.length && text.charCodeAt(end) !== open) {
      end += text.charCodeAt(end) === 92 ? 2 : 1;
    }
    end = Math.min(end, text.length);
  } else if (open === 123 || open === 91) {
    end = matchingBracket(text, at);
  } else {
    end = start;
    // Inside `<name>…<`, only the closing tag ends the value.
    while (end < text.length && !(element ? text.charCodeAt(end) === 60 : endsValue(text.charCodeAt(end)))) {
      end++;
    }
    // `Authorization: Bearer abc`: the value is the scheme's token.
    if (!afterScheme && ((end - start === 6 && wordAt(text, start, 'bearer')) || (end - start === 5 && wordAt(text, start, 'basic')))) {
      let token = end;
      while (text.charCodeAt(token) === 32 || text.charCodeAt(token) === 9) {
        token++;
      }
      if (token > end && token < text.length) {
        return valueRange(text, token, element, true);
      }
    }
    return end > start ? { start, end } : undefined;
  }
  // A quoted `Bearer abc`: keep the scheme word.
  for (const scheme of ['bearer', 'basic']) {
    if (wordAt(text, start, scheme) && (text.charCodeAt(start + scheme.length) === 32 || text.charCodeAt(start + scheme.length) === 9)) {
      let token = start + scheme.length;
      while (text.charCodeAt(token) === 32 || text.charCodeAt(token) === 9) {
        token++;
      }
      return end > token ? { start: token, end } : undefined;
    }
  }
  return end > start ? { start, end } : undefined;
}

/** End (exclusive) of the bracketed value opening at `open`, or the end of the text when it never closes. */
function matchingBracket(text: string, open: number): number {
  let depth = 0;
  let quote = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === 92) {
        i++;
      } else if (c === quote) {
        quote = 0;
      }
    } else if (c === 34 || c === 39) {
      quote = c;
    } else if (c === 123 || c === 91) {
      depth++;
    } else if ((c === 125 || c === 93) && --depth === 0) {
      return i + 1;
    }
  }
  return text.length;
}

/** The password in `scheme://user:password@host`, for the `://` at `at`. */
function userInfoPassword(text: string, at: number): SecretRange | undefined {
  let colon = -1;
  for (let i = at + 3; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 64) {
      return colon >= 0 && i > colon + 1 ? { start: colon + 1, end: i } : undefined;
    }
    if (c === 47 || c === 63 || c === 35 || isSpace(c)) {
      return undefined;
    }
    if (c === 58 && colon < 0) {
      colon = i;
    }
  }
  return undefined;
}

/**
 * False when `text` cannot hold anything `findSecretRanges` finds: every shape needs a separator (`=`, `:`, `>`), a
 * JWT's `eyJ`, or whitespace after a scheme word (`bearer`, `basic`). One pass, no allocation: most strings in an event
 * (names, emails, user agents, ids) end here.
 */
export function mayHoldSecret(text: string): boolean {
  let previous = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 61 || c === 58 || c === 62) {
      return true;
    }
    if (c === 74 && previous === 121 && i >= 2 && text.charCodeAt(i - 2) === 101) {
      return true; // eyJ
    }
    if ((c === 32 || c === 9) && ((previous | 0x20) === 114 || (previous | 0x20) === 99)) {
      return true; // after …r (bearer) or …c (basic)
    }
    previous = c;
  }
  return false;
}

/**
 * Every secret-shaped range of `text`, in order and non-overlapping; with `firstOnly`, stops at the first (a cheap
 * "does it hold a secret?"). `isSecretKey` classifies names followed by an assignment.
 */
export function findSecretRanges(text: string, isSecretKey: (name: string) => boolean, firstOnly = false): SecretRange[] {
  const found: SecretRange[] = [];
  if (!mayHoldSecret(text)) {
    return found;
  }
  for (let at = text.indexOf('eyJ'); at >= 0; at = text.indexOf('eyJ', at + 3)) {
    const end = jwtEnd(text, at);
    if (end > 0 && add(found, text, { start: at, end }) && firstOnly) {
      return found;
    }
  }
  for (let at = text.indexOf('://'); at >= 0; at = text.indexOf('://', at + 3)) {
    if (add(found, text, userInfoPassword(text, at)) && firstOnly) {
      return found;
    }
  }
  // Names: runs of name characters. Each run is either a scheme word, a secret key followed by a value, or nothing.
  for (let i = 0; i < text.length; ) {
    if (!isNameChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && isNameChar(text.charCodeAt(i))) {
      i++;
    }
    const length = i - start;
    if (length === 6 || length === 5) {
      const token = schemeToken(text, start);
      if (token) {
        if (add(found, text, token) && firstOnly) {
          return found;
        }
        i = token.end;
        continue;
      }
    }
    // Only a name followed (maybe after a quote and spaces) by a separator can be an assignment.
    const value = valueStart(text, start, i);
    if (value && isSecretKey(text.slice(start, i))) {
      const range = valueRange(text, value.at, value.element);
      if (range) {
        if (add(found, text, range) && firstOnly) {
          return found;
        }
        i = Math.max(i, range.end);
      }
    }
  }
  return mergeRanges(found);
}

/** Adds a non-empty range that is not already a marker; true when added. */
function add(found: SecretRange[], text: string, range: SecretRange | undefined): boolean {
  if (range && range.end > range.start && !isRedactionMarker(text.slice(range.start, range.end))) {
    found.push(range);
    return true;
  }
  return false;
}

/** Sorted, overlaps dropped (the earlier range wins; an assignment and a JWT often cover the same token). */
function mergeRanges(ranges: SecretRange[]): SecretRange[] {
  if (ranges.length < 2) {
    return ranges;
  }
  ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: SecretRange[] = [ranges[0]];
  for (const range of ranges.slice(1)) {
    const last = merged[merged.length - 1];
    if (range.start >= last.end) {
      merged.push(range);
    }
  }
  return merged;
}
