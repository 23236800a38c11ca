import { createRedactor, DEFAULT_REDACTION_RULES } from '../redaction';
import { deadLetterDoc } from './dead-letter';

describe('deadLetterDoc', () => {
  const redactor = createRedactor(DEFAULT_REDACTION_RULES);
  // An event queued by a proxy without redaction, refused with a reason quoting the value.
  const event = { id: 'abc', doc: JSON.stringify({ event: { request: { method: { password: 'hunter2' }, headers: { 'x-dreamfactory-api-key': 'df-key-123' } } } }) };
  const error = { type: 'document_parsing_exception', reason: "failed to parse field [event.request.method] of type [keyword]. Preview of field's value: '{password=hunter2}'" };

  it('keeps why, where and the original, with secrets redacted', () => {
    const letter = JSON.parse(deadLetterDoc(event, 'logstash-dreamfactory-2026.11.23', 400, error, new Date('2026-11-23T10:00:00Z'), redactor));
    expect(letter).toMatchObject({ event_id: 'abc', target_index: 'logstash-dreamfactory-2026.11.23', status: 400, error_type: 'document_parsing_exception' });
    expect(JSON.stringify(letter)).not.toMatch(/hunter2|df-key-123/);
    expect(JSON.parse(letter.original)).toEqual({ event: { request: { method: { password: '[redacted]' }, headers: { 'x-dreamfactory-api-key': '[redacted]' } } } });
    expect(letter.error_reason).toContain('failed to parse field [event.request.method]');
  });

  it('keeps the original as it was when redaction is off', () => {
    const letter = JSON.parse(deadLetterDoc(event, 'x', 400, error, new Date()));
    expect(letter.original).toBe(event.doc);
  });
});
