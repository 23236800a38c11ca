/**
 * The ingest path, assembled: sources → transform → disk queue → Elasticsearch sink, and the Splunk HEC sink when
 * SPLUNK_HEC_URL is set (its own consumer of the same queue: either destination may be down without holding back the
 * other, and each gets every event). UDP sources deliver batches
 * (one queue append per batch); TCP and HTTP sources deliver single messages, and an HTTP source's handler resolves
 * only once its event is fsynced, so its 2xx means "durably accepted".
 */
import type { SplunkStatus } from '@shared/status-api';
import type { Config } from './config';
import type { IngestSnapshot } from './ingest-counters';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import type { DropReason, MessageHandler, ReceivedMessage, Source, SourceName } from './pipeline-types';
import { DiskQueue, QueueFullError } from './queue/disk-queue';
import type { Redactor } from './redaction';
import { encodeEvent } from './sinks/bulk-record';
import { enabledSplunk, SplunkHecClient } from './clients/splunk-hec';
import { BulkWriter, ElasticsearchSink, StopOptions } from './sinks/elasticsearch';
import type { Sink } from './sinks/sink';
import { createSplunkMetrics, SplunkHecSink } from './sinks/splunk-hec';
import { SourceDeps, startSources } from './sources';
import { transformMessage, TransformOptions, transformOptionsFromConfig } from './transforms';
import type { ProbeTracker } from './doctor/probe-tracker';

/** The queue cursors of the sinks. */
const ELASTICSEARCH_CONSUMER = 'elasticsearch';
const SPLUNK_CONSUMER = 'splunk';

export interface IngestDeps {
  config: Pick<Config, 'ingest' | 'queue' | 'sink' | 'splunk'> & { elasticsearch: Pick<Config['elasticsearch'], 'indexPrefix' | 'deadLetterIndex'> };
  logger: Logger;
  metrics: Metrics;
  /** Where the sink sends its `_bulk` bodies (the Elasticsearch client). */
  bulkWriter: BulkWriter;
  /** Applied to every event before it is queued and to dead letters (unless `ingest.redact` is off). */
  redactor: Redactor;
  /** Told when a doctor probe reaches each stage (proxy/src/doctor). */
  probes?: ProbeTracker;
}

export interface IngestOptions {
  /** Start the network listeners (tests and benchmarks may feed `sourceDeps` directly). Default true. */
  listen?: boolean;
}

export interface Ingest {
  sources: Source[];
  /** For sources mounted elsewhere (GELF HTTP on the proxy's HTTP server). */
  sourceDeps: SourceDeps;
  queue: DiskQueue;
  /** Every ingest counter, as of now: what status and the doctor read (and /metrics shows). */
  snapshot(): IngestSnapshot;
  /** The Splunk HEC sink's state, when Splunk is on: what status shows next to Elasticsearch. */
  splunkStatus?: () => SplunkStatus;
  /** Closes the listeners, stops the sink (in-flight requests get `graceMs`), writes, syncs and closes the queue. */
  stop(options?: StopOptions): Promise<void>;
}

export async function startIngest(deps: IngestDeps, options: IngestOptions = {}): Promise<Ingest> {
  const { config, logger, metrics } = deps;
  const counters = metrics.ingest;
  const splunk = enabledSplunk(config.splunk);
  const queue = await DiskQueue.open({
    dir: config.queue.dir,
    maxBytes: config.queue.maxBytes,
    syncIntervalMs: config.queue.syncIntervalMs,
    consumers: splunk ? [ELASTICSEARCH_CONSUMER, SPLUNK_CONSUMER] : [ELASTICSEARCH_CONSUMER],
    observer: {
      depth: (records, bytes) => counters.queueDepth(records, bytes),
      torn: (count) => counters.queueCorrupt('torn', count),
      error: (err) => logger.error({ err }, 'disk queue housekeeping failed (sync, position or new segment); will retry'),
    },
  });
  if (queue.recovery.replayed > 0 || queue.recovery.tornRecords > 0) {
    logger.info({ ...queue.recovery, dir: config.queue.dir }, 'disk queue recovered; replaying unacknowledged events');
  }

  const { probes } = deps;
  const encoder = new EventEncoder(transformOptionsFromConfig(config.ingest, deps.redactor), config.elasticsearch.indexPrefix, probes);
  const refused = (source: SourceName, err: unknown, count: number) => {
    counters.dropped(source, err instanceof QueueFullError ? 'queue_full' : 'queue_error', count);
  };

  const handler: MessageHandler = async (message, { durable }) => {
    const records = encoder.encode([message], counters);
    if (records.length === 0) {
      return;
    }
    try {
      await queue.append(records, { durable });
    } catch (err) {
      refused(message.source, err, 1);
      throw err;
    }
    counters.queued(message.source, 1);
    if (probes?.active) {
      probes.queued(records);
    }
  };

  const deliverBatch = (messages: ReceivedMessage[]) => {
    const source = messages[0].source;
    const records = encoder.encode(messages, counters);
    queue.append(records).then(
      () => {
        counters.queued(source, records.length);
        if (probes?.active) {
          probes.queued(records);
        }
      },
      (err: Error) => {
        refused(source, err, records.length);
        if (!(err instanceof QueueFullError)) {
          logger.error({ source, err: err.message, events: records.length }, 'writing to the disk queue failed; events lost');
        }
      }
    );
  };

  const sourceDeps: SourceDeps = { counters, logger, handler, deliverBatch };
  const sinks: Sink[] = [
    new ElasticsearchSink({
      writer: deps.bulkWriter,
      consumer: queue.consumer(ELASTICSEARCH_CONSUMER),
      sink: config.sink,
      elasticsearch: config.elasticsearch,
      counters,
      metrics,
      logger,
      redactor: config.ingest.redact ? deps.redactor : undefined,
      probes,
    }),
  ];
  const splunkClient = splunk ? new SplunkHecClient(splunk) : undefined;
  const splunkSink =
    splunkClient &&
    new SplunkHecSink({
      config: config.splunk,
      client: splunkClient,
      consumer: queue.consumer(SPLUNK_CONSUMER),
      metrics: createSplunkMetrics(metrics.registry),
      logger,
    });
  if (splunkSink) {
    sinks.push(splunkSink);
  }
  sinks.forEach((sink) => sink.start());
  const stopSinks = async (stopOptions?: StopOptions) => {
    await Promise.all(sinks.map((sink) => sink.stop(stopOptions)));
    splunkClient?.close();
  };
  let sources: Source[] = [];
  try {
    sources = options.listen === false ? [] : await startSources(config.ingest, sourceDeps);
  } catch (err) {
    await stopSinks();
    await queue.close();
    throw err;
  }

  return {
    sources,
    sourceDeps,
    queue,
    snapshot: () => counters.snapshot(),
    splunkStatus: splunkSink && (() => splunkSink.status()),
    async stop(stopOptions) {
      await Promise.allSettled(sources.map((s) => s.close()));
      await stopSinks(stopOptions);
      await queue.close();
    },
  };
}

/** Transform + queue record encoding for a batch of messages from one source; drops are counted per batch. */
class EventEncoder {
  constructor(
    private readonly options: TransformOptions,
    private readonly indexPrefix: string,
    private readonly probes?: ProbeTracker
  ) {}

  encode(messages: ReceivedMessage[], counters: Metrics['ingest']): string[] {
    const records: string[] = [];
    const drops = new Map<DropReason, number>();
    const now = new Date();
    const probes = this.probes?.active ? this.probes : undefined;
    for (const message of messages) {
      // Read before the transform, which takes the body over.
      const probe = probes?.match(message);
      const result = transformMessage(message, this.options);
      if ('drop' in result) {
        drops.set(result.drop, (drops.get(result.drop) ?? 0) + 1);
      } else {
        const record = encodeEvent(result.event, this.indexPrefix, now);
        records.push(record);
        if (probe) {
          probes!.transformed(probe, message.receivedAt, record);
        }
      }
    }
    for (const [reason, count] of drops) {
      counters.dropped(messages[0].source, reason, count);
    }
    return records;
  }
}
