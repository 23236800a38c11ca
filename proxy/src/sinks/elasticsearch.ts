/**
 * Drains the disk queue into Elasticsearch with `_bulk`: batches by count, bytes and time, several requests in flight,
 * daily index from each event's `@timestamp`, `_id` = event id with the `index` op (a replay overwrites). A batch is
 * acknowledged in the queue only when every item was accepted or dead-lettered. Failed items (429/5xx) and failed
 * requests (Elasticsearch down, timeouts) are retried forever with jittered backoff; meanwhile the queue absorbs new
 * events, so receivers never wait on Elasticsearch.
 */
import type { ProxyContext } from '../context';
import type { DiskQueue, QueueBatch } from '../queue/disk-queue';
import { decodeRecord } from '../queue/event-record';
import { backoffMs, sleep } from './backoff';
import { classifyBulkItems, describeError } from './bulk-items';
import { deadLetterDoc } from './dead-letter';
import { dailyIndexName } from './index-name';

interface PendingItem {
  id: string;
  index: string;
  /** Serialised document. */
  doc: string;
  /** A dead letter is not dead-lettered again when refused; the event it carries is reported and given up. */
  deadLetter: boolean;
}

export interface StopOptions {
  /** How long in-flight requests may finish before they are aborted (their batches then replay on next start). */
  graceMs?: number;
}

export class ElasticsearchSink {
  private readonly abort = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly ctx: ProxyContext,
    private readonly queue: DiskQueue
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops reading; waits up to `graceMs` for in-flight requests, then aborts them. Nothing unacknowledged is lost. */
  async stop({ graceMs = 0 }: StopOptions = {}): Promise<void> {
    this.stopping = true;
    if (graceMs > 0 && this.inFlight.size > 0) {
      await Promise.race([Promise.allSettled([...this.inFlight]), sleep(graceMs)]);
    }
    this.abort.abort();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  private async run(): Promise<void> {
    const { batchMaxDocs, batchMaxBytes, flushIntervalMs, concurrency, retryInitialMs, retryMaxMs } = this.ctx.config.sink;
    const signal = this.abort.signal;
    let readFailures = 0;
    while (!this.stopping) {
      if (this.inFlight.size >= concurrency) {
        await Promise.race(this.inFlight);
        continue;
      }
      // Send a full batch at once; a partial one when flushIntervalMs passed without it filling up.
      await this.queue.waitForRecords(batchMaxDocs, flushIntervalMs, signal);
      if (this.stopping) {
        break;
      }
      let batch: QueueBatch | undefined;
      try {
        batch = await this.queue.read(batchMaxDocs, batchMaxBytes);
        readFailures = 0;
      } catch (err) {
        this.ctx.logger.error({ err }, 'reading the disk queue failed; retrying');
        await sleep(backoffMs(readFailures++, retryInitialMs, retryMaxMs), signal);
        continue;
      }
      if (batch) {
        const shipping: Promise<void> = this.ship(batch).finally(() => this.inFlight.delete(shipping));
        this.inFlight.add(shipping);
      }
    }
  }

  private async ship(batch: QueueBatch): Promise<void> {
    const { metrics, logger, config } = this.ctx;
    const { retryInitialMs, retryMaxMs } = config.sink;
    const signal = this.abort.signal;
    const now = new Date();
    let items: PendingItem[] = [];
    for (const record of batch.records) {
      const event = decodeRecord(record);
      if (event) {
        items.push({ id: event.id, index: dailyIndexName(config.elasticsearch.indexPrefix, event.timestamp, now), doc: event.doc, deadLetter: false });
      } else {
        metrics.queueCorrupt.inc({ kind: 'unparsable' });
        logger.error({ bytes: record.length }, 'skipping an unreadable queue record');
      }
    }

    let attempt = 0;
    while (items.length > 0) {
      if (signal.aborted) {
        return; // not acknowledged: replayed on next start
      }
      const operations: string[] = [];
      for (const item of items) {
        operations.push(JSON.stringify({ index: { _index: item.index, _id: item.id } }), item.doc);
      }
      const endTimer = metrics.bulkLatency.startTimer();
      let response;
      try {
        response = await this.ctx.es.bulkIngest(operations, signal);
        endTimer();
        metrics.esUp.set(1);
      } catch (err) {
        if (signal.aborted) {
          return;
        }
        endTimer();
        metrics.esUp.set(0);
        metrics.failed.inc({ kind: 'request' });
        const delay = backoffMs(attempt++, retryInitialMs, retryMaxMs);
        logger.warn({ err: (err as Error).message, docs: items.length, attempt, retryInMs: delay }, 'bulk request failed; will retry');
        await sleep(delay, signal);
        continue;
      }

      const next: PendingItem[] = [];
      let indexed = 0;
      let retries = 0;
      classifyBulkItems(response, items.length).forEach((outcome, i) => {
        const item = items[i];
        if (outcome.kind === 'ok') {
          if (item.deadLetter) {
            metrics.deadLettered.inc();
          } else {
            indexed++;
          }
        } else if (outcome.kind === 'retry') {
          retries++;
          next.push(item);
        } else if (item.deadLetter) {
          metrics.failed.inc({ kind: 'dead_letter_refused' });
          logger.error({ eventId: item.id, reason: describeError(outcome.error) }, 'the dead-letter index refused an event; it is lost');
        } else {
          next.push({ id: item.id, index: config.elasticsearch.deadLetterIndex, doc: deadLetterDoc(item, item.index, outcome.status, outcome.error, now), deadLetter: true });
          logger.warn({ eventId: item.id, index: item.index, reason: describeError(outcome.error) }, 'event refused by Elasticsearch; dead-lettered');
        }
      });
      metrics.indexed.inc(indexed);
      items = next;
      if (retries > 0) {
        metrics.failed.inc({ kind: 'item' }, retries);
        await sleep(backoffMs(attempt++, retryInitialMs, retryMaxMs), signal);
      }
    }
    this.queue.ack(batch);
  }
}
