/**
 * The limit sampler: every `intervalSeconds` it reads DreamFactory's limits, `system/limit_cache` and the user
 * directory (contract §2.5, §2.6, §3.1), turns them into documents (limit-history/sample.ts) and indexes them into the daily
 * `<limit prefix>YYYY.MM.dd` indices with deterministic ids, so a retried write never duplicates.
 *
 * Failures are never silent and never zeros: DreamFactory unreadable → a `gap` document with the reason; Elasticsearch
 * unreachable → documents wait in memory and are retried at the next sample, up to `maxPendingDocuments` (then the
 * oldest go, counted in insights_limit_documents_dropped_total{reason="buffer_full"}); a document Elasticsearch refuses
 * as invalid is counted as `rejected`. Status and metrics show the last sample, the last error and the cost.
 *
 * A part of its own, beside limit-history/: it writes through sinks/ and reports through status/, which the query
 * engine (reading limit-history's documents) must not come to depend on.
 */
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import { DreamFactoryError, explainDreamFactoryError, type DreamFactoryClient } from './clients/dreamfactory';
import type { ElasticsearchClient } from './clients/elasticsearch';
import { explainSearchFailure } from './clients/elasticsearch-errors';
import type { LimitHistoryStatus } from '@shared/status-api';
import { listLimitDefinitions, readLimitCache } from './dreamfactory/limits';
import type { DirectoryRead } from './dreamfactory/directory';
import { classifyBulkItems } from './sinks/bulk-items';
import { dailyIndexName } from './sinks/index-name';
import { RateWindow } from './status/rate-window';
import { documentId, iso, type LimitHistoryDocument } from './limit-history/document';
import { readCounters } from './limit-history/readings';
import { restoreFromStore } from './limit-history/restore';
import { gapDocument, sampleDocuments, type SamplerMemory } from './limit-history/sample';

/** Enough for many samples of a typical instance, or about one of 100 each-user limits × 1,000 busy users. */
export const DEFAULT_MAX_PENDING_DOCUMENTS = 200_000;
const BULK_DOCUMENTS = 5000;
const MINUTE_MS = 60_000;
/** On shutdown, waiting documents get this long to reach Elasticsearch (a proxy must not hang on a dead cluster). */
const STOP_FLUSH_MS = 5000;

export interface LimitSamplerOptions {
  /** 0 = off. */
  intervalSeconds: number;
  indexPrefix: string;
  maxPendingDocuments?: number;
}

export interface LimitSamplerDeps {
  /** A client whose requests are counted in insights_limit_dreamfactory_requests_total (the sampler's cost). */
  dreamfactory: Pick<DreamFactoryClient, 'get' | 'listAll' | 'configured' | 'credentialSettings'>;
  directory: { read(): Promise<DirectoryRead> };
  es: Pick<ElasticsearchClient, 'search' | 'bulkIngest'>;
  /** Only for wording failures (URLs reduced to their origin). */
  esUrls: string[];
  metrics: Pick<
    Metrics,
    | 'limitSamples'
    | 'limitSampleSeconds'
    | 'limitLastSample'
    | 'limitCounters'
    | 'limitTrips'
    | 'limitDocumentsIndexed'
    | 'limitDocumentsPending'
    | 'limitDocumentsDropped'
    | 'limitDreamFactoryRequests'
  >;
  logger: Logger;
  now?: () => number;
}

interface PendingDocument {
  id: string;
  index: string;
  source: string;
}

export type SampleOutcome = 'sampled' | 'gap' | 'waiting' | 'disabled';

export class LimitSampler {
  private memory?: SamplerMemory;
  private pending: PendingDocument[] = [];
  private timer?: NodeJS.Timeout;
  private running?: Promise<SampleOutcome>;
  private stopped = false;
  private readonly requestRates = new RateWindow();
  private readonly now: () => number;
  private readonly last: Pick<LimitHistoryStatus, 'lastError' | 'counters' | 'documents'> & {
    sampleAt?: number;
    attemptAt?: number;
  } = {};
  private trips = 0;
  private dropped = 0;

  constructor(
    private readonly options: LimitSamplerOptions,
    private readonly deps: LimitSamplerDeps
  ) {
    this.now = deps.now ?? Date.now;
  }

  get indexPattern(): string {
    return `${this.options.indexPrefix}*`;
  }

  private get disabledReason(): string | undefined {
    if (this.options.intervalSeconds <= 0) {
      return 'LIMIT_SAMPLE_SECONDS is 0.';
    }
    return this.deps.dreamfactory.configured ? undefined : 'DreamFactory is not configured (DF_URL and DF_API_KEY).';
  }

  /** Samples now, then every interval (never two at once; an overrun delays the next one). */
  start(): void {
    if (this.disabledReason || this.timer || this.stopped) {
      return;
    }
    const loop = async () => {
      const startedAt = this.now();
      await this.sampleOnce();
      if (!this.stopped) {
        const delay = Math.max(0, startedAt + this.options.intervalSeconds * 1000 - this.now());
        this.timer = setTimeout(() => void loop(), delay);
        this.timer.unref();
      }
    };
    this.timer = setTimeout(() => void loop(), 0);
    this.timer.unref();
  }

  /** Stops sampling; waits for a sample in flight and gives waiting documents one last, short chance. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.flush(AbortSignal.timeout(STOP_FLUSH_MS));
    if (this.pending.length > 0) {
      this.deps.logger.warn({ documents: this.pending.length }, 'limit sampler: documents not written before shutdown');
    }
  }

  /** One sample (also what tests call). Overlapping calls share the sample in flight. */
  sampleOnce(): Promise<SampleOutcome> {
    this.running ??= this.sample().finally(() => (this.running = undefined));
    return this.running;
  }

  status(): LimitHistoryStatus {
    const reason = this.disabledReason;
    return {
      enabled: reason === undefined,
      ...(reason ? { disabledReason: reason } : {}),
      intervalSeconds: this.options.intervalSeconds,
      indexPrefix: this.options.indexPrefix,
      ...(this.last.sampleAt !== undefined ? { lastSampleAt: iso(this.last.sampleAt) } : {}),
      ...(this.last.attemptAt !== undefined ? { lastAttemptAt: iso(this.last.attemptAt) } : {}),
      ...(this.last.lastError ? { lastError: this.last.lastError } : {}),
      ...(this.last.counters !== undefined ? { counters: this.last.counters, documents: this.last.documents } : {}),
      tripsSinceStart: this.trips,
      pendingDocuments: this.pending.length,
      droppedDocuments: this.dropped,
      dreamFactoryRequestsPerMinute: this.requestRates.rate('dreamfactory', 15 * MINUTE_MS) * 60,
    };
  }

  private async sample(): Promise<SampleOutcome> {
    if (this.disabledReason) {
      return 'disabled';
    }
    const at = this.now();
    this.last.attemptAt = at;
    const outcome = await this.readAndBuild(at);
    await this.flush();
    this.requestRates.add(this.now(), {
      dreamfactory: (await this.deps.metrics.limitDreamFactoryRequests.get()).values[0]?.value ?? 0,
    });
    return outcome;
  }

  private async readAndBuild(at: number): Promise<SampleOutcome> {
    const { metrics } = this.deps;
    if (!this.memory) {
      try {
        this.memory = await restoreFromStore(this.deps.es, this.indexPattern);
      } catch (err) {
        this.fail(
          `Waiting for Elasticsearch to read the last stored sample (so a trip in progress is not counted twice): ${this.describe(err)}`
        );
        return 'waiting';
      }
    }
    const timer = metrics.limitSampleSeconds.startTimer();
    let documents: LimitHistoryDocument[];
    try {
      const [limits, cache, directory] = await Promise.all([
        listLimitDefinitions(this.deps.dreamfactory),
        readLimitCache(this.deps.dreamfactory),
        this.deps.directory.read(),
      ]);
      const reading = readCounters(limits, cache, directory.snapshot);
      const result = sampleDocuments(at, reading, this.memory);
      this.memory = result.memory;
      documents = result.documents;
      this.trips += result.trips;
      metrics.limitTrips.inc(result.trips);
      metrics.limitCounters.set(reading.counters.length);
      metrics.limitLastSample.set(at / 1000);
      metrics.limitSamples.inc({ outcome: 'ok' });
      Object.assign(this.last, {
        sampleAt: at,
        counters: reading.counters.length,
        documents: documents.length,
        lastError: undefined,
      });
    } catch (err) {
      const reason = this.describe(err);
      documents = [gapDocument(at, reason, this.memory.lastSampleAt)];
      metrics.limitSamples.inc({ outcome: 'gap' });
      this.fail(reason);
    } finally {
      timer();
    }
    this.enqueue(at, documents);
    return documents[0]?.kind === 'gap' ? 'gap' : 'sampled';
  }

  private describe(err: unknown): string {
    if (err instanceof DreamFactoryError) {
      return explainDreamFactoryError(err, this.deps.dreamfactory.credentialSettings);
    }
    return explainSearchFailure(err, { urls: this.deps.esUrls })?.message ?? `Internal error: ${(err as Error)?.message ?? String(err)}`;
  }

  private fail(message: string): void {
    if (message !== this.last.lastError) {
      this.deps.logger.warn({ error: message }, 'limit sampler: sample failed');
    }
    this.last.lastError = message;
  }

  private enqueue(at: number, documents: LimitHistoryDocument[]): void {
    const now = new Date(at);
    for (const doc of documents) {
      this.pending.push({
        id: documentId(doc),
        index: dailyIndexName(this.options.indexPrefix, doc['@timestamp'], now),
        source: JSON.stringify(doc),
      });
    }
    const max = this.options.maxPendingDocuments ?? DEFAULT_MAX_PENDING_DOCUMENTS;
    if (this.pending.length > max) {
      const over = this.pending.length - max;
      this.pending.splice(0, over);
      this.drop('buffer_full', over);
    }
    this.deps.metrics.limitDocumentsPending.set(this.pending.length);
  }

  private drop(reason: 'buffer_full' | 'rejected', count: number): void {
    this.dropped += count;
    this.deps.metrics.limitDocumentsDropped.inc({ reason }, count);
    this.deps.logger.error({ reason, count }, 'limit sampler: documents given up');
  }

  /** Writes what is waiting, in batches; what Elasticsearch could not take now stays for the next sample. */
  private async flush(signal?: AbortSignal): Promise<void> {
    let offset = 0;
    while (offset < this.pending.length) {
      const batch = this.pending.slice(offset, offset + BULK_DOCUMENTS);
      const ndjson = batch.map((item) => `${JSON.stringify({ index: { _index: item.index, _id: item.id } })}\n${item.source}\n`).join('');
      let outcomes;
      try {
        outcomes = classifyBulkItems(await this.deps.es.bulkIngest(Buffer.from(ndjson), signal), batch.length);
      } catch (err) {
        this.fail(
          `Elasticsearch did not take the limit samples (${this.pending.length} waiting): ${this.describe(err)}`
        );
        break;
      }
      const kept = batch.filter((_, i) => outcomes[i].kind === 'retry');
      const rejected = outcomes.filter((o) => o.kind === 'dead_letter').length;
      this.deps.metrics.limitDocumentsIndexed.inc(outcomes.filter((o) => o.kind === 'ok').length);
      if (rejected > 0) {
        this.drop('rejected', rejected);
      }
      this.pending.splice(offset, batch.length, ...kept);
      offset += kept.length;
    }
    this.deps.metrics.limitDocumentsPending.set(this.pending.length);
  }
}
