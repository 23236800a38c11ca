import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../config';
import { fingerprintKeyFile, loadFingerprintKey, redactorFromConfig } from '.';

describe('the fingerprint key', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dfi-fingerprint-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lives next to the disk queue unless configured elsewhere', () => {
    expect(fingerprintKeyFile(loadConfig({ QUEUE_DIR: dir }))).toBe(join(dir, 'fingerprint.key'));
    expect(fingerprintKeyFile(loadConfig({ QUEUE_DIR: dir, REDACT_FINGERPRINT_KEY_FILE: '/etc/insights/key' }))).toBe('/etc/insights/key');
  });

  it('is created on first use, readable by its owner only, and the same after a restart', () => {
    const file = join(dir, 'queue', 'fingerprint.key');
    const key = loadFingerprintKey(file);
    expect(key).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadFingerprintKey(file).equals(key)).toBe(true);
  });

  it('gives the same fingerprints to every redactor of one installation (restarts, the setup CLI)', () => {
    const config = loadConfig({ QUEUE_DIR: dir });
    const first = redactorFromConfig(config).redactSecretValue('hunter2');
    expect(first).toMatch(/^\[redacted:[0-9a-f]{8}\]$/);
    expect(redactorFromConfig(config).redactSecretValue('hunter2')).toBe(first);
  });

  it('is never part of the configuration the proxy could show', () => {
    const config = loadConfig({ QUEUE_DIR: dir });
    redactorFromConfig(config).redactSecretValue('hunter2');
    const key = readFileSync(join(dir, 'fingerprint.key'), 'utf8').trim();
    expect(JSON.stringify(config)).not.toContain(key);
  });

  it('refuses a damaged key file rather than silently starting new fingerprints', () => {
    const file = join(dir, 'fingerprint.key');
    writeFileSync(file, 'not a key\n');
    expect(() => loadFingerprintKey(file)).toThrow(ConfigError);
    expect(() => loadFingerprintKey(file)).toThrow(/not 64 hex characters/);
  });

  it('names the file when it cannot be created', () => {
    const blocker = join(dir, 'file');
    writeFileSync(blocker, '');
    expect(() => loadFingerprintKey(join(blocker, 'fingerprint.key'))).toThrow(/Cannot read or create the redaction fingerprint key .*REDACT_FINGERPRINT_KEY_FILE/);
  });
});

describe('redaction configuration', () => {
  it('reads the redact* settings from the environment', () => {
    const config = loadConfig({ REDACT_KEYS: 'ssn, x-internal', REDACT_WORDS: 'password,PIN', REDACT_KEEP_KEYS: 'x-csrf-token', REDACT: 'false' });
    expect(config.ingest).toMatchObject({ redact: false, redactKeys: ['ssn', 'x-internal'], redactWords: ['password', 'pin'], redactKeepKeys: ['x-csrf-token'] });
    const redactor = redactorFromConfig(config);
    expect([redactor.isSecretKey('SSN'), redactor.isSecretKey('card_pin'), redactor.isSecretKey('x-csrf-token'), redactor.isSecretKey('access_token')]).toEqual([true, true, false, false]);
  });

  it('names a bad word', () => {
    expect(() => loadConfig({ REDACT_WORDS: 'pass word' })).toThrow('ingest.redactWords.0: a word is letters and digits only');
  });
});
