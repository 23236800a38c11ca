/**
 * The DreamFactory client against the simulator: DreamFactory's HTML-escaped messages come out as the text it meant,
 * and lists are read whole whatever page size DreamFactory imposes.
 */
import { DreamFactoryClient, DreamFactoryError } from '../../../proxy/src/clients/dreamfactory';
import { startSimulator, type Simulator } from '../../dreamfactory-sim/server';

let sim: Simulator;
let df: DreamFactoryClient;

beforeAll(async () => {
  sim = await startSimulator({ users: 57, admins: 2, seed: 8, limits: false, maxRecordsReturned: 10 });
  df = new DreamFactoryClient({ url: sim.url, apiKey: sim.apiKey, timeoutMs: 5000, directoryTtlMs: 0 });
});

afterAll(() => sim.close());

describe('DreamFactory error messages', () => {
  it('are decoded completely: quotes, ampersands, angle brackets and accented letters', async () => {
    const name = `Zoë's "night" & <weekend> — café`;
    const refusal = df.request('POST', 'system/limit', {
      body: { resource: [{ name, type: 'instance.user', rate: 1, period: 'hour' }] },
    });
    const error = (await refusal.catch((e: unknown) => e)) as DreamFactoryError;
    expect(error).toBeInstanceOf(DreamFactoryError);
    expect(error.status).toBe(400);
    expect(error.message).toBe(`user_id must be specified with this limit type. Limit: ${name}`);
  });
});

describe('listAll', () => {
  it('reads every record once although DreamFactory answers 10 per page whatever is asked', async () => {
    const mark = sim.requests.length;
    const users = await df.listAll<{ id: number }>('system/user', { fields: 'id' });
    expect(users.map((u) => u.id)).toEqual(sim.store.nonAdmins().map((u) => u.id));
    const pages = sim.requests.slice(mark);
    expect(pages).toHaveLength(6);
    expect(pages.every((p) => p.query.limit === '1000' && p.query.order === 'id asc')).toBe(true);
  });

  it("keeps the caller's filter on every page", async () => {
    const active = await df.listAll<{ id: number; is_active: boolean }>('system/user', {
      fields: 'id,is_active',
      filter: 'is_active = true',
    });
    expect(active.map((u) => u.id)).toEqual(sim.store.nonAdmins().filter((u) => u.is_active).map((u) => u.id));
  });

  it('stops on an empty first page', async () => {
    expect(await df.listAll('system/user', { filter: 'id > 100000' })).toEqual([]);
  });
});
