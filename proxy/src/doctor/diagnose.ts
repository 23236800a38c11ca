/** What the doctor observed for one source, and the first failing stage's likely cause. Pure. */
import type { DoctorSourceResult, ListenerStatus } from '@shared/status-api';
import type { StageTimings } from './stage-timings';

export interface Observation extends StageTimings {
  sendError?: string;
  /** Drop reasons counted for this source while waiting. */
  dropReasons: string[];
}

export interface PipelineState {
  waitedMs: number;
  esReachable: boolean;
  esError?: string;
  /** Events went to the dead-letter index while waiting (Elasticsearch rejected them). */
  deadLettered: boolean;
  deadLetterIndex: string;
  sinkFailures: number;
  queueDepth: number;
}

function receivedNothing(listener: ListenerStatus): string {
  const where = `${listener.transport.toUpperCase()} port ${listener.port}${listener.path ?? ''}`;
  const dreamFactory = listener.dreamFactoryProtocol
    ? ` For DreamFactory: is the Logstash service active, with protocol "${listener.dreamFactoryProtocol}", host = this proxy's address and port ${listener.port}?`
    : '';
  const udp = listener.transport === 'udp' ? ' UDP is dropped silently by firewalls and full receive buffers: check both.' : '';
  return `Received 0 on ${where}: the listener did not count the test message.${dreamFactory}${udp}`;
}

export function diagnose(source: string, listener: ListenerStatus, seen: Observation, state: PipelineState): DoctorSourceResult {
  const result = (failedStage?: DoctorSourceResult['failedStage'], cause?: string): DoctorSourceResult => ({
    source,
    ok: failedStage === undefined,
    stages: seen.stages,
    stageMs: seen.stageMs,
    ...(failedStage ? { failedStage, cause } : {}),
  });
  const waited = `${Math.round(state.waitedMs / 1000)} s`;
  if (seen.sendError) {
    return result('send', `Could not send to ${listener.transport.toUpperCase()} 127.0.0.1:${listener.port}${listener.path ?? ''} (${seen.sendError}): is the listener running and bound to that port?`);
  }
  // The pipeline sees a probe once decoded: one dropped before that shows only in the drop counters.
  const dropped = `Received but dropped (${seen.dropReasons.join(', ')}): see insights_ingest_dropped_total by reason.`;
  if (seen.stages.received === undefined) {
    return seen.dropReasons.length > 0 ? result('transformed', dropped) : result('received', receivedNothing(listener));
  }
  if (seen.stages.transformed === undefined) {
    return result('transformed', seen.dropReasons.length > 0 ? dropped : `Received but not transformed within ${waited}: see the proxy log for this source.`);
  }
  if (seen.stages.queued === undefined) {
    return result(
      'queued',
      seen.dropReasons.length > 0
        ? `Transformed but the disk queue refused it (${seen.dropReasons.join(', ')}): see the queue's disk and QUEUE_MAX_BYTES.`
        : `Transformed but not appended to the disk queue within ${waited}: see the proxy log.`
    );
  }
  if (seen.stages.indexed === undefined) {
    if (!state.esReachable) {
      return result('indexed', `Elasticsearch is unreachable (${state.esError ?? 'no answer'}): the event waits in the disk queue (${state.queueDepth} queued) and is sent when it is back.`);
    }
    if (state.deadLettered) {
      return result(
        'indexed',
        `Elasticsearch rejected the event (a mapping conflict in today's index?); it went to the dead-letter index ${state.deadLetterIndex}. Run "proxy setup" to see which indices conflict.`
      );
    }
    return result(
      'indexed',
      `Queued but not indexed within ${waited} (${state.queueDepth} queued, ${state.sinkFailures} bulk failures meanwhile): Elasticsearch may be rejecting or throttling (429) requests; see insights_sink_failed_total and the proxy log.`
    );
  }
  if (seen.stages.searchable === undefined) {
    return result(
      'searchable',
      `Indexed but not searchable within ${waited}: the index refresh interval is longer than the wait. Our template sets 5s; an index created before the template keeps its own (run "proxy setup").`
    );
  }
  return result();
}
