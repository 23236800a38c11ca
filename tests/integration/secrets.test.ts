/**
 * No secret leaves the proxy. DreamFactory traffic in its wire formats through every listener: ordinary calls with
 * session tokens and API keys, logins (user and admin, JSON and form bodies: the password in the parsed payload and
 * in the raw body, the session JWT under two names in the response, the session's own secrets as DreamFactory logged
 * them before 2026-05), user creation with the new user's password, and one call Elasticsearch refuses (so it is
 * dead-lettered). Then every indexed document, the dead-letter index, every proxy log line (at debug level) and every
 * API response is searched for the planted values and for anything JWT-shaped. Last, documents written straight into
 * an index with secrets are found by `proxy setup --scan-secrets` and cleaned by `--apply` (the real CLI).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { DREAMFACTORY_API_KEY_HEADER, DREAMFACTORY_SESSION_TOKEN_HEADER, PROXY_TOKEN_HEADER } from '@shared/headers';
import { loadConfig } from '../../proxy/src/config';
import { buildProxyServer, createProxyParts, ingestDeps, type ProxyParts } from '../../proxy/src/compose';
import { createLogger } from '../../proxy/src/logger';
import { Ingest, startIngest } from '../../proxy/src/pipeline';
import { redactorFromConfig } from '../../proxy/src/redaction';
import { buildIndexTemplate, templateNameFor } from '../../proxy/src/setup/index-template';
import { mintSessionToken } from '../dreamfactory-sim/jwt';
import { DfLogEvent, loginLogEvent, userCreationLogEvent } from '../dreamfactory-sim/log-formats';
import { generateEvents, sendEvent, WireFormat } from '../dreamfactory-sim/sender';
import { Simulator, startSimulator } from '../dreamfactory-sim/server';
import { secureEs, uniquePrefix } from './env';

const REPO_ROOT = resolve(__dirname, '../..');
const LOOPBACK = { host: '127.0.0.1', port: 0 };
const PROXY_TOKEN = 'secret-proxy-token-0123456789abcdef';
const FORMATS: WireFormat[] = ['gelf-udp', 'json-udp', 'json-tcp', 'json-http'];
/** The oracle for "anything JWT-shaped", independent of the proxy's scanner. */
const JWT_SHAPED = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/;
const MARKER = /^\[redacted:[0-9a-f]{8}\]$/;

class MemoryLog extends Writable {
  lines: string[] = [];
  _write(chunk: Buffer, _enc: string, done: () => void) {
    this.lines.push(chunk.toString());
    done();
  }
}

/** Session tokens and API keys in the generated ordinary calls. */
function headerSecrets(events: DfLogEvent[]): string[] {
  const found = new Set<string>();
  for (const event of events) {
    const headers = (event.event?.request as { headers?: Record<string, string> } | undefined)?.headers ?? {};
    for (const [name, value] of Object.entries(headers)) {
      if ([DREAMFACTORY_SESSION_TOKEN_HEADER, DREAMFACTORY_API_KEY_HEADER].includes(name)) {
        found.add(value);
      }
      if (name === 'authorization') {
        found.add(value.replace(/^Bearer\s+/i, ''));
      }
    }
  }
  return [...found];
}

/** Throws naming where a secret (only its first characters) or a JWT-shaped string was found. */
function expectNoSecrets(haystacks: Record<string, string>, secrets: string[]): void {
  for (const [where, text] of Object.entries(haystacks)) {
    for (const secret of secrets) {
      if (text.includes(secret)) {
        const at = text.indexOf(secret);
        throw new Error(
          `a secret (${secret.slice(0, 6)}…) appears in ${where}: ${text.slice(Math.max(0, at - 300), at + 80)}`
        );
      }
    }
    const jwt = JWT_SHAPED.exec(text);
    if (jwt) {
      throw new Error(`something JWT-shaped (${jwt[0].slice(0, 12)}…) appears in ${where}`);
    }
  }
}

describe('secrets never leave the proxy', () => {
  let sim: Simulator;
  let parts: ProxyParts;
  let ingest: Ingest;
  let app: FastifyInstance;
  let work: string;
  let pattern: string;
  const log = new MemoryLog();
  const responses: string[] = [];
  const planted: string[] = [];
  let ordinary: DfLogEvent[] = [];
  /** The token one user logged in with and then used for a call: its fingerprint must be the same in both. */
  let reusedToken = '';

  const search = async (index: string) =>
    (await parts.es.search<Record<string, any>>(index, { size: 10000, query: { match_all: {} } })).hits.hits.map(
      (h) => ({ index: h._index, id: h._id!, source: h._source! })
    );

  beforeAll(async () => {
    sim = await startSimulator({ users: 20, admins: 2, seed: 5 });
    work = mkdtempSync(join(tmpdir(), 'dfi-secrets-'));
    const es = secureEs();
    const prefix = uniquePrefix('secrets');
    pattern = `${prefix}*`;
    const config = loadConfig(
      {},
      {
        apiToken: PROXY_TOKEN,
        logLevel: 'debug',
        server: LOOPBACK,
        elasticsearch: { ...es, indexPrefix: prefix, deadLetterIndex: `${uniquePrefix('secrets-dead')}letters` },
        dreamfactory: { url: sim.url, apiKey: sim.apiKey },
        ingest: { gelfUdp: LOOPBACK, gelfTcp: LOOPBACK, jsonUdp: LOOPBACK, jsonTcp: LOOPBACK, jsonHttp: LOOPBACK },
        queue: { dir: join(work, 'queue') },
        sink: { flushIntervalMs: 100 },
        setupOnStart: false,
      }
    );
    // Wired as `serve` wires it: one redactor (and fingerprint key) for events, logs and answers.
    const redactor = redactorFromConfig(config);
    parts = createProxyParts(config, createLogger('debug', log, redactor), redactor);
    await parts.es.putIndexTemplate(templateNameFor(prefix), buildIndexTemplate(prefix));
    ingest = await startIngest(ingestDeps(parts));
    app = await buildProxyServer(parts, ingest);
    await app.listen(LOOPBACK);

    const admins = sim.store.adminUsers();
    const adminIds = new Set(admins.map((u) => u.id));
    const now = Date.now() / 1000;
    ordinary = await generateEvents({
      count: 40,
      users: sim.store.users.map((u) => ({
        id: u.id,
        email: u.email,
        name: u.name ?? u.username,
        is_sys_admin: adminIds.has(u.id),
      })),
      jwtSecret: sim.jwtSecret,
      seed: 9,
      startSeconds: now,
    });
    const credentialCalls: DfLogEvent[] = [];
    const issuer = `${sim.url}/api/v2/user/session`;
    for (const [i, user] of sim.store.nonAdmins().slice(0, 6).entries()) {
      const admin = i % 3 === 0;
      const person = admin ? admins[0] : user;
      const password = `Pw-${i}-${Math.random().toString(36).slice(2, 12)}`;
      const sessionToken = await mintSessionToken(sim.jwtSecret, person, issuer, Math.floor(now) + i);
      planted.push(password, sessionToken);
      credentialCalls.push(
        loginLogEvent({
          admin,
          form: i % 2 === 1,
          sessionSecrets: i % 3 === 2,
          user: {
            id: person.id,
            email: person.email,
            first_name: person.first_name ?? 'First',
            last_name: person.last_name ?? 'Last',
          },
          password,
          sessionToken,
          apiKey: sim.apiKey,
          timestamp: now + 1 + i / 100,
        })
      );
      reusedToken ||= sessionToken;
    }
    // The first login's token, used for a call afterwards.
    const call = structuredClone(ordinary[0]);
    (call.event!.request as { headers: Record<string, string> }).headers[DREAMFACTORY_SESSION_TOKEN_HEADER] =
      reusedToken;
    call.timestamp = now + 2;
    credentialCalls.push(call);
    const adminToken = await mintSessionToken(sim.jwtSecret, admins[0], issuer, Math.floor(now));
    for (let i = 0; i < 3; i++) {
      const password = `NewUser-${i}-${Math.random().toString(36).slice(2, 12)}`;
      planted.push(password, adminToken);
      credentialCalls.push(
        userCreationLogEvent({
          admin: {
            id: admins[0].id,
            email: admins[0].email,
            name: admins[0].name ?? 'Admin',
            sessionToken: adminToken,
          },
          apiKey: sim.apiKey,
          user: { email: `new${i}@example.com`, first_name: 'New', last_name: `User ${i}`, password },
          newId: 100 + i,
          timestamp: now + 3 + i / 100,
        })
      );
    }
    // Refused by the mapping (`event.request.method` is a keyword): goes to the dead-letter index.
    const refused = loginLogEvent({
      user: { id: 99, email: 'dead@example.com', first_name: 'Dead', last_name: 'Letter' },
      password: `Dl-${Math.random().toString(36).slice(2, 12)}`,
      sessionToken: adminToken,
      apiKey: sim.apiKey,
      timestamp: now + 4,
    });
    const refusedRequest = refused.event!.request as Record<string, unknown>;
    refusedRequest.method = {
      verb: 'POST',
      password: refusedRequest.payload && (refusedRequest.payload as { password: string }).password,
    };
    planted.push((refusedRequest.payload as { password: string }).password);

    const events = [...ordinary, ...credentialCalls, refused];
    for (const [i, event] of events.entries()) {
      const format = FORMATS[i % FORMATS.length];
      const source = ingest.sources.find((s) => s.name === format.replace('-', '_'));
      await sendEvent(format, '127.0.0.1', source!.address().port, event);
    }
    // Wait until everything accepted is searchable (and the refused event dead-lettered).
    const deadLetters = parts.config.elasticsearch.deadLetterIndex;
    for (let i = 0; i < 240; i++) {
      await parts.es.refresh(`${pattern},${deadLetters}`).catch(() => undefined);
      // A daily index created a moment ago may not have its shard started yet (503): that is "not yet", not a failure.
      const [indexed, dead] = await Promise.all([
        parts.es.count(pattern).catch(() => 0),
        parts.es.count(deadLetters).catch(() => 0),
      ]);
      if (indexed >= events.length - 1 && dead >= 1) {
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }

    // Every endpoint a browser or an operator can reach, with and without the token.
    const auth = { [PROXY_TOKEN_HEADER]: PROXY_TOKEN };
    const range = {
      from: new Date(Date.now() - 86400000).toISOString(),
      to: new Date(Date.now() + 60000).toISOString(),
    };
    const calls: Array<{ method: 'GET' | 'POST'; url: string; payload?: unknown; headers?: Record<string, string> }> = [
      { method: 'GET', url: '/health' },
      { method: 'GET', url: '/metrics' },
      { method: 'GET', url: '/api/status', headers: auth },
      { method: 'GET', url: '/api/status' },
      {
        method: 'GET',
        url: `/api/status?api_key=${sim.apiKey}`,
        headers: { [PROXY_TOKEN_HEADER]: 'wrong-token-wrong-token' },
      },
      { method: 'GET', url: '/api/datasource-health', headers: auth },
      { method: 'GET', url: '/api/limits', headers: auth },
      { method: 'GET', url: '/api/limit-counters', headers: auth },
      { method: 'GET', url: '/api/directory/users', headers: auth },
      { method: 'GET', url: '/api/variables/users', headers: auth },
      { method: 'GET', url: '/api/variables/endpoints', headers: auth },
      {
        method: 'POST',
        url: '/api/limits',
        headers: auth,
        payload: { name: 'bad', type: 'instance.user', rate: 0, period: 'minute' },
      },
      { method: 'POST', url: '/api/setup', headers: auth, payload: { dryRun: true } },
      { method: 'POST', url: '/api/doctor', headers: auth, payload: { timeoutMs: 2000 } },
      ...(['activity', 'timeseries', 'logs', 'users', 'limits', 'limitCounters'] as const).map((queryType) => ({
        method: 'POST' as const,
        url: '/api/query',
        headers: auth,
        payload: { range, queries: [{ refId: 'A', queryType }] },
      })),
    ];
    for (const call of calls) {
      const response = await app.inject({
        method: call.method,
        url: call.url,
        payload: call.payload as object,
        headers: call.headers,
      });
      // The label leaves out the query: one call sends a secret there on purpose.
      responses.push(
        `${call.method} ${call.url.split('?')[0]} ${response.statusCode}\n${JSON.stringify(response.headers)}\n${response.body}`
      );
    }
  });

  afterAll(async () => {
    await app?.close();
    await ingest?.stop();
    await parts?.es.close();
    await sim?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('the traffic really carried secrets, was indexed and attributed, and one event was dead-lettered', async () => {
    expect(headerSecrets(ordinary).length).toBeGreaterThan(5);
    expect(planted.length).toBeGreaterThan(15);
    const docs = await search(pattern);
    expect(docs.filter((d) => d.source.message === 'user.session.post')).toHaveLength(4);
    expect(
      docs.filter(
        (d) => d.source.message === 'system.user.post' && d.source.event.request.payload.resource?.[0]?.password
      )
    ).toHaveLength(3);
    // Users were still attributed: from tokens before they were removed, or from the session.
    expect(docs.filter((d) => d.source.user?.id).length).toBeGreaterThan(30);
    expect(docs.some((d) => d.source.tags?.includes('_jwt_decode_failure'))).toBe(false);
    expect(await parts.es.count(parts.config.elasticsearch.deadLetterIndex)).toBe(1);
  });

  it('no secret and nothing JWT-shaped appears in any document, dead letter, log line or response', async () => {
    const secrets = [
      PROXY_TOKEN,
      sim.apiKey,
      parts.config.elasticsearch.password!,
      ...headerSecrets(ordinary),
      ...planted,
    ];
    expect(log.lines.length).toBeGreaterThan(10);
    expectNoSecrets(
      {
        'Elasticsearch documents': JSON.stringify(await search(pattern)),
        'the dead-letter index': JSON.stringify(await search(parts.config.elasticsearch.deadLetterIndex)),
        'the proxy log': log.lines.join(''),
        'API responses': responses.join('\n'),
      },
      secrets
    );
  });

  it('keeps logins readable: the raw body without its password, one fingerprint per token wherever it appears', async () => {
    const docs = (await search(pattern)).map((d) => d.source);
    const logins = docs.filter((d) => d.message === 'user.session.post' || d.message === 'system.admin.session.post');
    expect(logins).toHaveLength(6);
    for (const login of logins) {
      const { request, response } = login.event;
      expect(request.payload.password).toMatch(MARKER);
      const raw =
        request.content_type === 'application/json'
          ? JSON.parse(request.content)
          : Object.fromEntries(new URLSearchParams(request.content));
      expect(raw).toMatchObject({ email: request.payload.email, password: request.payload.password });
      expect(response.content.session_token).toMatch(MARKER);
      expect(response.content.session_id).toBe(response.content.session_token);
      expect(response.content).toMatchObject({
        email: request.payload.email,
        token_expiry_date: '2026-11-24 10:00:00',
      });
    }
    // One user logged in, then called with the token: the login response and the call show the same marker.
    const marker = parts.redactor.redactSecretValue(reusedToken);
    expect(logins.filter((d) => d.event.response.content.session_token === marker)).toHaveLength(1);
    const calls = docs.filter((d) => d.event?.request?.headers?.[DREAMFACTORY_SESSION_TOKEN_HEADER] === marker);
    expect(calls).toHaveLength(1);
    expect(calls[0].user.id).toBe(String(sim.store.adminUsers()[0].id));
  });

  describe('documents indexed before redaction', () => {
    const oldToken = 'eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjo3fQ.b2xkLXNpZ25hdHVyZS1vbGQtc2lnbmF0dXJl';
    const oldPassword = 'Old-Password-4711';
    let oldIndex: string;
    let configFile: string;

    const cli = async (...args: string[]) => {
      try {
        const { stdout } = await promisify(execFile)(
          process.execPath,
          ['--import', 'tsx', 'proxy/src/main.ts', 'setup', ...args],
          {
            cwd: REPO_ROOT,
            env: { PATH: process.env.PATH, INSIGHTS_CONFIG: configFile },
          }
        );
        return { code: 0, stdout };
      } catch (err) {
        const failed = err as { code: number; stdout: string; stderr: string };
        return { code: failed.code, stdout: failed.stdout + failed.stderr };
      }
    };

    beforeAll(async () => {
      oldIndex = `${parts.config.elasticsearch.indexPrefix}2020.01.01`;
      const now = new Date().toISOString();
      const docs = [
        {
          '@timestamp': now,
          message: `login with session_token=${oldToken}`,
          level: 6,
          event: {
            request: {
              method: 'POST',
              uri: `/api/v2/db/_table/contact?api_key=${sim.apiKey}`,
              headers: { authorization: `Bearer ${oldToken}` },
              content: JSON.stringify({ password: oldPassword }),
            },
            response: { status_code: 200, content: { session_token: reusedToken } },
          },
        },
        {
          '@timestamp': now,
          message: 'db._table.contact.get',
          level: 6,
          event: { request: { method: 'GET', uri: '/api/v2/db/_table/contact?limit=5' } },
        },
      ];
      await parts.es.bulk(
        [
          ...docs.flatMap((doc, i) => [{ index: { _index: oldIndex, _id: `old-${i}` } }, doc]),
          { index: { _index: parts.config.elasticsearch.deadLetterIndex, _id: 'old-dead' } },
          { original: JSON.stringify(docs[0]) },
        ],
        'true'
      );
      configFile = join(work, 'cli-config.json');
      writeFileSync(
        configFile,
        JSON.stringify({ elasticsearch: parts.config.elasticsearch, queue: parts.config.queue })
      );
    });

    it('never shows them through the logs query', async () => {
      const range = {
        from: new Date(Date.now() - 60000).toISOString(),
        to: new Date(Date.now() + 60000).toISOString(),
      };
      const response = await app.inject({
        method: 'POST',
        url: '/api/query',
        headers: { [PROXY_TOKEN_HEADER]: PROXY_TOKEN },
        payload: { range, queries: [{ refId: 'A', queryType: 'logs' }] },
      });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('login with session_token=[redacted:');
      expectNoSecrets({ 'the logs query': response.body }, [oldToken, sim.apiKey]);
    });

    it('are found by --scan-secrets, cleaned by --apply, and a rerun finds nothing', async () => {
      const dry = await cli('--scan-secrets');
      expect(dry.code).toBe(1);
      expect(dry.stdout).toContain('(dry run: nothing was changed)');
      expect(dry.stdout).toContain(`! ${oldIndex}: 2 documents scanned, 1 holds secrets`);
      expect(dry.stdout).toMatch(/event\.request\.content \(1\).*event\.request\.headers\.authorization \(1\)/);
      expect(dry.stdout).toContain(
        `! ${parts.config.elasticsearch.deadLetterIndex}: 2 documents scanned, 1 holds secrets`
      );
      // Documents the proxy indexed itself hold none.
      const flagged = dry.stdout
        .split('\n')
        .filter((line) => line.startsWith('  ! '))
        .map((line) => line.slice(4, line.indexOf(':')));
      expect(flagged.sort()).toEqual([parts.config.elasticsearch.deadLetterIndex, oldIndex].sort());
      expect((await search(oldIndex)).find((d) => d.id === 'old-0')!.source.event.request.headers.authorization).toBe(
        `Bearer ${oldToken}`
      );

      const apply = await cli('--scan-secrets', '--apply');
      expect(apply.stdout).toContain(`✎ ${oldIndex}: 2 documents scanned, 1 holds secrets, 1 rewritten`);
      expect(apply.stdout).toContain('All 2 documents holding secrets rewritten.');
      expect(apply.code).toBe(0);

      await parts.es.refresh(`${pattern},${parts.config.elasticsearch.deadLetterIndex}`);
      const cleaned = await search(`${oldIndex},${parts.config.elasticsearch.deadLetterIndex}`);
      expectNoSecrets({ 'rewritten documents': JSON.stringify(cleaned) }, [
        oldToken,
        oldPassword,
        sim.apiKey,
        reusedToken,
      ]);
      const old = cleaned.find((d) => d.id === 'old-0')!.source;
      expect(old.event.request.headers.authorization).toMatch(/^Bearer \[redacted:[0-9a-f]{8}\]$/);
      // The CLI used the proxy's fingerprint key: the same token has the same marker as in the proxy's own documents.
      const sameToken = (await search(pattern)).filter(
        (d) => d.source.event?.response?.content?.session_token === old.event.response.content.session_token
      );
      expect(sameToken.map((d) => d.index === oldIndex).sort()).toEqual([false, true]);
      expect(cleaned.find((d) => d.id === 'old-1')!.source.event.request.uri).toBe('/api/v2/db/_table/contact?limit=5');

      const again = await cli('--scan-secrets');
      expect(again.stdout).toContain('No document holds a secret.');
      expect(again.code).toBe(0);
    });
  });
});
