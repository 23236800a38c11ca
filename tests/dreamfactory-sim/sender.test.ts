import { decodeJwt, jwtVerify } from 'jose';
import { apiEventName, generateEvents, GenerateOptions, SessionTokens } from './sender';

const SECRET = 'sender-test-secret-sender-test-secret';
const users = [
  { id: 1, email: 'admin@example.com', name: 'Ada', is_sys_admin: true },
  { id: 3, email: 'jane@example.com', name: 'Jane' },
];
const options: GenerateOptions = { count: 300, users, jwtSecret: SECRET, seed: 42, startSeconds: 1716800000, sequence: true, tableTwins: true };

const request = (e: { event?: Record<string, unknown> }) => (e.event as { request: Record<string, any> }).request;

describe('generateEvents', () => {
  it('is reproducible for a seed (apart from JWT ids) and spaced in time', async () => {
    const strip = (events: Awaited<ReturnType<typeof generateEvents>>) => events.map((e) => [e.message, e.timestamp, request(e).method, request(e).uri]);
    const [a, b] = [await generateEvents(options), await generateEvents(options)];
    expect(strip(a)).toEqual(strip(b));
    expect(a).toHaveLength(300);
    expect(a[1].timestamp - a[0].timestamp).toBeCloseTo(0.01, 6);
  });

  it('mixes session users (valid HS256 JWTs with DreamFactory claims), admins and API-key-only calls', async () => {
    const events = await generateEvents(options);
    const tokens = events.map((e) => request(e).headers['x-dreamfactory-session-token'] ?? request(e).headers.authorization?.slice(7)).filter(Boolean);
    const { payload } = await jwtVerify(tokens[0], new TextEncoder().encode(SECRET), { algorithms: ['HS256'], currentDate: new Date(1716800000_000 + 60_000) });
    expect(Object.keys(payload).sort()).toEqual(['exp', 'iat', 'iss', 'jti', 'nbf', 'sub', 'user_id']);
    expect(events.some((e) => request(e).headers.authorization?.startsWith('Bearer '))).toBe(true);
    expect(events.filter((e) => !(e.platform as any).session.user).length).toBeGreaterThan(10);
    expect(events.some((e) => request(e).service === 'system' && (e.platform as any).session.user?.is_sys_admin)).toBe(true);
    expect(new Set(events.map((e) => (e.event as any).response.status_code)).size).toBeGreaterThan(4);
  });

  it('numbers real events for loss accounting and precedes DB table events with the {table_name} twin', async () => {
    const events = await generateEvents(options);
    const twinIndex = events.findIndex((e) => e.message.includes('{table_name}'));
    expect(twinIndex).toBeGreaterThanOrEqual(0);
    expect(events[twinIndex + 1].message).toBe(events[twinIndex].message.replace('{table_name}', request(events[twinIndex]).resource.split('/')[1]));
    expect(request(events[twinIndex]).parameters.seq).toBe(request(events[twinIndex + 1]).parameters.seq);
  });

  it('names events like df-core', () => {
    expect(apiEventName('db', '_table/contact', 'GET')).toBe('db._table.contact.get');
    expect(apiEventName('email', '', 'POST')).toBe('email.post');
  });
});

describe('session tokens in demo traffic', () => {
  const tokensOf = (events: Awaited<ReturnType<typeof generateEvents>>) =>
    events.flatMap((e) => {
      const headers = request(e).headers;
      const token = headers['x-dreamfactory-session-token'] ?? headers.authorization?.slice(7);
      return token ? [{ token, at: e.timestamp }] : [];
    });

  it('are signed once per user and reused across messages and calls, not re-signed per message', async () => {
    const tokens = new SessionTokens(SECRET);
    const live: Array<Awaited<ReturnType<typeof generateEvents>>[number]> = [];
    // The way the stack sends live traffic: one event per call, 20 per second.
    for (let i = 0; i < 200; i++) {
      live.push(...(await generateEvents({ ...options, count: 1, seed: i, startSeconds: 1716800000 + i / 20, tokens })));
    }
    const byUser = new Map<unknown, Set<string>>();
    for (const { token } of tokensOf(live)) {
      const userId = decodeJwt(token).user_id;
      byUser.set(userId, (byUser.get(userId) ?? new Set()).add(token));
    }
    expect([...byUser.keys()].sort()).toEqual([1, 3]);
    expect([...byUser.values()].map((set) => set.size)).toEqual([1, 1]);
    expect(tokens.signed).toBe(2);
  });

  it('are renewed once they near expiry, so every event carries a token valid at its own time', async () => {
    const tokens = new SessionTokens(SECRET);
    // A day and a half of history, one event every 10 minutes.
    const events = await generateEvents({ ...options, count: 216, stepMs: 600_000, tokens, tableTwins: false });
    for (const { token, at } of tokensOf(events)) {
      const { iat, exp } = decodeJwt(token);
      expect(iat!).toBeLessThanOrEqual(at);
      expect(exp! - at).toBeGreaterThanOrEqual(3600);
    }
    expect(tokens.signed).toBeGreaterThan(2);
    expect(tokens.signed).toBeLessThanOrEqual(6);
  });
});
