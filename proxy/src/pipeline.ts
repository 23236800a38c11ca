/**
 * The ingest path, assembled: sources → transform → disk queue → Elasticsearch sink. A message's handler resolves
 * once its event is fsynced in the queue, so an HTTP source's 2xx means "durably accepted".
 */
import type { ProxyContext } from './context';
import type { DropHandler, MessageHandler, Source } from './pipeline-types';
import { DiskQueue, QueueFullError } from './queue/disk-queue';
import { encodeEvent } from './queue/event-record';
import { ElasticsearchSink, StopOptions } from './sinks/elasticsearch';
import { startSources } from './sources';
import { transformMessage, transformOptionsFromConfig } from './transforms';

export interface Ingest {
  sources: Source[];
  /** For sources mounted elsewhere (GELF HTTP on the proxy's HTTP server). */
  handler: MessageHandler;
  drop: DropHandler;
  queue: DiskQueue;
  /** Closes the listeners, stops the sink (in-flight requests get `graceMs`), commits and closes the queue. */
  stop(options?: StopOptions): Promise<void>;
}

export interface IngestOptions {
  /** Start the network listeners (tests and benchmarks may feed the handler directly). Default true. */
  listen?: boolean;
}

export async function startIngest(ctx: ProxyContext, options: IngestOptions = {}): Promise<Ingest> {
  const { config, metrics, logger } = ctx;
  const queue = await DiskQueue.open({
    dir: config.queue.dir,
    maxBytes: config.queue.maxBytes,
    observer: {
      depth: (records, bytes) => {
        metrics.queued.set(records);
        metrics.queueBytes.set(bytes);
      },
      torn: (count) => metrics.queueCorrupt.inc({ kind: 'torn' }, count),
      error: (err) => logger.error({ err }, 'disk queue housekeeping failed (position or new segment); will retry'),
    },
  });
  if (queue.recovery.replayed > 0 || queue.recovery.tornRecords > 0) {
    logger.info({ ...queue.recovery, dir: config.queue.dir }, 'disk queue recovered; replaying unacknowledged events');
  }

  const drop: DropHandler = (source, reason) => metrics.dropped.inc({ source, reason });
  const transformOptions = transformOptionsFromConfig(config.ingest);
  const handler: MessageHandler = async (message) => {
    const result = transformMessage(message, transformOptions);
    if ('drop' in result) {
      drop(message.source, result.drop);
      return;
    }
    try {
      await queue.append(encodeEvent(result.event));
    } catch (err) {
      if (err instanceof QueueFullError) {
        drop(message.source, 'queue_full');
      }
      throw err;
    }
  };

  const sink = new ElasticsearchSink(ctx, queue);
  sink.start();
  let sources: Source[] = [];
  try {
    sources = options.listen === false ? [] : await startSources(ctx, handler, drop);
  } catch (err) {
    await sink.stop();
    await queue.close();
    throw err;
  }

  return {
    sources,
    handler,
    drop,
    queue,
    async stop(stopOptions) {
      await Promise.allSettled(sources.map((s) => s.close()));
      await sink.stop(stopOptions);
      await queue.close();
    },
  };
}
