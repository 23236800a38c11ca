/**
 * Doctor probes in flight. A probe is an ordinary message that carries its id in `_insights_probe` (stored as
 * PROBE_FIELD, which activity queries exclude). The pipeline reports each stage a probe reaches through the hooks
 * below, with its own timestamps, so every stage of every source is timed on its own. Idle (one boolean check per
 * batch) unless a doctor run is waiting for probes.
 */
import type { DoctorStage } from '@shared/status-api';
import type { ReceivedMessage } from '../pipeline-types';
import { PROBE_FIELD } from '../query/fields';

/** Epoch milliseconds (fractional) at which a probe reached each stage. */
export type ProbeMarks = Partial<Record<DoctorStage, number>>;

/** The key a probe's id travels under in a message; the transform strips the leading underscore. */
export const PROBE_MESSAGE_KEY = `_${PROBE_FIELD}`;

/** Epoch milliseconds with sub-millisecond resolution. */
export const preciseNow = (): number => performance.timeOrigin + performance.now();

interface Probe {
  marks: ProbeMarks;
  /** The queue record the transform made of it, matched exactly downstream (as text before the queue, bytes after). */
  record?: { text: string; bytes: Buffer };
}

export class ProbeTracker {
  private readonly probes = new Map<string, Probe>();

  /** True while a doctor run waits for probes; the pipeline calls the hooks only then. */
  get active(): boolean {
    return this.probes.size > 0;
  }

  /** Starts watching for the probe `id`; the returned marks fill in as the pipeline reports stages. */
  watch(id: string): ProbeMarks {
    const probe: Probe = { marks: {} };
    this.probes.set(id, probe);
    return probe.marks;
  }

  forget(id: string): void {
    this.probes.delete(id);
  }

  /** Hook, before the transform (which takes the body over): the probe this message is, if any. */
  match(message: ReceivedMessage): string | undefined {
    const id = message.body[PROBE_MESSAGE_KEY];
    return typeof id === 'string' && this.probes.has(id) ? id : undefined;
  }

  /** Hook: probe `id` was received at `receivedAt` (the source's own time) and transformed into `record` now. */
  transformed(id: string, receivedAt: Date, record: string, atMs = preciseNow()): void {
    const probe = this.probes.get(id);
    if (probe) {
      probe.marks.received ??= receivedAt.getTime();
      probe.marks.transformed ??= atMs;
      probe.record = { text: record, bytes: Buffer.from(record) };
    }
  }

  /** Hook: these records are in the disk queue. */
  queued(records: string[], atMs = preciseNow()): void {
    this.reached('queued', atMs, (record) => records.includes(record.text));
  }

  /** Hook: Elasticsearch acknowledged these records (not dead-lettered). */
  indexed(records: Buffer[], atMs = preciseNow()): void {
    // The length check first: a record of another length is not compared at all.
    this.reached('indexed', atMs, (record) => records.some((r) => r.length === record.bytes.length && r.equals(record.bytes)));
  }

  private reached(stage: 'queued' | 'indexed', atMs: number, among: (record: NonNullable<Probe['record']>) => boolean): void {
    for (const probe of this.probes.values()) {
      if (probe.record && probe.marks[stage] === undefined && among(probe.record)) {
        probe.marks[stage] = atMs;
      }
    }
  }
}
