import pino, { Logger } from 'pino';
import { createRedactor, DEFAULT_REDACTION_RULES, type Redactor } from './redaction';

/**
 * Structured JSON logs. Every line passes the redactor before it is written (README.md "Secrets"): code never logs
 * config or request headers on purpose, but a stray object, an error message or a request URL must not leak a key
 * either. Lines without anything secret-looking are written as they are.
 */
export function createLogger(level: string, destination?: pino.DestinationStream, redactor: Redactor = createRedactor(DEFAULT_REDACTION_RULES)): Logger {
  const redactLine = (line: string): string => {
    const redacted = redactor.redactString(line);
    return redacted === line || redacted.endsWith('\n') ? redacted : `${redacted}\n`;
  };
  return pino({ level, base: { service: 'dreamfactory-insights-proxy' }, hooks: { streamWrite: redactLine } }, destination);
}

export type { Logger };
