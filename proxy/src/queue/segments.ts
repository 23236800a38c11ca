/**
 * Segment files of the disk queue: `seg-<16-digit sequence>.log`, newline-delimited records, append-only. Helpers to
 * list them, repair a torn tail after a crash and count the records in a range.
 */
import { FileHandle, open, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const SEGMENT_RE = /^seg-(\d{16})\.log$/;
const NEWLINE = 0x0a;
const SCAN_CHUNK = 1024 * 1024;

export interface QueuePosition {
  segment: number;
  offset: number;
}

export function segmentPath(dir: string, segment: number): string {
  return join(dir, `seg-${String(segment).padStart(16, '0')}.log`);
}

/** Sequence numbers of the segment files in `dir`, oldest first. */
export async function listSegments(dir: string): Promise<number[]> {
  const names = await readdir(dir);
  return names
    .map((name) => SEGMENT_RE.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

/**
 * A crash can leave the last record half-written. Cuts the file back to its last newline so the partial record is
 * never read; returns the new size and whether something was cut.
 */
export async function repairTornTail(file: FileHandle): Promise<{ size: number; torn: boolean }> {
  const { size } = await file.stat();
  if (size === 0) {
    return { size, torn: false };
  }
  const last = Buffer.alloc(1);
  await file.read(last, 0, 1, size - 1);
  if (last[0] === NEWLINE) {
    return { size, torn: false };
  }
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - SCAN_CHUNK);
    const chunk = Buffer.alloc(end - start);
    await file.read(chunk, 0, chunk.length, start);
    const nl = chunk.lastIndexOf(NEWLINE);
    if (nl >= 0) {
      const keep = start + nl + 1;
      await file.truncate(keep);
      await file.datasync();
      return { size: keep, torn: true };
    }
    end = start;
  }
  await file.truncate(0);
  await file.datasync();
  return { size: 0, torn: true };
}

/** Number of complete records (newlines) between `from` and `to` in a segment. */
export async function countRecords(file: FileHandle, from: number, to: number): Promise<number> {
  let count = 0;
  const chunk = Buffer.alloc(Math.min(SCAN_CHUNK, Math.max(1, to - from)));
  for (let pos = from; pos < to; ) {
    const { bytesRead } = await file.read(chunk, 0, Math.min(chunk.length, to - pos), pos);
    if (bytesRead === 0) {
      break;
    }
    for (let i = chunk.indexOf(NEWLINE, 0); i >= 0 && i < bytesRead; i = chunk.indexOf(NEWLINE, i + 1)) {
      count++;
    }
    pos += bytesRead;
  }
  return count;
}

/** Where earlier versions, which had a single consumer, kept its position. */
const LEGACY_ACK_FILE = 'ack.json';

const ackFile = (consumer: string) => `ack-${consumer}.json`;

/**
 * A consumer's acknowledged position is written with write-then-rename and without fsync: losing it in a power cut
 * only replays records the sink already delivered, and their deterministic ids make the replay overwrite.
 */
export async function writeAckPosition(dir: string, consumer: string, position: QueuePosition): Promise<void> {
  const file = join(dir, ackFile(consumer));
  await writeFile(`${file}.tmp`, JSON.stringify(position));
  await rename(`${file}.tmp`, file);
}

/**
 * A consumer's persisted position (falling back to the single-consumer file of earlier versions), or undefined
 * when absent or unreadable (then everything on disk is replayed to it).
 */
export async function readAckPosition(dir: string, consumer: string): Promise<QueuePosition | undefined> {
  return (await readPosition(join(dir, ackFile(consumer)))) ?? readPosition(join(dir, LEGACY_ACK_FILE));
}

async function readPosition(path: string): Promise<QueuePosition | undefined> {
  let file: FileHandle | undefined;
  try {
    file = await open(path, 'r');
    const parsed = JSON.parse(await file.readFile('utf8')) as Partial<QueuePosition>;
    return Number.isSafeInteger(parsed.segment) && Number.isSafeInteger(parsed.offset)
      ? { segment: parsed.segment!, offset: parsed.offset! }
      : undefined;
  } catch {
    return undefined;
  } finally {
    await file?.close();
  }
}
