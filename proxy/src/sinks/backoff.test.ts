import { backoffMs, sleep } from './backoff';

describe('backoffMs', () => {
  it('doubles from the initial delay up to the maximum, jittering within the upper half', () => {
    expect([0, 1, 2, 3, 10].map((a) => backoffMs(a, 100, 1000, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect([0, 1, 2, 3, 10].map((a) => backoffMs(a, 100, 1000, () => 0))).toEqual([50, 100, 200, 400, 500]);
  });

  it('stays finite for very high attempt counts', () => {
    expect(backoffMs(10_000, 250, 30_000, () => 0.5)).toBe(22_500);
  });
});

describe('sleep', () => {
  it('returns early when aborted', async () => {
    const controller = new AbortController();
    const slept = sleep(60_000, controller.signal);
    controller.abort();
    await expect(slept).resolves.toBeUndefined();
  });
});
