import { DreamFactoryClient } from '../clients/dreamfactory';
import { UserDirectory } from './directory';
import { parseDfDate } from './users';
import { DirectoryStub, makeUsers, startDirectoryStub } from './testing/df-directory-stub';

describe('user directory', () => {
  let stub: DirectoryStub;
  let now: number;
  const lookups: string[] = [];

  const directory = (ttlMs = 60000) => {
    const df = new DreamFactoryClient({ url: stub.url, apiKey: stub.apiKey, timeoutMs: 5000, directoryTtlMs: ttlMs });
    return new UserDirectory(df, ttlMs, (lookup) => lookups.push(lookup), () => now);
  };

  beforeEach(async () => {
    // 2,500 users over pages of 1,000 (DreamFactory's cap when max_records_returned is unset) and 3 admins.
    stub = await startDirectoryStub(makeUsers(2500, 4), makeUsers(3, 1, true));
    now = 1_000_000;
    lookups.length = 0;
  });

  afterEach(async () => {
    await stub.close();
  });

  it('reads every page of users and admins, marking admins', async () => {
    const { snapshot, notice } = await directory().read();
    expect(notice).toBeUndefined();
    expect(snapshot?.users.size).toBe(2503);
    expect(snapshot?.users.get('2503')).toMatchObject({ email: 'user2503@example.com', isAdmin: false, name: 'User 2503' });
    expect(snapshot?.users.get('2')).toMatchObject({ email: 'admin2@example.com', isAdmin: true });
    expect(stub.requests).toEqual({ user: 3, admin: 1 });
    expect(lookups).toEqual(['miss']);
  });

  it('shares one fetch between concurrent readers', async () => {
    stub.delayMs = 50;
    const dir = directory();
    const reads = await Promise.all(Array.from({ length: 10 }, () => dir.read()));
    expect(reads.every((r) => r.snapshot?.users.size === 2503)).toBe(true);
    expect(stub.requests).toEqual({ user: 3, admin: 1 });
  });

  it('serves from cache within the TTL, then serves stale while one background refresh runs', async () => {
    const dir = directory(1000);
    await dir.read();
    await dir.read();
    expect(stub.requests.user).toBe(3);
    expect(lookups).toEqual(['miss', 'hit']);

    stub.users.push(...makeUsers(1, 9000));
    now += 1000;
    const stale = await dir.read();
    expect(stale.snapshot?.users.has('9000')).toBe(false);
    expect(lookups[2]).toBe('stale');
    await dir.refresh();
    const fresh = await dir.read();
    expect(fresh.snapshot?.users.has('9000')).toBe(true);
    expect(dir.status()).toMatchObject({ users: 2504, stale: false, lastError: null });
  });

  it('keeps serving the last good copy while DreamFactory is down, and says so', async () => {
    const dir = directory(1000);
    await dir.read();
    stub.down = true;
    now += 1000;
    await dir.read();
    await dir.refresh().catch(() => undefined);
    const read = await dir.read();
    expect(read.snapshot?.users.size).toBe(2503);
    expect(read.notice).toEqual({ severity: 'warning', text: expect.stringMatching(/^DreamFactory user directory unavailable: .*User names are as of 1970-01-01T00:16:40.000Z\.$/) });
    expect(dir.status().lastError).toContain('Service Unavailable');

    stub.down = false;
    await dir.refresh();
    expect((await dir.read()).notice).toBeUndefined();
  });

  it('without any copy and DreamFactory unreachable, answers with a notice instead of failing', async () => {
    await stub.close();
    const { snapshot, notice } = await directory().read();
    expect(snapshot).toBeUndefined();
    expect(notice?.text).toMatch(/DreamFactory is unreachable at http:\/\/127\.0\.0\.1:\d+.*Users are shown by id\.$/);
    stub = await startDirectoryStub([], []);
  });

  it('parses DreamFactory dates as UTC', () => {
    expect(parseDfDate('2026-11-20 10:00:00')).toBe(Date.parse('2026-11-20T10:00:00Z'));
    expect(parseDfDate('2023-08-24T20:27:45.000000Z')).toBe(Date.parse('2023-08-24T20:27:45Z'));
    expect(parseDfDate(null)).toBeNull();
    expect(parseDfDate('garbage')).toBeNull();
  });
});
