import { Counter, CounterConfiguration, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { IngestCounters, IngestSnapshot } from './ingest-counters';

type Series = Array<[Record<string, string>, number]>;

/**
 * A Prometheus counter that mirrors running totals kept elsewhere: on each scrape (or `get()`) it adds what grew
 * since the last one, so the hot path updates plain numbers once per batch and never touches prom-client.
 */
function counterView(config: Omit<CounterConfiguration<string>, 'collect'>, read: () => Series): Counter<string> {
  const reported = new Map<string, number>();
  return new Counter({
    ...config,
    collect() {
      for (const [labels, value] of read()) {
        const key = JSON.stringify(labels);
        const delta = value - (reported.get(key) ?? 0);
        if (delta > 0 || !reported.has(key)) {
          this.inc(labels, Math.max(0, delta));
          reported.set(key, value);
        }
      }
    },
  });
}

function perSource(snapshot: IngestSnapshot, value: (s: NonNullable<IngestSnapshot['sources'][keyof IngestSnapshot['sources']]>) => number): Series {
  return Object.entries(snapshot.sources).map(([source, s]) => [{ source }, value(s!)]);
}

/**
 * Every metric the proxy exposes on GET /metrics. One registry per proxy instance, so tests can run several
 * proxies in one process without clashing names. The ingest metrics are views of `ingest` (IngestCounters).
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'insights_' });
  const registers = [registry];
  const ingest = new IngestCounters();
  const snap = () => ingest.snapshot();
  return {
    registry,
    ingest,
    received: counterView({ name: 'insights_ingest_received_total', help: 'Messages (datagrams, frames, bodies) received, by source', labelNames: ['source'], registers }, () =>
      perSource(snap(), (s) => s.received)
    ),
    receivedBytes: counterView({ name: 'insights_ingest_received_bytes_total', help: 'Bytes received, by source', labelNames: ['source'], registers }, () =>
      perSource(snap(), (s) => s.receivedBytes)
    ),
    decoded: counterView({ name: 'insights_ingest_decoded_total', help: 'Events decoded into JSON objects, by source', labelNames: ['source'], registers }, () =>
      perSource(snap(), (s) => s.decoded)
    ),
    accepted: counterView({ name: 'insights_ingest_queued_total', help: 'Events appended to the disk queue, by source', labelNames: ['source'], registers }, () =>
      perSource(snap(), (s) => s.queued)
    ),
    dropped: counterView(
      {
        name: 'insights_ingest_dropped_total',
        help: 'Messages or events dropped by the proxy, by source and reason (bad_json, not_object, too_big, bomb, bad_chunk, expired_chunks, duplicate_chunk, too_many_chunks, duplicate_event, queue_full, buffer_full, ...)',
        labelNames: ['source', 'reason'],
        registers,
      },
      () =>
        Object.entries(snap().sources).flatMap(([source, s]) =>
          Object.entries(s!.dropped)
            .filter(([reason]) => reason !== 'kernel')
            .map(([reason, value]): Series[number] => [{ source, reason }, value!])
        )
    ),
    kernelDrops: counterView(
      {
        name: 'insights_ingest_kernel_drops_total',
        help: "Datagrams the kernel dropped on the proxy's UDP sockets (receive buffer full: raise net.core.rmem_max), by source",
        labelNames: ['source'],
        registers,
      },
      () => Object.entries(snap().sources).flatMap(([source, s]): Series => (s!.dropped.kernel === undefined ? [] : [[{ source }, s!.dropped.kernel]]))
    ),
    lastEventTime: new Gauge({
      name: 'insights_ingest_last_event_timestamp_seconds',
      help: 'Unix time of the last event decoded, by source',
      labelNames: ['source'],
      registers,
      collect() {
        for (const [source, s] of Object.entries(snap().sources)) {
          if (s!.lastEventAt) {
            this.set({ source }, Date.parse(s!.lastEventAt) / 1000);
          }
        }
      },
    }),
    queued: new Gauge({
      name: 'insights_queue_depth_events',
      help: 'Events accepted and waiting in the disk queue',
      registers,
      collect() {
        this.set(snap().queue.events);
      },
    }),
    queueBytes: new Gauge({
      name: 'insights_queue_depth_bytes',
      help: 'Bytes used by the disk queue',
      registers,
      collect() {
        this.set(snap().queue.bytes);
      },
    }),
    queueCorrupt: counterView(
      { name: 'insights_queue_corrupt_records_total', help: 'Queue records skipped as unreadable: torn (half-written at a crash) or unparsable', labelNames: ['kind'], registers },
      () => Object.entries(snap().queue.corrupt).map(([kind, value]): Series[number] => [{ kind }, value!])
    ),
    indexed: counterView({ name: 'insights_sink_indexed_total', help: 'Events indexed in Elasticsearch', registers }, () => [[{}, snap().indexed]]),
    failed: counterView(
      { name: 'insights_sink_failed_total', help: 'Bulk item or request failures, by kind (retryable item, request)', labelNames: ['kind'], registers },
      () => Object.entries(snap().failed).map(([kind, value]): Series[number] => [{ kind }, value!])
    ),
    deadLettered: counterView({ name: 'insights_sink_dead_lettered_total', help: 'Events written to the dead-letter index', registers }, () => [[{}, snap().deadLettered]]),
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
    limitSamples: new Counter({
      name: 'insights_limit_samples_total',
      help: 'Limit counter samples, by outcome (ok, or gap: DreamFactory could not be read)',
      labelNames: ['outcome'],
      registers,
    }),
    limitSampleSeconds: new Histogram({
      name: 'insights_limit_sample_seconds',
      help: 'Time to read the limits, their counters and the user directory from DreamFactory for one sample',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    limitLastSample: new Gauge({ name: 'insights_limit_last_sample_timestamp_seconds', help: 'Unix time of the last successful limit sample', registers }),
    limitCounters: new Gauge({ name: 'insights_limit_counters', help: 'Counters read in the last limit sample (each-user limits: one per user)', registers }),
    limitTrips: new Counter({ name: 'insights_limit_trips_total', help: 'Counters seen reaching their maximum (one per window), since the proxy started', registers }),
    limitDocumentsIndexed: new Counter({ name: 'insights_limit_documents_indexed_total', help: 'Limit history documents indexed in Elasticsearch', registers }),
    limitDocumentsPending: new Gauge({ name: 'insights_limit_documents_pending', help: 'Limit history documents waiting for Elasticsearch', registers }),
    limitDocumentsDropped: new Counter({
      name: 'insights_limit_documents_dropped_total',
      help: 'Limit history documents given up, by reason (buffer_full: Elasticsearch down too long; rejected: refused as invalid)',
      labelNames: ['reason'],
      registers,
    }),
    limitDreamFactoryRequests: new Counter({
      name: 'insights_limit_dreamfactory_requests_total',
      help: 'Requests the limit sampler made to DreamFactory (also counted in insights_dreamfactory_requests_total)',
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
