/**
 * DreamFactory session tokens (docs/dreamfactory.md#session-tokens): HS256 JWTs from tymon/jwt-auth with its claims.
 */
import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, errors, jwtVerify } from 'jose';
import { DfError } from './errors';

/** DF_JWT_TTL default: 1440 minutes. */
export const JWT_TTL_SECONDS = 1440 * 60;

const EXPIRED =
  'Token has expired: Session expired. Please refresh your token (if still within refresh window) or re-login.';

export interface SessionClaims {
  user_id: number;
  sub: string;
}

const key = (secret: string) => new TextEncoder().encode(secret);

/** 16 random alphanumeric characters, like tymon's `jti`. */
function randomJti(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(16)].map((b) => alphabet[b % alphabet.length]).join('');
}

export async function mintSessionToken(
  secret: string,
  user: { id: number; email: string },
  issuer: string,
  nowSeconds = Math.floor(Date.now() / 1000)
): Promise<string> {
  return new SignJWT({ user_id: user.id })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(issuer)
    .setIssuedAt(nowSeconds)
    .setNotBefore(nowSeconds)
    .setExpirationTime(nowSeconds + JWT_TTL_SECONDS)
    .setJti(randomJti())
    .setSubject(createHash('md5').update(user.email).digest('hex'))
    .sign(key(secret));
}

/** The token's user id; DreamFactory's 401 for expired or invalid tokens. */
export async function verifySessionToken(secret: string, token: string): Promise<SessionClaims> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { algorithms: ['HS256'] });
    if (typeof payload.user_id !== 'number' || typeof payload.sub !== 'string') {
      throw new DfError(401, 'Token Signature could not be verified.');
    }
    return { user_id: payload.user_id, sub: payload.sub };
  } catch (err) {
    if (err instanceof DfError) {
      throw err;
    }
    if (err instanceof errors.JWTExpired) {
      throw new DfError(401, EXPIRED);
    }
    throw new DfError(401, 'Token Signature could not be verified.');
  }
}
