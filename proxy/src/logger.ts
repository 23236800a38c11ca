import pino, { Logger } from 'pino';

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
  'req.headers.authorization',
  'req.headers["x-insights-token"]',
  'req.headers["x-dreamfactory-api-key"]',
  'req.headers["x-dreamfactory-session-token"]',
  'headers.authorization',
  'headers["x-insights-token"]',
  'headers["x-dreamfactory-api-key"]',
  'headers["x-dreamfactory-session-token"]',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'dreamfactory-insights-proxy' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination);
}

export type { Logger };
