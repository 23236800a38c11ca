import { advance, project, RATE_LOOKBACK_MS, type CounterState, type Step } from './counter-state';

const S = 1000;

/** Observations as [seconds, attempts, max]; the first one is compared with nothing (the counter seen first). */
type Obs = [number, number, number];

function run(periodSeconds: number, observations: Obs[]): Step[] {
  const steps: Step[] = [];
  let state: CounterState | undefined;
  for (const [t, attempts, max] of observations) {
    const step = advance(state, { at: t * S, attempts, max }, periodSeconds * S);
    steps.push(step);
    state = step.state;
  }
  return steps;
}

/** Per observation: `trip`, the window change, or `-` for neither. */
const outline = (steps: Step[]) =>
  steps.map((s) => [s.change, s.trip ? 'trip' : undefined].filter(Boolean).join('+') || '-');

describe('trip and window derivation between samples', () => {
  it.each<[string, number, Obs[], string[]]>([
    [
      'a counter rising to its maximum trips once, and staying there (the lockout) is the same trip',
      60,
      [
        [0, 0, 10],
        [30, 4, 10],
        [60, 10, 10],
        [90, 10, 10],
        [120, 10, 10],
      ],
      ['-', 'started', 'trip', '-', '-'],
    ],
    [
      'still at the maximum after its window and a full lockout must have ended: a new trip',
      60,
      [
        [0, 0, 10],
        [30, 10, 10],
        [90, 10, 10],
        [150, 10, 10],
      ],
      ['-', 'started+trip', '-', 'ended+trip'],
    ],
    [
      'window edge: a drop no later than one period after the last idle sample is a reset',
      60,
      [
        [0, 0, 10],
        [30, 5, 10],
        [60, 0, 10],
      ],
      ['-', 'started', 'reset'],
    ],
    [
      'window edge: a drop after that can be the window running out',
      60,
      [
        [0, 0, 10],
        [30, 5, 10],
        [90, 0, 10],
      ],
      ['-', 'started', 'ended'],
    ],
    [
      'period rollover hidden by a rise: the window must have run out, so a new one started',
      60,
      [
        [0, 0, 10],
        [30, 5, 10],
        [90, 8, 10],
      ],
      ['-', 'started', 'ended'],
    ],
    [
      'period rollover at the maximum: one trip per window',
      60,
      [
        [0, 0, 10],
        [30, 10, 10],
        [60, 10, 10],
        [120, 0, 10],
        [150, 3, 10],
        [180, 10, 10],
      ],
      ['-', 'started+trip', '-', 'ended', 'started', 'trip'],
    ],
    [
      'counter reset by an admin during a lockout, then tripped again within the same period: two trips',
      3600,
      [
        [0, 0, 10],
        [30, 10, 10],
        [60, 0, 10],
        [90, 10, 10],
      ],
      ['-', 'started+trip', 'reset', 'started+trip'],
    ],
    [
      'a counter first seen at its maximum is a trip (before the first sample); it is not counted again',
      60,
      [
        [0, 10, 10],
        [30, 10, 10],
      ],
      ['trip', '-'],
    ],
    [
      'a counter first seen in use has an unknown start, so its drop cannot be proven a reset',
      3600,
      [
        [0, 5, 10],
        [30, 0, 10],
      ],
      ['-', 'ended'],
    ],
    [
      'a rate lowered below the attempts made puts the counter at its maximum: a trip',
      3600,
      [
        [0, 0, 10],
        [30, 8, 10],
        [60, 8, 5],
        [90, 8, 5],
      ],
      ['-', 'started', 'trip', '-'],
    ],
    [
      'DreamFactory down for less than the longest possible run: still the same trip',
      60,
      [
        [0, 0, 10],
        [30, 10, 10],
        [140, 10, 10],
      ],
      ['-', 'started+trip', '-'],
    ],
    [
      'DreamFactory down for longer: at the maximum on both sides is a new trip',
      60,
      [
        [0, 0, 10],
        [30, 10, 10],
        [400, 10, 10],
      ],
      ['-', 'started+trip', 'ended+trip'],
    ],
    [
      'an unknown period never ends a window by time, and a drop is an end',
      0,
      [
        [0, 0, 10],
        [30, 10, 10],
        [99999, 10, 10],
        [100029, 2, 10],
      ],
      ['-', 'started+trip', '-', 'ended'],
    ],
    [
      'idle counters stay idle',
      60,
      [
        [0, 0, 10],
        [30, 0, 10],
        [60, 0, 10],
      ],
      ['-', '-', '-'],
    ],
  ])('%s', (_name, period, observations, expected) => {
    expect(outline(run(period, observations))).toEqual(expected);
  });

  it('bounds the window start between the last idle sample and the first in use, and knows when it can end', () => {
    const [, started, , restarted] = run(3600, [
      [0, 0, 10],
      [30, 4, 10],
      [60, 6, 10],
      [3700, 1, 10],
    ]);
    expect(started.state.window).toEqual({ startedAfter: 0, startedBy: 30 * S });
    expect(restarted.state.window).toEqual({ startedAfter: 60 * S, startedBy: 3700 * S });
    expect(run(3600, [[0, 4, 10]])[0].state.window).toEqual({ startedBy: 0 });
  });

  it('remembers when the run at the maximum began', () => {
    const steps = run(3600, [
      [0, 0, 10],
      [30, 10, 10],
      [60, 10, 10],
      [90, 3, 10],
    ]);
    expect(steps.map((s) => s.state.atMaxSince)).toEqual([undefined, 30 * S, 30 * S, undefined]);
  });
});

describe('projection for the current window', () => {
  const projectAfter = (period: number, observations: Obs[]) => {
    const steps = run(period, observations);
    return project(steps[steps.length - 1].state, period * S);
  };

  it('extends the rate since the window started (its midpoint between two samples) to the maximum', () => {
    // Started between 0 and 60 s (taken as 30 s): 10 calls in 30 s → 1,200/h; 90 more calls take 270 s.
    expect(
      projectAfter(3600, [
        [0, 0, 100],
        [60, 10, 100],
      ])
    ).toEqual({ ratePerHour: 1200, tripsAt: 330 * S, inWindow: true });
  });

  it('says a counter will not trip in this window when the window resets first', () => {
    expect(
      projectAfter(60, [
        [0, 0, 100],
        [30, 1, 100],
      ])
    ).toEqual({ ratePerHour: 240, tripsAt: 1515 * S, inWindow: false });
  });

  it('follows the last 10 to 20 minutes, not the whole window', () => {
    const lookback = RATE_LOOKBACK_MS / S;
    // Slow for ten minutes, then 180 calls in the next ten: 0.3 calls/s → the remaining 800 take 2,667 s.
    const projection = projectAfter(86400, [
      [0, 0, 1000],
      [60, 2, 1000],
      [60 + lookback - 30, 20, 1000],
      [60 + 2 * lookback - 30, 200, 1000],
    ]);
    expect(projection?.ratePerHour).toBeCloseTo(1080, 6);
    expect(projection?.tripsAt).toBe(Math.round((1230 + 800 / 0.3) * S));
  });

  it('reports a counter that stopped rising as not tripping', () => {
    const lookback = RATE_LOOKBACK_MS / S;
    expect(
      projectAfter(86400, [
        [0, 0, 100],
        [60, 10, 100],
        [60 + lookback, 10, 100],
        [60 + 2 * lookback, 10, 100],
      ])
    ).toEqual({
      ratePerHour: 0,
      inWindow: false,
    });
  });

  it('needs two samples of a counter first seen in use, then measures from the first', () => {
    expect(projectAfter(3600, [[0, 5, 100]])).toBeUndefined();
    expect(
      projectAfter(3600, [
        [0, 5, 100],
        [30, 15, 100],
      ])
    ).toEqual({ ratePerHour: 1200, tripsAt: 285 * S, inWindow: true });
  });

  it('projects nothing for a counter already at its maximum or idle', () => {
    expect(
      projectAfter(3600, [
        [0, 0, 10],
        [30, 10, 10],
      ])
    ).toBeUndefined();
    expect(
      projectAfter(3600, [
        [0, 0, 10],
        [30, 0, 10],
      ])
    ).toBeUndefined();
  });
});
