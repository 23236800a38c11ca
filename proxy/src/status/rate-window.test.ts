import { RateWindow } from './rate-window';

describe('RateWindow', () => {
  it('averages each window from samples of a counter', () => {
    const w = new RateWindow();
    // 1 event/s for the first 10 minutes, then 10 events/s for 1 minute.
    for (let s = 0; s <= 600; s += 10) {
      w.add(s * 1000, { a: s });
    }
    for (let s = 610; s <= 660; s += 10) {
      w.add(s * 1000, { a: 600 + (s - 600) * 10 });
    }
    expect(w.rate('a', 60_000)).toBeCloseTo(10);
    // From t=360 s (total 360) to t=660 s (total 1200).
    expect(w.rate('a', 5 * 60_000)).toBeCloseTo((1200 - 360) / 300);
    expect(w.rate('a', 15 * 60_000)).toBeCloseTo(1200 / 660);
    expect(w.rate('missing', 60_000)).toBe(0);
  });

  it('is 0 with fewer than two samples, and forgets samples past the horizon', () => {
    const w = new RateWindow(60_000);
    expect(w.rate('a', 60_000)).toBe(0);
    w.add(0, { a: 0 });
    expect(w.rate('a', 60_000)).toBe(0);
    for (let t = 10_000; t <= 600_000; t += 10_000) {
      w.add(t, { a: t / 1000 });
    }
    // Only the last minute is kept, so even the "15 min" rate is the recent one.
    expect(w.rate('a', 15 * 60_000)).toBeCloseTo(1);
  });

  it('counts an event from within the last minute that arrived between two samples', () => {
    const w = new RateWindow();
    // Samples every 10 s; one event at t = 66 s shows in the sample at 70 s; a status at t = 125 s samples once more.
    for (let s = 0; s <= 120; s += 10) {
      w.add(s * 1000, { a: s >= 70 ? 1 : 0 });
    }
    w.add(125_000, { a: 1 });
    expect(w.rate('a', 60_000)).toBeCloseTo(1 / 65);
  });

  it('ignores a sample older than the newest one', () => {
    const w = new RateWindow();
    w.add(0, { a: 0 });
    w.add(10_000, { a: 10 });
    w.add(5_000, { a: 100 });
    expect(w.rate('a', 60_000)).toBeCloseTo(1);
  });
});
