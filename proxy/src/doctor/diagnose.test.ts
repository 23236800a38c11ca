import { diagnose, type PipelineState } from './diagnose';
import type { ListenerStatus } from '@shared/status-api';

const udp: ListenerStatus = { source: 'gelf_udp', enabled: true, transport: 'udp', host: '0.0.0.0', port: 12201, dreamFactoryProtocol: 'gelf' };
const state: PipelineState = { waitedMs: 20_000, esReachable: true, deadLettered: false, deadLetterIndex: 'dl', sinkFailures: 0, queueDepth: 0 };

describe('diagnose', () => {
  it('names the first stage not reached', () => {
    expect(diagnose('gelf_udp', udp, { stages: {}, dropReasons: [] }, state)).toMatchObject({ failedStage: 'received', cause: expect.stringContaining('protocol "gelf"') });
    expect(diagnose('gelf_udp', udp, { stages: { received: 5 }, dropReasons: ['bad_json'] }, state).cause).toContain('dropped (bad_json)');
    expect(diagnose('gelf_udp', udp, { stages: { received: 5, transformed: 5, indexed: 900 }, dropReasons: [] }, state)).toMatchObject({
      failedStage: 'searchable',
      cause: expect.stringContaining('refresh interval'),
    });
    expect(diagnose('gelf_udp', udp, { stages: { received: 5, transformed: 5, indexed: 900, searchable: 5000 }, dropReasons: [] }, state)).toEqual({
      source: 'gelf_udp',
      ok: true,
      stages: { received: 5, transformed: 5, indexed: 900, searchable: 5000 },
    });
  });

  it('tells Elasticsearch down from a rejected event at the indexed stage', () => {
    const queued = { stages: { received: 5, transformed: 5 }, dropReasons: [] };
    expect(diagnose('gelf_udp', udp, queued, { ...state, esReachable: false, queueDepth: 3 }).cause).toContain('unreachable');
    expect(diagnose('gelf_udp', udp, queued, { ...state, deadLettered: true }).cause).toContain('dead-letter index dl');
  });

  it('reports a send failure before anything else', () => {
    expect(diagnose('gelf_udp', udp, { sendError: 'EHOSTUNREACH', stages: {}, dropReasons: [] }, state)).toMatchObject({ failedStage: 'send' });
  });
});
