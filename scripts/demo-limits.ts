/**
 * The stack's demo of API limits: every live demo call also counts against the simulator's limits, as DreamFactory
 * counts the calls it serves (so counters, trips and projections move with the traffic), and one busy demo user
 * calls once a second under a limit of 100 an hour: it trips about two minutes after the stack starts.
 */
import type { DfLogEvent } from '../tests/dreamfactory-sim/log-formats';
import type { GeneratorUser } from '../tests/dreamfactory-sim/sender';
import type { Simulator } from '../tests/dreamfactory-sim/server';
import type { SimCall } from '../tests/dreamfactory-sim/store';

export const BUSY_USER_LIMIT = { name: 'Demo: busy user', rate: 100, period: 'hour' } as const;
const FLUSH_MS = 1000;

export interface DemoLimits {
  /** Counts a demo call (the event that will be logged for it) against the simulator's limits. */
  count(event: DfLogEvent): void;
  stop(): Promise<void>;
}

interface EventParts {
  request?: { service?: string; method?: string; resource?: string };
}

/** The call behind a logged event: who (a session user, or an API key only), which service, verb and endpoint. */
function callOf(event: DfLogEvent): SimCall | undefined {
  const request = (event.event as EventParts | undefined)?.request;
  if (!request?.service) {
    return undefined;
  }
  const userId = (event.platform as { session?: { user?: { id?: number } } } | undefined)?.session?.user?.id;
  return {
    service: request.service,
    verb: request.method,
    endpoint: request.resource,
    userId,
    auth: userId === undefined ? 'apiKey' : 'jwt',
  };
}

/** Creates the busy user's limit the way an admin would (DreamFactory's REST API) and starts counting demo calls. */
export async function startDemoLimits(simulator: Simulator, busyUser: GeneratorUser): Promise<DemoLimits> {
  const created = await fetch(`${simulator.url}/api/v2/system/limit`, {
    method: 'POST',
    headers: { 'x-dreamfactory-api-key': simulator.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({
      resource: [
        {
          ...BUSY_USER_LIMIT,
          type: 'instance.user',
          user_id: busyUser.id,
          description: `Demo traffic calls as ${busyUser.email} once a second`,
        },
      ],
    }),
  });
  if (!created.ok) {
    throw new Error(`creating the demo limit failed: HTTP ${created.status} ${await created.text()}`);
  }
  let pending: SimCall[] = [];
  const flush = async () => {
    const calls = pending;
    pending = [];
    if (calls.length > 0) {
      await fetch(`${simulator.url}/_sim/calls`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ calls }),
      }).catch(() => undefined);
    }
  };
  const timer = setInterval(() => void flush(), FLUSH_MS);
  return {
    count(event) {
      const call = callOf(event);
      if (call) {
        pending.push(call);
      }
    },
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}
