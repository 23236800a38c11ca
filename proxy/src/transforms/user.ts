/**
 * Who made the call. In order: the JWT in `x-dreamfactory-session-token`, a `Bearer` JWT in `authorization`, a
 * `session_token` query parameter, then `platform.session.user.id` (present when the Logstash service's context
 * includes `_platform.session`). JWTs are decoded WITHOUT verification: the proxy only reads DreamFactory's own
 * `user_id` claim for attribution and never trusts it for access. A token that does not decode never fails the event;
 * it is tagged `_jwt_decode_failure` and the next source is tried. A redaction marker (DreamFactory's `***REDACTED***`
 * on script log lines and filtered headers) means "no token here": skipped, not a failure.
 */
import { decodeJwt } from 'jose';
import { DREAMFACTORY_SESSION_TOKEN_HEADER } from '@shared/headers';
import { isRedactionMarker } from '../redaction';
import { getIgnoreCase, getPath, isObject, JsonObject } from './objects';

export interface UserFields {
  id: string;
  email?: string;
  name?: string;
}

export interface Attribution {
  user?: UserFields;
  jwtFailed: boolean;
}

function firstString(value: unknown): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function idString(value: unknown): string | undefined {
  return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value !== '') ? String(value) : undefined;
}

/** Session tokens repeat across a user's calls: decoding each distinct token once is enough. */
const JWT_CACHE_ENTRIES = 4096;
const decodedTokens = new Map<string, string | undefined | null>();

/** `user_id` claim, `undefined` when the token decodes without one, `null` when it does not decode. */
function jwtUserId(token: string): string | undefined | null {
  const cached = decodedTokens.get(token);
  if (cached !== undefined || decodedTokens.has(token)) {
    return cached;
  }
  let id: string | undefined | null;
  try {
    id = idString(decodeJwt(token).user_id);
  } catch {
    id = null;
  }
  if (decodedTokens.size >= JWT_CACHE_ENTRIES) {
    // Oldest first: Map iteration follows insertion order.
    decodedTokens.delete(decodedTokens.keys().next().value!);
  }
  decodedTokens.set(token, id);
  return id;
}

function tokenCandidates(request: unknown): string[] {
  if (!isObject(request)) {
    return [];
  }
  const headers = isObject(request.headers) ? request.headers : {};
  const bearer = /^bearer\s+(\S+)$/i.exec(firstString(getIgnoreCase(headers, 'authorization')) ?? '');
  const parameters = isObject(request.parameters) ? request.parameters : {};
  return [
    firstString(getIgnoreCase(headers, DREAMFACTORY_SESSION_TOKEN_HEADER)),
    bearer?.[1],
    firstString(getIgnoreCase(parameters, 'session_token')),
  ].filter((t): t is string => t !== undefined && !isRedactionMarker(t));
}

/** Reads the (not yet redacted) event and platform objects. */
export function attributeUser(event: unknown, platform: unknown): Attribution {
  let jwtFailed = false;
  let id: string | undefined;
  for (const token of tokenCandidates(getPath(event, ['request']))) {
    const found = jwtUserId(token);
    if (found === null) {
      jwtFailed = true;
    } else if (found !== undefined) {
      id = found;
      break;
    }
  }
  const sessionUser = getPath(platform, ['session', 'user']);
  const session: JsonObject = isObject(sessionUser) ? sessionUser : {};
  const sessionId = idString(session.id);
  id ??= sessionId;
  if (id === undefined) {
    return { jwtFailed };
  }
  const user: UserFields = { id };
  // Name and email only when the session describes the same user the token named.
  if (sessionId === id) {
    const email = firstString(session.email);
    const name = firstString(session.name) ?? firstString(session.display_name);
    if (email) {
      user.email = email;
    }
    if (name) {
      user.name = name;
    }
  }
  return { user, jwtFailed };
}
