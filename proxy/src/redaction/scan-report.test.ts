import { createRedactor, DEFAULT_REDACTION_RULES } from '.';
import { changedFields, type IndexScan } from './index-scan';
import { formatSecretScan, secretsRemain } from './scan-report';

const scan = (overrides: Partial<IndexScan>): IndexScan => ({ index: 'logstash-dreamfactory-2026.11.23', scanned: 120, withSecrets: 0, fields: {}, rewritten: 0, conflicts: 0, failed: 0, errors: [], ...overrides });

describe('changedFields', () => {
  it('names the fields redaction changed, without array positions', () => {
    const redactor = createRedactor(DEFAULT_REDACTION_RULES);
    const doc = {
      message: 'user.session.post',
      event: { request: { content: '{"password":"x"}', headers: { accept: '*/*', authorization: 'Bearer abcdefghij' } }, response: { content: { resource: [{ id: 1 }, { session_token: 't' }] } } },
    };
    const redacted = structuredClone(doc);
    redactor.redactInPlace(redacted);
    expect(changedFields(doc, redacted)).toEqual(['event.request.content', 'event.request.headers.authorization', 'event.response.content.resource.session_token']);
    expect(changedFields(doc, structuredClone(doc))).toEqual([]);
  });
});

describe('formatSecretScan', () => {
  it('reports a dry run per index, busiest field first, and asks for --apply', () => {
    const result = {
      applied: false,
      indices: [scan({ withSecrets: 3, fields: { 'event.request.content': 2, 'event.response.content.session_token': 3 } }), scan({ index: 'dreamfactory-insights-deadletter', scanned: 4 })],
    };
    expect(formatSecretScan(result)).toBe(
      [
        'DreamFactory Insights: secrets scan (dry run: nothing was changed)',
        '  ! logstash-dreamfactory-2026.11.23: 120 documents scanned, 3 hold secrets',
        '      event.response.content.session_token (3), event.request.content (2)',
        '  ✔ dreamfactory-insights-deadletter: 4 documents scanned, none holds a secret',
        '',
        '3 documents in 1 index hold secrets. Run again with --apply to rewrite them.',
        '',
      ].join('\n')
    );
    expect(secretsRemain(result)).toBe(true);
  });

  it('reports what --apply rewrote, and whether anything is left', () => {
    const done = { applied: true, indices: [scan({ withSecrets: 3, rewritten: 3, fields: { pwd: 3 } })] };
    expect(formatSecretScan(done)).toContain('  ✎ logstash-dreamfactory-2026.11.23: 120 documents scanned, 3 hold secrets, 3 rewritten\n');
    expect(formatSecretScan(done)).toContain('All 3 documents holding secrets rewritten.');
    expect(secretsRemain(done)).toBe(false);
    const raced = { applied: true, indices: [scan({ withSecrets: 3, rewritten: 2, conflicts: 1 })] };
    expect(formatSecretScan(raced)).toContain('3 hold secrets, 2 rewritten, 1 changed meanwhile');
    expect(secretsRemain(raced)).toBe(true);
  });

  it('says so when there is nothing to scan or an index cannot be read', () => {
    expect(formatSecretScan({ applied: false, indices: [] })).toContain('No index to scan.');
    const broken = { applied: false, indices: [scan({ scanned: 0, failed: 1, errors: ['reading x failed: closed'] })] };
    expect(formatSecretScan(broken)).toContain('  ✖ logstash-dreamfactory-2026.11.23');
    expect(formatSecretScan(broken)).toContain('Some indices could not be read');
    expect(secretsRemain(broken)).toBe(true);
  });
});
