import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Every metric the proxy exposes on GET /metrics. One registry per proxy instance, so tests can run several
 * proxies in one process without clashing names.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'insights_' });
  const registers = [registry];
  return {
    registry,
    received: new Counter({ name: 'insights_ingest_received_total', help: 'Messages (datagrams, frames, bodies) received, by source', labelNames: ['source'], registers }),
    receivedBytes: new Counter({ name: 'insights_ingest_received_bytes_total', help: 'Bytes received, by source', labelNames: ['source'], registers }),
    decoded: new Counter({ name: 'insights_ingest_decoded_total', help: 'Events decoded into JSON objects, by source', labelNames: ['source'], registers }),
    dropped: new Counter({
      name: 'insights_ingest_dropped_total',
      help: 'Messages or events dropped, by source and reason (bad_json, not_object, too_big, bomb, bad_chunk, expired_chunks, duplicate_chunk, too_many_chunks, duplicate_event, queue_full, ...)',
      labelNames: ['source', 'reason'],
      registers,
    }),
    lastEventTime: new Gauge({ name: 'insights_ingest_last_event_timestamp_seconds', help: 'Unix time of the last event decoded, by source', labelNames: ['source'], registers }),
    queued: new Gauge({ name: 'insights_queue_depth_events', help: 'Events accepted and waiting in the disk queue', registers }),
    queueBytes: new Gauge({ name: 'insights_queue_depth_bytes', help: 'Bytes used by the disk queue', registers }),
    queueCorrupt: new Counter({
      name: 'insights_queue_corrupt_records_total',
      help: 'Queue records skipped as unreadable: torn (half-written at a crash) or unparsable',
      labelNames: ['kind'],
      registers,
    }),
    indexed: new Counter({ name: 'insights_sink_indexed_total', help: 'Events indexed in Elasticsearch', registers }),
    failed: new Counter({ name: 'insights_sink_failed_total', help: 'Bulk item or request failures, by kind (retryable item, request)', labelNames: ['kind'], registers }),
    deadLettered: new Counter({ name: 'insights_sink_dead_lettered_total', help: 'Events written to the dead-letter index', registers }),
    bulkLatency: new Histogram({
      name: 'insights_sink_bulk_seconds',
      help: 'Latency of bulk requests to Elasticsearch',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    esUp: new Gauge({ name: 'insights_elasticsearch_up', help: '1 when the last request to Elasticsearch succeeded', registers }),
    dfRequests: new Counter({ name: 'insights_dreamfactory_requests_total', help: 'Requests to DreamFactory, by outcome', labelNames: ['outcome'], registers }),
    queryLatency: new Histogram({
      name: 'insights_query_seconds',
      help: 'Time to answer POST /api/query, by query type',
      labelNames: ['type'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    directoryLookups: new Counter({
      name: 'insights_directory_lookups_total',
      help: 'User directory reads, by result (hit = fresh cache, stale = served while refreshing, miss = fetched first)',
      labelNames: ['result'],
      registers,
    }),
    directoryUsers: new Gauge({ name: 'insights_directory_users', help: 'Users and admins in the cached user directory', registers }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
