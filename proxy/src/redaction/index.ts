/**
 * Redaction: secrets never reach an Elasticsearch document, a log line or an API answer. See ./redactor.ts for the
 * rules and README.md "Secrets" for what an operator sees and configures.
 */
import type { Config } from '../config';
import { fingerprintKeyFile, loadFingerprintKey } from './fingerprint';
import { createRedactor, RedactionRules, Redactor } from './redactor';
import { DEFAULT_SECRET_KEYS, DEFAULT_SECRET_WORDS } from '../secret-key-defaults';

export { createRedactor } from './redactor';
export type { NodeRedactor, RedactionRules, Redactor } from './redactor';
export { DEFAULT_SECRET_KEYS, DEFAULT_SECRET_WORDS } from '../secret-key-defaults';
export { CONTENT_REDACTED, DREAMFACTORY_REDACTED, isRedactionMarker, MULTIPART_REDACTED, REDACTED } from './markers';
export { fingerprintKeyFile, loadFingerprintKey } from './fingerprint';

/** The default rules, without a fingerprint key (markers are then plain `[redacted]`). */
export const DEFAULT_REDACTION_RULES: RedactionRules = { keys: DEFAULT_SECRET_KEYS, words: DEFAULT_SECRET_WORDS, keepKeys: [] };

/** The configured rules (`ingest.redact*`); the fingerprint key file is read, or created, on the first fingerprint. */
export function redactorFromConfig(config: Pick<Config, 'ingest' | 'queue'>): Redactor {
  const { redactKeys, redactWords, redactKeepKeys } = config.ingest;
  const file = fingerprintKeyFile(config);
  return createRedactor({ keys: redactKeys, words: redactWords, keepKeys: redactKeepKeys, fingerprintKey: () => loadFingerprintKey(file) });
}
