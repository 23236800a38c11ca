import { classifyHecReply, epochSeconds, toHecEvent } from './splunk-hec-events';

const queued = {
  id: 'ev-1',
  index: 'logstash-dreamfactory-2024.05.27',
  doc: JSON.stringify({ '@timestamp': '2024-05-27T08:53:20.123456Z', message: 'GET db/_table/contact', source_hostname: 'df-1', event: { request: { method: 'GET' } } }),
};
const options = { sourcetype: 'dreamfactory', source: 'dreamfactory-insights', eventBody: 'document' as const };

describe('toHecEvent', () => {
  it('sends the document as the event, @timestamp as HEC time (µs kept) and the event id as an indexed field', () => {
    expect(JSON.parse(toHecEvent(queued, { ...options, index: 'df' }))).toEqual({
      time: 1716800000.123456,
      host: 'df-1',
      source: 'dreamfactory-insights',
      sourcetype: 'dreamfactory',
      index: 'df',
      event: { message: 'GET db/_table/contact', source_hostname: 'df-1', event: { request: { method: 'GET' } } },
      fields: { event_id: 'ev-1' },
    });
  });

  it('sends only the message text as the event in message mode, like the reference Logstash output', () => {
    expect(JSON.parse(toHecEvent(queued, { ...options, eventBody: 'message' })).event).toBe('GET db/_table/contact');
    const silent = { ...queued, doc: JSON.stringify({ '@timestamp': '2024-05-27T08:53:20.123456Z', message: '' }) };
    expect(JSON.parse(toHecEvent(silent, { ...options, eventBody: 'message' })).event).toBe('(no message)');
  });

  it('reads ISO timestamps with or without a fraction and leaves time out when there is none', () => {
    expect(epochSeconds('2024-05-27T08:53:20Z')).toBe(1716800000);
    expect(epochSeconds('2024-05-27T10:53:20.5+02:00')).toBe(1716800000.5);
    expect(epochSeconds('yesterday')).toBeUndefined();
    expect(epochSeconds(undefined)).toBeUndefined();
  });
});

describe('classifyHecReply', () => {
  it('accepts only a 2xx with code 0', () => {
    expect(classifyHecReply(200, { text: 'Success', code: 0 }, 3)).toEqual({ kind: 'accepted' });
  });

  it('retries busy, server errors, throttling and non-HEC answers from a gateway', () => {
    expect(classifyHecReply(503, { text: 'Server is busy', code: 9 }, 3)).toEqual({ kind: 'retry', reason: 'Server is busy (HEC code 9, HTTP 503)' });
    expect(classifyHecReply(500, { text: 'Internal server error', code: 8 }, 3).kind).toBe('retry');
    expect(classifyHecReply(429, undefined, 3)).toEqual({ kind: 'retry', reason: 'HTTP 429' });
    expect(classifyHecReply(502, undefined, 3).kind).toBe('retry');
  });

  it('dead-letters the one bad event named by invalid-event-number, keeping those before it', () => {
    expect(classifyHecReply(400, { text: 'Invalid data format', code: 6, 'invalid-event-number': 1 }, 3)).toEqual({
      kind: 'rejected',
      at: 1,
      reason: 'Invalid data format (HEC code 6, HTTP 400)',
    });
  });

  it('refuses the whole batch for token problems and for an index the token may not write', () => {
    expect(classifyHecReply(403, { text: 'Invalid token', code: 4 }, 3)).toEqual({ kind: 'refused', reason: 'Invalid token (HEC code 4, HTTP 403)' });
    expect(classifyHecReply(401, { text: 'Token is required', code: 2 }, 3).kind).toBe('refused');
    expect(classifyHecReply(400, { text: 'Incorrect index', code: 7, 'invalid-event-number': 0 }, 3).kind).toBe('refused');
    expect(classifyHecReply(400, { text: 'Invalid data format', code: 6, 'invalid-event-number': 9 }, 3).kind).toBe('refused');
  });
});
