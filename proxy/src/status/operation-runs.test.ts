/**
 * Setup and doctor runs: started at once, reported until done, one per kind at a time, a failure kept with its
 * message, and only recent runs remembered.
 */
import type { DoctorResult, SetupResult } from '@shared/status-api';
import { OperationRuns } from './operation-runs';

const SETUP_OK = { ok: true, steps: [] } as unknown as SetupResult;
const DOCTOR_OK = { ok: true, sources: [], problems: [] } as unknown as DoctorResult;

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('operation runs', () => {
  test('a run is reported running, then done with its result', async () => {
    const runs = new OperationRuns();
    const setup = deferred<SetupResult>();
    const started = runs.start('setup', () => setup.promise);
    expect(started).toMatchObject({ kind: 'setup', state: 'running' });
    expect(runs.get(started.id)).toMatchObject({ state: 'running' });

    setup.resolve(SETUP_OK);
    await settled();
    expect(runs.get(started.id)).toMatchObject({ state: 'done', result: SETUP_OK, finishedAt: expect.any(String) });
  });

  test('starting a kind that is already running joins that run; other kinds run beside it', async () => {
    const runs = new OperationRuns();
    const doctor = deferred<DoctorResult>();
    let doctorsStarted = 0;
    const startDoctor = () =>
      runs.start('doctor', () => {
        doctorsStarted += 1;
        return doctor.promise;
      });
    const first = startDoctor();
    expect(startDoctor().id).toBe(first.id);
    expect(runs.start('setup', async () => SETUP_OK).id).not.toBe(first.id);
    expect(doctorsStarted).toBe(1);

    doctor.resolve(DOCTOR_OK);
    await settled();
    expect(startDoctor().id).not.toBe(first.id);
  });

  test('a failed run keeps the error message', async () => {
    const runs = new OperationRuns();
    const run = runs.start('setup', async () => {
      throw new Error('Elasticsearch at http://es:9200 refused the connection');
    });
    await settled();
    expect(runs.get(run.id)).toMatchObject({
      state: 'failed',
      error: 'Elasticsearch at http://es:9200 refused the connection',
    });
  });

  test('only the last 20 finished runs are kept', async () => {
    const runs = new OperationRuns();
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      ids.push(runs.start('setup', async () => SETUP_OK).id);
      await settled();
    }
    expect(ids.filter((id) => runs.get(id)).length).toBe(20);
    expect(runs.get(ids[0])).toBeUndefined();
    expect(runs.get(ids[24])).toMatchObject({ state: 'done' });
  });

  test('a run handed out is a copy: callers cannot change what the proxy reports', () => {
    const runs = new OperationRuns();
    const run = runs.start('doctor', () => new Promise<DoctorResult>(() => undefined));
    run.state = 'done';
    expect(runs.get(run.id)?.state).toBe('running');
  });
});
