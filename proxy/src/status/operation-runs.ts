/**
 * Setup and the doctor as runs the caller polls: each can take longer than Grafana's datasource proxy waits for an
 * answer (30 s by default; an Elasticsearch request alone may take that long before it times out), so the API starts
 * a run, answers at once with its id, and reports it on GET until it is done. One run per kind at a time: a second
 * start while one runs gets that run (two doctors would read each other's test messages). Kept in memory, the last
 * few finished runs per proxy.
 */
import { randomUUID } from 'node:crypto';
import type { OperationRun, RunKind, RunResults } from '@shared/status-api';

const KEEP_FINISHED = 20;

export class OperationRuns {
  private readonly runs = new Map<string, OperationRun>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Starts `task` as a run of `kind`, or returns the run of that kind still going. */
  start<K extends RunKind>(kind: K, task: () => Promise<RunResults[K]>): OperationRun<K> {
    const running = [...this.runs.values()].find((run) => run.kind === kind && run.state === 'running');
    if (running) {
      return { ...(running as OperationRun<K>) };
    }
    const run: OperationRun<K> = { id: randomUUID(), kind, state: 'running', startedAt: this.now().toISOString() };
    this.runs.set(run.id, run);
    void task().then(
      (result) => this.finish(run, { state: 'done', result }),
      (err: unknown) => this.finish(run, { state: 'failed', error: err instanceof Error ? err.message : String(err) })
    );
    return { ...run };
  }

  get(id: string): OperationRun | undefined {
    const run = this.runs.get(id);
    return run && { ...run };
  }

  private finish<K extends RunKind>(
    run: OperationRun<K>,
    outcome: Pick<OperationRun<K>, 'state' | 'result' | 'error'>
  ) {
    Object.assign(run, outcome, { finishedAt: this.now().toISOString() });
    const finished = [...this.runs.values()].filter((r) => r.state !== 'running');
    for (const old of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) {
      this.runs.delete(old.id);
    }
  }
}
