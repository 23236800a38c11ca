import { randomBytes } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { DfLogEvent, gelfDatagrams, gelfPayload, jsonModeBody, phpJsonEncode } from './log-formats';

const event: DfLogEvent = {
  message: 'db._table.contact.get',
  level: 'WARNING',
  timestamp: 1716800000.1234,
  host: 'df01',
  event: { request: { uri: '/api/v2/db/_table/contact?limit=1', payload: [] } },
  platform: { session: { user: { id: 3, name: 'Zoë' } } },
};

describe('DreamFactory log formats', () => {
  it("escapes like PHP's json_encode: \\/ and lower-case \\u escapes for non-ASCII", () => {
    expect(phpJsonEncode({ a: 'a/b', n: 'Zoë 😀' }, { escapeSlashes: true })).toBe('{"a":"a\\/b","n":"Zo\\u00eb \\ud83d\\ude00"}');
    expect(phpJsonEncode({ a: 'a/b' }, { escapeSlashes: false })).toBe('{"a":"a/b"}');
  });

  it('builds the GELF payload in GelfMessage order with short_message null', () => {
    expect(gelfPayload(event)).toBe(
      '{"version":"1.1","host":"df01","short_message":null,"full_message":"db._table.contact.get","timestamp":1716800000.1234,"level":4,' +
        '"_php_sapi":"fpm-fcgi","_file":"\\/opt\\/dreamfactory\\/public\\/index.php",' +
        '"_event":{"request":{"uri":"\\/api\\/v2\\/db\\/_table\\/contact?limit=1","payload":[]}},"_platform":{"session":{"user":{"id":3,"name":"Zo\\u00eb"}}}}'
    );
  });

  it('sends one zlib datagram (78 9c) when it fits in 8154 bytes', () => {
    const [datagram, ...rest] = gelfDatagrams(event);
    expect(rest).toEqual([]);
    expect(datagram.subarray(0, 2).toString('hex')).toBe('789c');
    expect(inflateSync(datagram).toString()).toBe(gelfPayload(event));
  });

  it('drops a message over 128 pieces, as df-logger does', () => {
    const huge = { ...event, event: { response: { content: randomBytes(1_500_000).toString('base64') } } };
    expect(gelfDatagrams(huge)).toEqual([]);
  });

  it('sends the plain-JSON body with _message, Monolog _level and unescaped slashes', () => {
    expect(jsonModeBody(event)).toBe(
      '{"_event":{"request":{"uri":"/api/v2/db/_table/contact?limit=1","payload":[]}},"_platform":{"session":{"user":{"id":3,"name":"Zo\\u00eb"}}},"_message":"db._table.contact.get","_level":300}'
    );
  });
});
