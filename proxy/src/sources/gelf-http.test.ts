import Fastify, { FastifyInstance } from 'fastify';
import { deflateSync, gzipSync } from 'node:zlib';
import { registerGelfHttpRoute } from './gelf-http';
import { createSourceHarness, SourceHarness } from './test-harness';

describe('GELF HTTP route', () => {
  let h: SourceHarness;
  let app: FastifyInstance;
  const message = { version: '1.1', host: 'app01', short_message: 'over http', _user_id: 7 };

  beforeEach(async () => {
    h = createSourceHarness();
    app = Fastify();
    // Another route with the default JSON parser, to show the raw-body parser stays inside the GELF route.
    app.post('/other', async (request) => ({ echoed: request.body }));
    await registerGelfHttpRoute(app, h.deps, 4096);
  });
  afterEach(() => app.close());

  const post = (payload: Buffer | string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    app.inject({ method: 'POST', url: '/gelf', headers, payload });

  it.each([
    ['plain JSON', Buffer.from(JSON.stringify(message)), {}],
    ['gzip with Content-Encoding', gzipSync(JSON.stringify(message)), { 'content-encoding': 'gzip' }],
    ['zlib labelled gzip,deflate (graypy)', deflateSync(JSON.stringify(message)), { 'content-encoding': 'gzip,deflate' }],
    ['zlib with no content type at all', deflateSync(JSON.stringify(message)), null],
  ])('accepts %s with 202', async (_name, body, headers) => {
    const response = await post(body, headers === null ? {} : { 'content-type': 'application/json', ...headers });
    expect(response.statusCode).toBe(202);
    expect(h.messages).toEqual([expect.objectContaining({ source: 'gelf_http', format: 'gelf', body: message })]);
  });

  it('answers 400 with a clear message for bad JSON and for non-objects, counting each', async () => {
    const bad = await post('{"short_message":');
    expect([bad.statusCode, bad.json()]).toEqual([400, { error: 'Body is not valid JSON' }]);
    const array = await post('[1]');
    expect([array.statusCode, array.json()]).toEqual([400, { error: 'Body must be a JSON object' }]);
    expect(await h.count('dropped', { source: 'gelf_http', reason: 'bad_json' })).toBe(1);
    expect(await h.count('dropped', { source: 'gelf_http', reason: 'not_object' })).toBe(1);
    expect(h.messages).toEqual([]);
  });

  it('answers 413 for a body or a decompressed body over the cap', async () => {
    expect((await post(JSON.stringify({ short_message: 'x'.repeat(5000) }))).statusCode).toBe(413);
    expect((await post(gzipSync(Buffer.alloc(1 << 20, 0x20)))).statusCode).toBe(413);
    // 1 MiB of spaces gzips to ~1 KB: past a 4 KiB cap, but not 100× smaller than it, so too_big rather than bomb.
    expect(await h.count('dropped', { source: 'gelf_http', reason: 'too_big' })).toBe(2);
  });

  it('leaves the JSON parsing of other routes alone', async () => {
    const response = await app.inject({ method: 'POST', url: '/other', payload: { a: 1 } });
    expect(response.json()).toEqual({ echoed: { a: 1 } });
  });
});
