/**
 * Fingerprints of redacted secrets: the first 8 hex characters (32 bits) of HMAC-SHA256(installation key, secret).
 * Keyed, so nobody without the key can test a guessed password against a stored fingerprint; stable, so the same
 * session token has the same fingerprint in every document and an admin can still follow one token's calls.
 *
 * The key is 32 random bytes in a file created on first use (mode 0600) next to the disk queue, which already has to
 * survive restarts: `<QUEUE_DIR>/fingerprint.key`, or `REDACT_FINGERPRINT_KEY_FILE`. It is never logged, never in
 * the config object, never sent anywhere. Proxies that should produce the same fingerprints share the file; deleting
 * it starts new fingerprints (old documents keep theirs).
 */
import { createHmac, createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError, type Config } from '../config';

const KEY_BYTES = 32;
export const FINGERPRINT_CHARS = 8;
const KEY_FILE_NAME = 'fingerprint.key';
/**
 * Fingerprints remembered: the same session tokens and API keys come back call after call, and an HMAC costs ~100×
 * a lookup. The secrets stay in the proxy's memory (where they pass anyway) until the cache fills and is emptied.
 */
const CACHE_LIMIT = 4096;

export function fingerprintKeyFile(config: Pick<Config, 'ingest' | 'queue'>): string {
  return config.ingest.redactFingerprintKeyFile ?? join(config.queue.dir, KEY_FILE_NAME);
}

/** Reads the key, creating the file when there is none (two processes starting together agree on one key). */
export function loadFingerprintKey(file: string): Buffer {
  try {
    return parseKey(file, readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw keyError(file, err);
    }
  }
  const key = randomBytes(KEY_BYTES);
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      return parseKey(file, readFileSync(file, 'utf8'));
    }
    throw keyError(file, err);
  }
}

function parseKey(file: string, text: string): Buffer {
  const hex = text.trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new ConfigError(`The redaction fingerprint key ${file} is not 64 hex characters; restore it, or delete it to start new fingerprints.`);
  }
  return Buffer.from(hex, 'hex');
}

function keyError(file: string, err: unknown): ConfigError {
  return err instanceof ConfigError
    ? err
    : new ConfigError(`Cannot read or create the redaction fingerprint key ${file} (${(err as Error).message}); set REDACT_FINGERPRINT_KEY_FILE to a writable path.`);
}

/** `key` may be a loader, called once, on the first fingerprint (so a process that never redacts never touches it). */
export function fingerprinter(key: Uint8Array | (() => Uint8Array)): (secret: string) => string {
  // A KeyObject, imported once: handing createHmac raw bytes re-imports the key on every call (5× slower).
  let hmacKey: KeyObject | undefined;
  const cache = new Map<string, string>();
  return (secret) => {
    let fingerprint = cache.get(secret);
    if (fingerprint === undefined) {
      hmacKey ??= createSecretKey(typeof key === 'function' ? key() : key);
      fingerprint = createHmac('sha256', hmacKey).update(secret).digest('hex').slice(0, FINGERPRINT_CHARS);
      if (cache.size >= CACHE_LIMIT) {
        cache.clear();
      }
      cache.set(secret, fingerprint);
    }
    return fingerprint;
  };
}
