/** What redaction leaves behind. Every marker is recognised again, so redacting twice changes nothing. */
import { FINGERPRINT_CHARS } from './fingerprint';

/** A secret replaced where no fingerprint key is configured. */
export const REDACTED = '[redacted]';
/** A string body that could not be parsed and held a secret: dropped whole. */
export const CONTENT_REDACTED = '[content_redacted]';
/** A multipart body: never stored (file uploads and form fields, secrets among them). */
export const MULTIPART_REDACTED = '[content_redacted:multipart]';
/** DreamFactory's own marker on its direct-POST path (df-logger since 2026-05). */
export const DREAMFACTORY_REDACTED = '***REDACTED***';

const FINGERPRINT_PREFIX = '[redacted:';

/** Case-insensitive ASCII comparison of `text` at `at` with a lower-case `word`. */
export function wordAt(text: string, at: number, word: string): boolean {
  if (at + word.length > text.length) {
    return false;
  }
  for (let k = 0; k < word.length; k++) {
    if ((text.charCodeAt(at + k) | 0x20) !== word.charCodeAt(k)) {
      return false;
    }
  }
  return true;
}

export function fingerprintMarker(fingerprint: string | undefined): string {
  return fingerprint === undefined ? REDACTED : `${FINGERPRINT_PREFIX}${fingerprint}]`;
}

/** A marker, alone or after an authorization scheme (`Bearer [redacted:1a2b3c4d]`). */
export function isRedactionMarker(value: string): boolean {
  let at = 0;
  for (const scheme of ['bearer', 'basic']) {
    if (wordAt(value, 0, scheme) && value.charCodeAt(scheme.length) === 32) {
      at = scheme.length + 1;
      break;
    }
  }
  const rest = at === 0 ? value : value.slice(at);
  if (rest === REDACTED || rest === DREAMFACTORY_REDACTED || (at === 0 && (rest === CONTENT_REDACTED || rest === MULTIPART_REDACTED))) {
    return true;
  }
  if (rest.length !== FINGERPRINT_PREFIX.length + FINGERPRINT_CHARS + 1 || !rest.startsWith(FINGERPRINT_PREFIX) || !rest.endsWith(']')) {
    return false;
  }
  for (let i = FINGERPRINT_PREFIX.length; i < rest.length - 1; i++) {
    const c = rest.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) {
      return false;
    }
  }
  return true;
}
