/**
 * The proxy's running operations state: ingest rate samples, proxy-mode retention and the last setup run, started
 * by `serve` and read by the status/setup/doctor routes. One per proxy context.
 */
import type { ProxyContext } from '../context';
import type { Source } from '../pipeline-types';
import type { SetupResult, StatusResponse } from '@shared/status-api';
import { RetentionScheduler } from '../setup/retention';
import { runSetup, type SetupOptions } from '../setup/run-setup';
import { collectStatus } from './collect-status';
import type { BoundAddress } from '../sources/bound-address';
import { listenerStatuses } from './listeners';
import { countsBy } from './metric-values';
import { RateWindow } from './rate-window';

const SAMPLE_INTERVAL_MS = 10_000;
const SETUP_RETRY_FIRST_MS = 30_000;
const SETUP_RETRY_MAX_MS = 10 * 60_000;

export interface StartOptions {
  /** The running listeners (their bound ports go into status and the doctor). */
  sources?: Source[];
  /** Where the HTTP server actually listens (GELF HTTP). */
  http?: BoundAddress;
}

export class Operations {
  readonly rates = new RateWindow();
  readonly retention: RetentionScheduler;
  lastSetup?: SetupResult;
  private sources: Source[] = [];
  private http?: BoundAddress;
  private sampleTimer?: NodeJS.Timeout;
  private setupTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly ctx: ProxyContext) {
    this.retention = new RetentionScheduler(ctx);
    // Every counter starts at 0 with the proxy: the rates' baseline until samples cover a whole window, so the first
    // status already shows what arrived since start rather than 0/s beside a source that is receiving.
    this.rates.add(ctx.startedAt.getTime(), {});
  }

  /**
   * Samples ingest rates, enforces retention where that is the proxy's job, and runs setup unless `setupOnStart=false`.
   * Resolves after the first setup attempt (so today's index is created with our template); a failed attempt is
   * logged and retried in the background while the proxy serves.
   */
  async start(options: StartOptions = {}): Promise<void> {
    this.attach(options);
    void this.sample();
    this.sampleTimer = setInterval(() => void this.sample(), SAMPLE_INTERVAL_MS);
    this.sampleTimer.unref();
    this.retention.start();
    if (this.ctx.config.setupOnStart) {
      await this.setupWithRetry(SETUP_RETRY_FIRST_MS);
    }
  }

  attach(options: StartOptions): void {
    this.sources = options.sources ?? this.sources;
    this.http = options.http ?? this.http;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sampleTimer);
    clearTimeout(this.setupTimer);
    await this.retention.stop();
  }

  listeners() {
    return listenerStatuses(this.ctx.config, this.sources, this.http);
  }

  async sample(atMs = Date.now()): Promise<void> {
    this.rates.add(atMs, countsBy(await this.ctx.metrics.received.get(), 'source'));
  }

  /** Runs setup and remembers the result for status; failures are logged with their hints. */
  async applySetup(options: Omit<SetupOptions, 'createUsers'> = {}): Promise<SetupResult> {
    const { result } = await runSetup(this.ctx, options);
    if (!options.dryRun) {
      this.lastSetup = result;
    }
    for (const step of result.steps.filter((s) => s.outcome === 'failed' || s.outcome === 'warning')) {
      this.ctx.logger[step.outcome === 'failed' ? 'error' : 'warn']({ step: step.id, hint: step.hint }, `setup: ${step.title}: ${step.detail}`);
    }
    return result;
  }

  /** The status as of `now`; rates include a sample taken now, so they agree with each source's activity. */
  async status(): Promise<StatusResponse> {
    const now = new Date();
    await this.sample(now.getTime());
    return collectStatus(this.ctx, {
      now,
      rates: this.rates,
      listeners: this.listeners(),
      lastSetup: this.lastSetup,
      lastRetentionRun: this.retention.lastRun,
    });
  }

  private async setupWithRetry(delayMs: number): Promise<void> {
    const result = await this.applySetup().catch((err: Error) => {
      this.ctx.logger.error({ err }, 'setup: unexpected failure');
      return undefined;
    });
    if (result?.ok || this.stopped) {
      return;
    }
    this.ctx.logger.warn({ retryInMs: delayMs }, 'setup did not complete; the proxy keeps serving and retries');
    this.setupTimer = setTimeout(() => void this.setupWithRetry(Math.min(delayMs * 2, SETUP_RETRY_MAX_MS)), delayMs);
    this.setupTimer.unref();
  }
}

const byContext = new WeakMap<ProxyContext, Operations>();

/** The operations of this proxy (created on first use, so routes work before or without `serve` starting them). */
export function operationsFor(ctx: ProxyContext): Operations {
  let ops = byContext.get(ctx);
  if (!ops) {
    ops = new Operations(ctx);
    byContext.set(ctx, ops);
  }
  return ops;
}
