import { Writable } from 'node:stream';
import { createLogger } from './logger';
import { createRedactor, DEFAULT_REDACTION_RULES } from './redaction';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjozfQ.c2lnbmF0dXJl';

function capture(redactor = createRedactor(DEFAULT_REDACTION_RULES)) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger('debug', stream, redactor), lines };
}

describe('proxy log lines', () => {
  it('never carry a secret, whatever object or message was logged', () => {
    const { logger, lines } = capture();
    logger.info({ config: { elasticsearch: { password: 'es-pass-123' }, dreamfactory: { adminPassword: 'df-admin-pass-123' }, apiToken: 'proxy-token-123' } }, 'starting');
    logger.warn({ req: { url: `/api/query?session_token=${JWT}`, headers: { 'X-Insights-Token': 'proxy-token-123' } } }, 'slow request');
    logger.error({ err: new Error(`upstream said: Authorization: Bearer ${JWT}`) }, 'failed');
    const text = lines.join('');
    expect(lines).toHaveLength(3);
    for (const secret of ['es-pass-123', 'df-admin-pass-123', 'proxy-token-123', JWT]) {
      expect(text).not.toContain(secret);
    }
    for (const line of lines) {
      expect(line.endsWith('}\n')).toBe(true);
      expect(() => JSON.parse(line)).not.toThrow();
    }
  });

  it('keeps the fingerprint of the configured redactor and leaves innocent lines as pino wrote them', () => {
    const redactor = createRedactor({ ...DEFAULT_REDACTION_RULES, fingerprintKey: Buffer.alloc(32, 9) });
    const { logger, lines } = capture(redactor);
    logger.info({ apiKey: 'df-key-123' }, 'configured');
    logger.info({ source: 'gelf_udp', port: 12201 }, 'listening');
    expect(JSON.parse(lines[0]).apiKey).toBe(redactor.redactSecretValue('df-key-123'));
    expect(JSON.parse(lines[1])).toMatchObject({ source: 'gelf_udp', port: 12201, msg: 'listening' });
  });
});
