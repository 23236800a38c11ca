import { stageTimings } from './stage-timings';

describe('stageTimings', () => {
  const sent = 1_000_000.25;

  it('times each stage on its own and as time since sending', () => {
    const marks = { received: 1_000_002, transformed: 1_000_002.4, queued: 1_000_009, indexed: 1_000_180.25, searchable: 1_004_900.25 };
    expect(stageTimings(sent, marks)).toEqual({
      stages: { received: 1.8, transformed: 2.2, queued: 8.8, indexed: 180, searchable: 4900 },
      stageMs: { received: 1.8, transformed: 0.4, queued: 6.6, indexed: 171.3, searchable: 4720 },
    });
  });

  it('leaves out the stages not reached', () => {
    expect(stageTimings(sent, { received: 1_000_003.25, transformed: 1_000_004.25 })).toEqual({
      stages: { received: 3, transformed: 4 },
      stageMs: { received: 3, transformed: 1 },
    });
    expect(stageTimings(sent, {})).toEqual({ stages: {}, stageMs: {} });
  });

  it('floors at 0 a receive time stamped in whole milliseconds just before the send time', () => {
    expect(stageTimings(sent, { received: 1_000_000, transformed: 1_000_000.75 })).toEqual({
      stages: { received: 0, transformed: 0.5 },
      stageMs: { received: 0, transformed: 0.5 },
    });
  });
});
