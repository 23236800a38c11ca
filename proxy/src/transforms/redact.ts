/**
 * Secrets never reach an Elasticsearch document: values under any of the configured keys (any depth, any case) are
 * replaced by `[redacted]`, and so are those query-string parameters inside `event.request.uri` (DreamFactory accepts
 * `?api_key=` and `?session_token=`). The key itself stays, so an admin can still see that a call carried, say, an
 * API key header. DreamFactory redacts only its direct-POST path (dreamfactory-contract §1.3); events arrive raw.
 */
import { isObject, JsonObject } from './objects';

export const REDACTED = '[redacted]';

/** Redacts `root` in place. Iterative, so nesting depth cannot overflow the stack. */
export function redactKeys(root: unknown, keys: ReadonlySet<string>): void {
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') {
      continue;
    }
    for (const [key, value] of Object.entries(node)) {
      if (!Array.isArray(node) && keys.has(key.toLowerCase())) {
        (node as JsonObject)[key] = REDACTED;
      } else if (value !== null && typeof value === 'object') {
        stack.push(value);
      }
    }
  }
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

export function redactEvent(doc: JsonObject, keys: ReadonlySet<string>): void {
  redactKeys(doc, keys);
  const request = isObject(doc.event) ? doc.event.request : undefined;
  if (isObject(request) && typeof request.uri === 'string') {
    request.uri = redactUriQuery(request.uri, keys);
  }
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
