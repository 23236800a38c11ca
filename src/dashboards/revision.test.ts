/**
 * Grafana re-imports an app's dashboard only when its `revision` differs from the imported copy's (and only when the
 * app is enabled or the plugin version changes; see docs/grafana.md). A change shipped under the same revision never
 * reaches existing installations. So every content of the dashboard gets its own revision, recorded here.
 */
import { createHash } from 'node:crypto';
import dashboard from './user-activity.json';

/**
 * Every revision shipped, oldest first, with the SHA-256 of the dashboard without its `revision` field (keys sorted).
 * After changing user-activity.json: increase its `revision` by one and append the pair the failing test prints.
 */
const REVISIONS: Array<{ revision: number; sha256: string }> = [
  { revision: 1, sha256: 'a0c19c1c6940d1215f3ca6963798c9d4324e5c11be736592d34a8548c9dea75e' },
  { revision: 2, sha256: 'd6cdfb4688a70360c7d3693cd06372782cba2b7ef6e5c08f8215d566be21769e' },
];

/** JSON with object keys sorted, so formatting and key order are not content. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonical).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

function contentHash(json: Record<string, unknown>): string {
  const { revision: _revision, ...content } = json;
  return createHash('sha256').update(canonical(content)).digest('hex');
}

describe('the user-activity dashboard revision', () => {
  test('the recorded revisions only go up, each with different content', () => {
    const revisions = REVISIONS.map((entry) => entry.revision);
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b).filter((r, i, all) => all.indexOf(r) === i));
    expect(new Set(REVISIONS.map((entry) => entry.sha256)).size).toBe(REVISIONS.length);
  });

  test('its content is the one recorded for its revision, which is the latest', () => {
    const latest = REVISIONS[REVISIONS.length - 1];
    const hash = contentHash(dashboard as Record<string, unknown>);
    if (hash !== latest.sha256) {
      const next = latest.revision + 1;
      throw new Error(
        `user-activity.json changed since revision ${latest.revision}: set its "revision" to ${next} and append ` +
          `{ revision: ${next}, sha256: '${hash}' } to REVISIONS`
      );
    }
    expect(dashboard.revision).toBe(latest.revision);
  });
});
