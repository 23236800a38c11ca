/**
 * Per-key rates from periodic samples of monotonically increasing totals (Prometheus counters), like a load average:
 * events per second over the last 1, 5 and 15 minutes. Pure; the sampler feeds it.
 */

export interface Sample {
  atMs: number;
  totals: Record<string, number>;
}

export class RateWindow {
  private readonly samples: Sample[] = [];

  constructor(private readonly horizonMs: number = 15 * 60_000) {}

  /** Samples arrive in time order; one taken concurrently that lost the race (older than the newest) is ignored. */
  add(atMs: number, totals: Record<string, number>): void {
    if (atMs < (this.samples[this.samples.length - 1]?.atMs ?? -Infinity)) {
      return;
    }
    this.samples.push({ atMs, totals: { ...totals } });
    // Keep one sample at or beyond the horizon so the longest window has a full baseline.
    while (this.samples.length > 2 && this.samples[1].atMs <= atMs - this.horizonMs) {
      this.samples.shift();
    }
  }

  /**
   * Rate per second of `key` over the last `windowMs`: from the newest sample back to the newest one at or before the
   * window's start, so anything counted within the window shows (or from the oldest kept, when the proxy has run for
   * less than the window). 0 until two samples exist.
   */
  rate(key: string, windowMs: number): number {
    const latest = this.samples[this.samples.length - 1];
    if (!latest || this.samples.length < 2) {
      return 0;
    }
    const cutoff = latest.atMs - windowMs;
    const base = this.samples.findLast((s) => s.atMs <= cutoff) ?? this.samples[0];
    const seconds = (latest.atMs - base.atMs) / 1000;
    // A counter reset (never within one process, but cheap to guard) would give a negative rate.
    const delta = Math.max(0, (latest.totals[key] ?? 0) - (base.totals[key] ?? 0));
    return seconds > 0 ? delta / seconds : 0;
  }
}
