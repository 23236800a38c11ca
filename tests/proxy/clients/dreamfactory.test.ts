/**
 * The DreamFactory client against the simulator: DreamFactory's HTML-escaped messages come out as the text it meant.
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
