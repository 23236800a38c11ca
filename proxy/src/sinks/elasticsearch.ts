/**
 * Drains its queue cursor into Elasticsearch with `_bulk`: batches by count, bytes and time, several requests in
 * flight, `_id` = event id with the `index` op (a replay overwrites). The queue records already are bulk lines, so a
 * body is the stored bytes with one byte changed per record. A batch is acknowledged only when every item was
 * accepted or dead-lettered. Failed items (429/5xx) and failed requests (Elasticsearch down, timeouts) are retried
 * forever with jittered backoff; meanwhile the queue absorbs new events, so receivers never wait on Elasticsearch.
 */
import type { BulkIngestResponse } from '../clients/elasticsearch';
import type { Config } from '../config';
import type { IngestCounters } from '../ingest-counters';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { QueueBatch, QueueConsumer } from '../queue/disk-queue';
import type { Redactor } from '../redaction';
import { backoffMs, sleep } from './backoff';
import { classifyBulkItems, describeError } from './bulk-items';
import { decodeRecord, headerEnd, isBulkRecord } from './bulk-record';
import { deadLetterDoc } from './dead-letter';
import type { ProbeTracker } from '../doctor/probe-tracker';
import type { Sink } from './sink';

/** What the sink needs from Elasticsearch: one `_bulk` call with a ready NDJSON body. */
export interface BulkWriter {
  bulkIngest(ndjson: Buffer, signal?: AbortSignal): Promise<BulkIngestResponse>;
}

export interface ElasticsearchSinkDeps {
  writer: BulkWriter;
  consumer: QueueConsumer;
  sink: Config['sink'];
  elasticsearch: Pick<Config['elasticsearch'], 'indexPrefix' | 'deadLetterIndex'>;
  counters: IngestCounters;
  metrics: Pick<Metrics, 'bulkLatency' | 'esUp'>;
  logger: Logger;
  /** Redacts dead letters (absent when redaction is off): Elasticsearch's reason quotes field values. */
  redactor?: Redactor;
  /** Told which stored records Elasticsearch acknowledged while a doctor run waits for its probes. */
  probes?: Pick<ProbeTracker, 'active' | 'indexed'>;
}

export interface StopOptions {
  /** How long in-flight requests may finish before they are aborted (their batches then replay on next start). */
  graceMs?: number;
}

/** One document of a request: a stored record (sent as its bytes), or bulk lines built for it. */
interface PendingItem {
  /** The stored record this item delivers (also what its dead letter is built from). */
  record?: Buffer;
  /** Where the record's header ends (its tab), when the record itself is sent. */
  headerEnd?: number;
  /** Both bulk lines, each ending in a newline, when the record's own bytes cannot be sent (dead letters, old records). */
  lines?: Buffer;
  /** A dead letter is not dead-lettered again when refused; the event it carries is reported and given up. */
  deadLetter: boolean;
}

const NEWLINE = 0x0a;
const TAB = 0x09;

export class ElasticsearchSink implements Sink {
  readonly name = 'elasticsearch';
  private readonly abort = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly deps: ElasticsearchSinkDeps) {}

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
    const { consumer, logger } = this.deps;
    const { batchMaxDocs, batchMaxBytes, flushIntervalMs, concurrency, retryInitialMs, retryMaxMs } = this.deps.sink;
    const signal = this.abort.signal;
    let readFailures = 0;
    while (!this.stopping) {
      if (this.inFlight.size >= concurrency) {
        await Promise.race(this.inFlight);
        continue;
      }
      // Send a full batch at once; a partial one when flushIntervalMs passed without it filling up.
      await consumer.waitForRecords(batchMaxDocs, flushIntervalMs, signal);
      if (this.stopping) {
        break;
      }
      let batch: QueueBatch | undefined;
      try {
        batch = await consumer.read(batchMaxDocs, batchMaxBytes);
        readFailures = 0;
      } catch (err) {
        logger.error({ err }, 'reading the disk queue failed; retrying');
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
    const { metrics, counters, logger, writer, consumer } = this.deps;
    const { retryInitialMs, retryMaxMs } = this.deps.sink;
    const signal = this.abort.signal;
    let items = this.itemsOf(batch);

    let attempt = 0;
    while (items.length > 0) {
      if (signal.aborted) {
        return; // not acknowledged: replayed on next start
      }
      const endTimer = metrics.bulkLatency.startTimer();
      let response: BulkIngestResponse;
      // Usually the batch as read, its records back to back in one buffer: sent in place, not copied.
      const inPlace = inPlaceBody(items);
      try {
        response = await writer.bulkIngest(inPlace ?? bulkBody(items), signal);
        endTimer();
        metrics.esUp.set(1);
      } catch (err) {
        if (signal.aborted) {
          return;
        }
        endTimer();
        metrics.esUp.set(0);
        counters.failed('request');
        const delay = backoffMs(attempt++, retryInitialMs, retryMaxMs);
        logger.warn({ err: (err as Error).message, docs: items.length, attempt, retryInMs: delay }, 'bulk request failed; will retry');
        await sleep(delay, signal);
        continue;
      } finally {
        if (inPlace) {
          restoreHeaders(items);
        }
      }

      const next: PendingItem[] = [];
      // Only while a doctor run waits for its probes: the records Elasticsearch acknowledged.
      const acknowledged: Buffer[] | undefined = this.deps.probes?.active ? [] : undefined;
      let indexed = 0;
      let retries = 0;
      let deadLettered = 0;
      classifyBulkItems(response, items.length).forEach((outcome, i) => {
        const item = items[i];
        if (outcome.kind === 'ok') {
          if (item.deadLetter) {
            deadLettered++;
          } else {
            indexed++;
            if (acknowledged && item.record) {
              acknowledged.push(item.record);
            }
          }
        } else if (outcome.kind === 'retry') {
          retries++;
          next.push(item);
        } else if (item.deadLetter) {
          counters.failed('dead_letter_refused');
          logger.error({ reason: describeError(outcome.error) }, 'the dead-letter index refused an event; it is lost');
        } else {
          const deadLetter = this.deadLetterOf(item, outcome.status, outcome.error);
          if (deadLetter) {
            next.push(deadLetter);
          }
        }
      });
      counters.indexed(indexed);
      counters.deadLettered(deadLettered);
      if (acknowledged) {
        this.deps.probes!.indexed(acknowledged);
      }
      items = next;
      if (retries > 0) {
        counters.failed('item', retries);
        await sleep(backoffMs(attempt++, retryInitialMs, retryMaxMs), signal);
      }
    }
    consumer.ack(batch);
  }

  /** The batch's documents; records that are not events (disk corruption) are counted and skipped. */
  private itemsOf(batch: QueueBatch): PendingItem[] {
    const { counters, logger, elasticsearch } = this.deps;
    const items: PendingItem[] = [];
    const now = new Date();
    for (const record of batch.records) {
      const end = headerEnd(record);
      if (end > 0 && isBulkRecord(record)) {
        items.push({ record, headerEnd: end, deadLetter: false });
        continue;
      }
      const event = decodeRecord(record, elasticsearch.indexPrefix, now);
      if (event) {
        items.push({ lines: bulkLines(event.index, event.id, event.doc), record, deadLetter: false });
      } else {
        counters.queueCorrupt('unparsable');
        logger.error({ bytes: record.length }, 'skipping an unreadable queue record');
      }
    }
    return items;
  }

  private deadLetterOf(item: PendingItem, status: number, error: Parameters<typeof deadLetterDoc>[3]): PendingItem | undefined {
    const { elasticsearch, logger, redactor } = this.deps;
    const now = new Date();
    const event = item.record && decodeRecord(item.record, elasticsearch.indexPrefix, now);
    if (!event) {
      return undefined;
    }
    logger.warn({ eventId: event.id, index: event.index, reason: describeError(error) }, 'event refused by Elasticsearch; dead-lettered');
    return { lines: bulkLines(elasticsearch.deadLetterIndex, event.id, deadLetterDoc(event, event.index, status, error, now, redactor)), deadLetter: true };
  }
}

function bulkLines(index: string, id: string, doc: string): Buffer {
  return Buffer.from(`${JSON.stringify({ index: { _index: index, _id: id } })}\n${doc}\n`);
}

/** The NDJSON body: stored records are copied with their header tab turned into a newline; built lines as they are. */
function bulkBody(items: PendingItem[]): Buffer {
  let length = 0;
  for (const item of items) {
    length += item.lines ? item.lines.length : item.record!.length + 1;
  }
  const body = Buffer.allocUnsafe(length);
  let at = 0;
  for (const item of items) {
    if (item.lines) {
      at += item.lines.copy(body, at);
      continue;
    }
    const record = item.record!;
    record.copy(body, at);
    body[at + item.headerEnd!] = NEWLINE;
    at += record.length;
    body[at++] = NEWLINE;
  }
  return body;
}

/**
 * When every item is a stored record and they lie back to back in one buffer, each followed by its newline (a batch
 * as the queue read it), that span is the NDJSON body once each header tab is a newline: those bytes are changed in
 * place and the span is returned. Undefined otherwise. restoreHeaders() must undo it once the request is over, as
 * the records are read again for retries and dead letters.
 */
function inPlaceBody(items: PendingItem[]): Buffer | undefined {
  const first = items[0].record;
  if (!first) {
    return undefined;
  }
  let end = first.byteOffset;
  for (const { record, lines } of items) {
    if (lines || !record || record.buffer !== first.buffer || record.byteOffset !== end) {
      return undefined;
    }
    end += record.length + 1;
  }
  if (end > first.buffer.byteLength) {
    return undefined;
  }
  const span = Buffer.from(first.buffer, first.byteOffset, end - first.byteOffset);
  if (span[span.length - 1] !== NEWLINE) {
    return undefined;
  }
  for (const item of items) {
    item.record![item.headerEnd!] = NEWLINE;
  }
  return span;
}

function restoreHeaders(items: PendingItem[]): void {
  for (const item of items) {
    item.record![item.headerEnd!] = TAB;
  }
}
