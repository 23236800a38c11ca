import pino, { Logger } from 'pino';
import { DREAMFACTORY_API_KEY_HEADER, DREAMFACTORY_SESSION_TOKEN_HEADER, PROXY_TOKEN_HEADER } from '@shared/headers';

const SECRET_HEADERS = ['authorization', PROXY_TOKEN_HEADER, DREAMFACTORY_API_KEY_HEADER, DREAMFACTORY_SESSION_TOKEN_HEADER];

/**
 * Structured JSON logs. Secrets are redacted by path as a second line of defence: code never logs config or
 * request headers on purpose, but a stray object must not leak a key either.
 */
export const REDACT_PATHS = [
  'apiToken',
  '*.apiToken',
  '*.password',
  '*.apiKey',
  'config.elasticsearch.password',
  'config.elasticsearch.apiKey',
  'config.dreamfactory.apiKey',
  'config.dreamfactory.adminPassword',
  '*.adminPassword',
  ...SECRET_HEADERS.flatMap((name) => [`req.headers["${name}"]`, `headers["${name}"]`]),
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'dreamfactory-insights-proxy' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination);
}

export type { Logger };
