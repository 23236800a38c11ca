/**
 * The proxy's running operations state: ingest rate samples, proxy-mode retention and the last setup run, started
 * by `serve` and read by the status/setup/doctor routes. main.ts builds one and hands it to the routes.
 */
import type {
  DoctorResult,
  LimitHistoryStatus,
  ListenerStatus,
  OperationRun,
  SetupResult,
  SplunkStatus,
  StatusResponse,
} from '@shared/status-api';
import type { DreamFactoryClient } from '../clients/dreamfactory';
import type { ElasticsearchClient } from '../clients/elasticsearch';
import type { Config } from '../config';
import type { ProbeTracker } from '../doctor/probe-tracker';
import { runDoctor, type DoctorOptions } from '../doctor/run-doctor';
import type { IngestSnapshot } from '../ingest-counters';
import type { Logger } from '../logger';
import type { Source } from '../pipeline-types';
import type { ProxyInfo } from '../proxy-info';
import { RetentionScheduler } from '../setup/retention';
import { runSetup, type SetupOptions } from '../setup/run-setup';
import { collectStatus } from './collect-status';
import type { BoundAddress } from '../sources/bound-address';
import { listenerStatuses } from './listeners';
import { OperationRuns } from './operation-runs';
import { RateWindow } from './rate-window';

const SAMPLE_INTERVAL_MS = 10_000;
const SETUP_RETRY_FIRST_MS = 30_000;
const SETUP_RETRY_MAX_MS = 10 * 60_000;

export interface OperationsDeps {
  config: Config;
  logger: Logger;
  es: ElasticsearchClient;
  df: DreamFactoryClient;
  proxy: ProxyInfo;
  /** Doctor probes in flight, which the ingest pipeline reports stages of. */
  probes: ProbeTracker;
  /** The ingest counters as of now (all zero where ingest does not run). */
  ingestSnapshot: () => IngestSnapshot;
}

export interface RunningIngest {
  /** The running listeners (their bound ports go into status and the doctor). */
  sources: Source[];
  /** Where the HTTP server actually listens (GELF HTTP). */
  http: BoundAddress;
  /** The Splunk HEC sink's state, when Splunk is on. */
  splunk?: () => SplunkStatus;
}

/** The limit sampler as status sees it. */
export interface LimitHistoryReporter {
  status(): LimitHistoryStatus;
}

export class Operations {
  readonly rates = new RateWindow();
  readonly retention: RetentionScheduler;
  /** Setup and doctor runs started through the API, which the caller polls. */
  private readonly runs = new OperationRuns();
  lastSetup?: SetupResult;
  private running?: RunningIngest;
  private limitHistory?: LimitHistoryReporter;
  private sampleTimer?: NodeJS.Timeout;
  private setupTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly deps: OperationsDeps) {
    this.retention = new RetentionScheduler(deps);
    // Every counter starts at 0 with the proxy: the rates' baseline until samples cover a whole window, so the first
    // status already shows what arrived since start rather than 0/s beside a source that is receiving.
    this.rates.add(deps.proxy.startedAt.getTime(), {});
  }

  /**
   * Samples ingest rates, enforces retention where that is the proxy's job, and runs setup unless `setupOnStart=false`.
   * Resolves after the first setup attempt (so today's index is created with our template); a failed attempt is
   * logged and retried in the background while the proxy serves.
   */
  async start(): Promise<void> {
    void this.sample();
    this.sampleTimer = setInterval(() => void this.sample(), SAMPLE_INTERVAL_MS);
    this.sampleTimer.unref();
    this.retention.start();
    if (this.deps.config.setupOnStart) {
      await this.setupWithRetry(SETUP_RETRY_FIRST_MS);
    }
  }

  /** Where ingest listens and the Splunk sink, once they run; until then status and the doctor report the configured ports. */
  attach(running: RunningIngest): void {
    this.running = running;
  }

  /** The limit sampler, once it runs; from then on status shows its state. */
  attachLimitHistory(sampler: LimitHistoryReporter): void {
    this.limitHistory = sampler;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sampleTimer);
    clearTimeout(this.setupTimer);
    await this.retention.stop();
  }

  listeners(): ListenerStatus[] {
    return listenerStatuses(this.deps.config, this.running?.sources, this.running?.http);
  }

  async sample(atMs = Date.now()): Promise<void> {
    const { sources } = this.deps.ingestSnapshot();
    this.rates.add(
      atMs,
      Object.fromEntries(Object.entries(sources).map(([source, counts]) => [source, counts?.received ?? 0]))
    );
  }

  /** Runs setup and remembers the result for status; failures are logged with their hints. */
  async applySetup(options: Omit<SetupOptions, 'createUsers'> = {}): Promise<SetupResult> {
    const { result } = await runSetup(this.deps, options);
    if (!options.dryRun) {
      this.lastSetup = result;
    }
    for (const step of result.steps.filter((s) => s.outcome === 'failed' || s.outcome === 'warning')) {
      this.deps.logger[step.outcome === 'failed' ? 'error' : 'warn'](
        { step: step.id, hint: step.hint },
        `setup: ${step.title}: ${step.detail}`
      );
    }
    return result;
  }

  /** The status as of `now`; rates include a sample taken now, so they agree with each source's activity. */
  async status(): Promise<StatusResponse> {
    const now = new Date();
    await this.sample(now.getTime());
    return collectStatus(this.deps, {
      now,
      ingest: this.deps.ingestSnapshot(),
      rates: this.rates,
      listeners: this.listeners(),
      lastSetup: this.lastSetup,
      lastRetentionRun: this.retention.lastRun,
      splunk: this.running?.splunk?.(),
      limitHistory: this.limitHistory?.status(),
    });
  }

  /** A test message through every enabled listener of this proxy (see doctor/run-doctor.ts). */
  runDoctor(options: DoctorOptions = {}): Promise<DoctorResult> {
    return runDoctor({ ...this.deps, listeners: this.listeners() }, options);
  }

  /** Setup as a run: answered at once, polled with `run(id)` until done (see operation-runs.ts for why). */
  startSetup(options: Pick<SetupOptions, 'dryRun'>): OperationRun<'setup'> {
    return this.runs.start('setup', () => this.applySetup(options));
  }

  /** The doctor as a run: answered at once, polled with `run(id)` until done. */
  startDoctor(options: DoctorOptions): OperationRun<'doctor'> {
    return this.runs.start('doctor', () => this.runDoctor(options));
  }

  run(id: string): OperationRun | undefined {
    return this.runs.get(id);
  }

  private async setupWithRetry(delayMs: number): Promise<void> {
    const result = await this.applySetup().catch((err: Error) => {
      this.deps.logger.error({ err }, 'setup: unexpected failure');
      return undefined;
    });
    if (result?.ok || this.stopped) {
      return;
    }
    this.deps.logger.warn({ retryInMs: delayMs }, 'setup did not complete; the proxy keeps serving and retries');
    this.setupTimer = setTimeout(() => void this.setupWithRetry(Math.min(delayMs * 2, SETUP_RETRY_MAX_MS)), delayMs);
    this.setupTimer.unref();
  }
}
