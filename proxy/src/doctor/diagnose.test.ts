import { diagnose, type PipelineState } from './diagnose';
import type { ListenerStatus } from '@shared/status-api';

const udp: ListenerStatus = { source: 'gelf_udp', enabled: true, transport: 'udp', host: '0.0.0.0', port: 12201, dreamFactoryProtocol: 'gelf' };
const state: PipelineState = { waitedMs: 20_000, esReachable: true, deadLettered: false, deadLetterIndex: 'dl', sinkFailures: 0, queueDepth: 0 };
const seen = (stages: Record<string, number>, dropReasons: string[] = []) => ({ stages, stageMs: stages, dropReasons });

describe('diagnose', () => {
  it('names the first stage not reached', () => {
    expect(diagnose('gelf_udp', udp, seen({}), state)).toMatchObject({ failedStage: 'received', cause: expect.stringContaining('protocol "gelf"') });
    expect(diagnose('gelf_udp', udp, seen({ received: 5 }), state)).toMatchObject({ failedStage: 'transformed' });
    expect(diagnose('gelf_udp', udp, seen({ received: 5, transformed: 5 }, ['queue_full']), state)).toMatchObject({
      failedStage: 'queued',
      cause: expect.stringContaining('refused it (queue_full)'),
    });
    expect(diagnose('gelf_udp', udp, seen({ received: 5, transformed: 5, queued: 7, indexed: 900 }), state)).toMatchObject({
      failedStage: 'searchable',
      cause: expect.stringContaining('refresh interval'),
    });
    const all = { received: 5, transformed: 5.2, queued: 7, indexed: 900, searchable: 5000 };
    expect(diagnose('gelf_udp', udp, { stages: all, stageMs: { received: 5, transformed: 0.2, queued: 1.8, indexed: 893, searchable: 4100 }, dropReasons: [] }, state)).toEqual({
      source: 'gelf_udp',
      ok: true,
      stages: all,
      stageMs: { received: 5, transformed: 0.2, queued: 1.8, indexed: 893, searchable: 4100 },
    });
  });

  it('says a probe the source dropped before the pipeline saw it was received but dropped', () => {
    expect(diagnose('gelf_udp', udp, seen({}, ['bad_json']), state)).toMatchObject({ failedStage: 'transformed', cause: expect.stringContaining('dropped (bad_json)') });
  });

  it('tells Elasticsearch down from a rejected event at the indexed stage', () => {
    const queued = seen({ received: 5, transformed: 5, queued: 6 });
    expect(diagnose('gelf_udp', udp, queued, { ...state, esReachable: false, queueDepth: 3 }).cause).toContain('unreachable');
    expect(diagnose('gelf_udp', udp, queued, { ...state, deadLettered: true }).cause).toContain('dead-letter index dl');
  });

  it('reports a send failure before anything else', () => {
    expect(diagnose('gelf_udp', udp, { sendError: 'EHOSTUNREACH', ...seen({}) }, state)).toMatchObject({ failedStage: 'send' });
  });
});
