/**
 * Drains its own consumer of the disk queue into a Splunk HTTP Event Collector. One request in flight (HEC keeps no
 * per-event ids, so order and a simple "first N kept" reading of its replies matter more than throughput here).
 * A batch is acknowledged only when every event in it is Splunk's or in the dead-letter file:
 * - busy (503 code 9), other 5xx, 429, unreachable: the whole batch again, after jittered backoff, forever;
 * - bad data (400 with `invalid-event-number` N): events before N were kept, event N goes to the dead letter with
 *   HEC's reason, the rest are sent again;
 * - a refused token (codes 1-4) or another 4xx: the batch goes to the dead letter with the reason (resending cannot
 *   help; fix the token and replay the file).
 * With `ack` on, HEC's 200 only means "received": the batch counts as delivered once `/services/collector/ack` says
 * its ackId is indexed, and is sent again if that does not happen within `ackTimeoutMs`.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { SplunkStatus } from '@shared/status-api';
import type { Logger } from '../logger';
import type { SplunkConfig, SplunkHecClient } from '../clients/splunk-hec';
import type { QueueBatch } from '../queue/disk-queue';
import { decodeRecord, type QueuedEvent } from './bulk-record';
import { backoffMs, sleep } from './backoff';
import type { QueueConsumer, Sink, SinkStopOptions } from './sink';
import { classifyHecReply, describeHecReply, toHecEvent, type HecOutcome } from './splunk-hec-events';

const UNACKNOWLEDGED = 'Splunk did not confirm indexing';

function retryKind(reason: string): string {
  return reason.startsWith(UNACKNOWLEDGED) ? 'unacknowledged' : /busy/i.test(reason) ? 'busy' : /unreachable/.test(reason) ? 'unreachable' : 'server';
}

const gzip = promisify(gzipCallback);

/** The HEC line, or undefined for a stored document that is not JSON after all (disk corruption). */
function hecLine(event: QueuedEvent, config: SplunkConfig): string | undefined {
  try {
    return toHecEvent(event, config);
  } catch {
    return undefined;
  }
}

export function createSplunkMetrics(registry: Registry) {
  const registers = [registry];
  return {
    sent: new Counter({ name: 'insights_splunk_sent_total', help: 'Events Splunk HEC accepted', registers }),
    failed: new Counter({ name: 'insights_splunk_failed_total', help: 'Splunk HEC batches that will be sent again, by kind (busy, unreachable, server, unacknowledged)', labelNames: ['kind'], registers }),
    deadLettered: new Counter({
      name: 'insights_splunk_dead_lettered_total',
      help: 'Events Splunk refused for good and written to the Splunk dead-letter file, by kind (data, token)',
      labelNames: ['kind'],
      registers,
    }),
    unreadable: new Counter({ name: 'insights_splunk_unreadable_records_total', help: 'Queue records the Splunk sink skipped as unreadable', registers }),
    up: new Gauge({ name: 'insights_splunk_up', help: '1 when the last request to Splunk HEC got an answer that was not busy or a server error', registers }),
    latency: new Histogram({ name: 'insights_splunk_request_seconds', help: 'Latency of Splunk HEC requests', buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers }),
  };
}

export type SplunkMetrics = ReturnType<typeof createSplunkMetrics>;

interface Pending {
  event: QueuedEvent;
  line: string;
}

export interface SplunkSinkDeps {
  config: SplunkConfig;
  client: Pick<SplunkHecClient, 'sendEvents' | 'acknowledged' | 'displayUrl'>;
  consumer: QueueConsumer;
  metrics: SplunkMetrics;
  logger: Logger;
}

export class SplunkHecSink implements Sink {
  readonly name = 'splunk';
  private readonly abort = new AbortController();
  private stopping = false;
  private loop?: Promise<void>;
  private current?: Promise<void>;
  /** What /api/status shows, counted where the metrics are. */
  private readonly progress = { delivered: 0, deadLettered: 0, retries: 0, unreadable: 0 };
  private lastError?: { message: string; at: Date };
  private lastDeliveredAt?: Date;

  constructor(private readonly deps: SplunkSinkDeps) {}

  /** Counters since start, the queue lag of this sink's cursor and the last problem: never the token. */
  status(): SplunkStatus {
    return {
      url: this.deps.client.displayUrl,
      ...this.progress,
      deadLetterFile: this.deps.config.deadLetterFile,
      pending: this.deps.consumer.depth.records,
      lastError: this.lastError?.message,
      lastErrorAt: this.lastError?.at.toISOString(),
      lastDeliveredAt: this.lastDeliveredAt?.toISOString(),
    };
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop({ graceMs = 0 }: SinkStopOptions = {}): Promise<void> {
    this.stopping = true;
    if (graceMs > 0 && this.current) {
      await Promise.race([this.current, sleep(graceMs)]);
    }
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { config, consumer, logger } = this.deps;
    const signal = this.abort.signal;
    let readFailures = 0;
    while (!this.stopping) {
      await consumer.waitForRecords(config.batchMaxEvents, config.flushIntervalMs, signal);
      if (this.stopping) {
        break;
      }
      let batch: QueueBatch | undefined;
      try {
        batch = await consumer.read(config.batchMaxEvents, config.batchMaxBytes);
        readFailures = 0;
      } catch (err) {
        logger.error({ err }, 'Splunk sink: reading the disk queue failed; retrying');
        await sleep(backoffMs(readFailures++, config.retryInitialMs, config.retryMaxMs), signal);
        continue;
      }
      if (batch) {
        this.current = this.ship(batch);
        await this.current;
      }
    }
  }

  private async ship(batch: QueueBatch): Promise<void> {
    const { config, client, consumer, metrics, logger } = this.deps;
    const signal = this.abort.signal;
    let pending: Pending[] = [];
    for (const record of batch.records) {
      const event = decodeRecord(record);
      const line = event && hecLine(event, config);
      if (event && line) {
        pending.push({ event, line });
      } else {
        metrics.unreadable.inc();
        this.progress.unreadable++;
        logger.error({ bytes: record.length }, 'Splunk sink: skipping an unreadable queue record');
      }
    }
    let attempt = 0;
    while (pending.length > 0) {
      if (signal.aborted) {
        return; // not acknowledged: replayed on next start
      }
      const raw = Buffer.from(pending.map((p) => p.line).join('\n'), 'utf8');
      const body = config.gzip ? await gzip(raw) : raw;
      const endTimer = metrics.latency.startTimer();
      let outcome: HecOutcome;
      try {
        const response = await client.sendEvents(body, config.gzip, signal).finally(endTimer);
        outcome = classifyHecReply(response.status, response.reply, pending.length);
        if (outcome.kind === 'accepted' && config.ack) {
          outcome = await this.confirmIndexed(response.reply?.ackId);
        }
      } catch (err) {
        if (signal.aborted) {
          return;
        }
        outcome = { kind: 'retry' as const, reason: `Splunk HEC at ${client.displayUrl} unreachable: ${(err as Error).message}` };
      }

      if (outcome.kind === 'accepted') {
        this.delivered(pending.length);
        metrics.up.set(1);
        pending = [];
      } else if (outcome.kind === 'retry') {
        metrics.up.set(0);
        metrics.failed.inc({ kind: retryKind(outcome.reason) });
        this.progress.retries++;
        this.lastError = { message: outcome.reason, at: new Date() };
        const delay = backoffMs(attempt++, config.retryInitialMs, config.retryMaxMs);
        logger.warn({ reason: outcome.reason, events: pending.length, attempt, retryInMs: delay }, 'Splunk HEC did not take the batch; will retry');
        await sleep(delay, signal);
      } else {
        metrics.up.set(1);
        const [kept, refused, rest] =
          outcome.kind === 'rejected'
            ? [pending.slice(0, outcome.at), pending.slice(outcome.at, outcome.at + 1), pending.slice(outcome.at + 1)]
            : [[], pending, []];
        this.delivered(kept.length);
        await this.deadLetter(refused, outcome.reason, outcome.kind === 'rejected' ? 'data' : 'token');
        pending = rest;
      }
    }
    consumer.ack(batch);
  }

  private delivered(events: number): void {
    this.deps.metrics.sent.inc(events);
    this.progress.delivered += events;
    if (events > 0) {
      this.lastDeliveredAt = new Date();
    }
  }

  /** With indexer acknowledgement: waits until Splunk reports the request's events indexed, or gives up (retry). */
  private async confirmIndexed(ackId: number | undefined): Promise<HecOutcome> {
    const { config, client, logger } = this.deps;
    if (ackId === undefined) {
      logger.warn('SPLUNK_ACK is on but HEC answered without an ackId (the token has no indexer acknowledgement); taking its 200 as delivered');
      return { kind: 'accepted' };
    }
    const signal = this.abort.signal;
    const deadline = Date.now() + config.ackTimeoutMs;
    while (!signal.aborted && Date.now() < deadline) {
      try {
        const { acks, reply, status } = await client.acknowledged([ackId], signal);
        if (acks?.[String(ackId)] === true) {
          return { kind: 'accepted' };
        }
        if (!acks && status >= 400 && status < 500) {
          return { kind: 'retry', reason: `${UNACKNOWLEDGED}: the ack endpoint answered ${describeHecReply(status, reply)}` };
        }
      } catch (err) {
        logger.debug({ err: (err as Error).message }, 'Splunk sink: ack query failed; polling again');
      }
      await sleep(config.ackPollMs, signal);
    }
    return { kind: 'retry', reason: `${UNACKNOWLEDGED}: ackId ${ackId} not confirmed within ${config.ackTimeoutMs} ms` };
  }

  /** Appends refused events to the dead-letter file (retried until it works: losing them silently is not an option). */
  private async deadLetter(events: Pending[], reason: string, kind: 'data' | 'token'): Promise<void> {
    const { config, metrics, logger } = this.deps;
    const at = new Date().toISOString();
    const lines = events.map((p) => `${JSON.stringify({ at, reason, event_id: p.event.id, hec_event: p.line })}\n`).join('');
    for (let attempt = 0; !this.abort.signal.aborted; attempt++) {
      try {
        await mkdir(dirname(config.deadLetterFile), { recursive: true });
        await appendFile(config.deadLetterFile, lines, { flush: true });
        metrics.deadLettered.inc({ kind }, events.length);
        this.progress.deadLettered += events.length;
        this.lastError = { message: `Splunk refused ${events.length} event(s): ${reason}`, at: new Date() };
        logger.warn({ events: events.length, reason, file: config.deadLetterFile }, 'Splunk refused events; written to the Splunk dead-letter file');
        return;
      } catch (err) {
        logger.error({ err, file: config.deadLetterFile }, 'Splunk sink: cannot write the dead-letter file; retrying');
        await sleep(backoffMs(attempt, config.retryInitialMs, config.retryMaxMs), this.abort.signal);
      }
    }
  }
}
