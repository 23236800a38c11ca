/**
 * df-limits' limit store (the `limit_cache`): a counter per key that lives one period from its first hit, and a
 * lockout per key that lives one period from the refused call. DreamFactory stores the lockout's "available at" as
 * now + period × 60 seconds, which is what its Retry-After header reads back (60 times the real lockout).
 */

interface Counter {
  attempts: number;
  expiresAt: number;
}

interface Lockout {
  /** When the lockout ends (ms). */
  expiresAt: number;
  /** What DreamFactory stored as "available at" (epoch seconds). */
  availableAtSeconds: number;
}

/** One limit_cache entry, as `GET system/limit_cache` shows it. */
export interface CacheEntry {
  id: number;
  key: string;
  max: number;
  attempts: number;
  remaining: number;
}

export class LimitCounters {
  private readonly counters = new Map<string, Counter>();
  private readonly lockouts = new Map<string, Lockout>();

  constructor(private readonly now: () => number) {}

  /** An entry that has outlived its period is gone (the cache's TTL). */
  private live<T extends { expiresAt: number }>(entries: Map<string, T>, key: string): T | undefined {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private counter(key: string): Counter | undefined {
    return this.live(this.counters, key);
  }

  private lockout(key: string): Lockout | undefined {
    return this.live(this.lockouts, key);
  }

  /** Counts one call (the window starts with the first). */
  hit(key: string, periodSeconds: number): void {
    const c = this.counter(key) ?? { attempts: 0, expiresAt: this.now() + periodSeconds * 1000 };
    c.attempts += 1;
    this.counters.set(key, c);
  }

  /** True when the key is locked out; reaching the rate starts a lockout and forgets the count. */
  tooManyAttempts(key: string, rate: number, periodSeconds: number): boolean {
    if (this.lockout(key)) {
      return true;
    }
    if ((this.counter(key)?.attempts ?? 0) >= rate) {
      const now = this.now();
      this.lockouts.set(key, {
        expiresAt: now + periodSeconds * 1000,
        availableAtSeconds: Math.floor(now / 1000) + periodSeconds * 60,
      });
      this.counters.delete(key);
      return true;
    }
    return false;
  }

  isLockedOut(key: string): boolean {
    return this.lockout(key) !== undefined;
  }

  /** What limit_cache reports for a key: attempts (the rate while locked out) and retries left. */
  entry(id: number, key: string, max: number): CacheEntry {
    const counted = this.counter(key)?.attempts;
    const locked = this.isLockedOut(key);
    const attempts = counted ?? (locked ? max : 0);
    const remaining = locked || (counted ?? 0) > max ? 0 : (counted ?? 0) === 0 ? max : max - (counted ?? 0);
    return { id, key, max, attempts, remaining };
  }

  /** Retries left for a key, as the 429's X-RateLimit-Remaining reports it. */
  remaining(key: string, max: number): number {
    return this.entry(0, key, max).remaining;
  }

  /** Seconds until DreamFactory says the key is available again (0 when it is not locked out). */
  availableIn(key: string): number {
    const l = this.lockout(key);
    return l ? l.availableAtSeconds - Math.floor(this.now() / 1000) : 0;
  }

  clear(key: string): void {
    this.counters.delete(key);
    this.lockouts.delete(key);
  }

  /** `allow_delete=true`: empties the whole store. */
  flush(): void {
    this.counters.clear();
    this.lockouts.clear();
  }
}
