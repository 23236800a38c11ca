/** Plain-text rendering of `proxy setup --scan-secrets` for the terminal. Pure. */
import type { IndexScan, SecretScan } from './index-scan';

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** Exit status: 0 when no secret is left in the indices (none found, or all rewritten), 1 otherwise. */
export function secretsRemain(scan: SecretScan): boolean {
  return scan.indices.some((i) => i.failed > 0 || i.withSecrets > (scan.applied ? i.rewritten : 0));
}

export function formatSecretScan(scan: SecretScan): string {
  const lines = [`DreamFactory Insights: secrets scan${scan.applied ? ' (--apply: documents holding secrets rewritten)' : ' (dry run: nothing was changed)'}`];
  if (scan.indices.length === 0) {
    lines.push('  No index to scan.');
  }
  for (const index of scan.indices) {
    lines.push(`  ${mark(index, scan.applied)} ${index.index}: ${summary(index, scan.applied)}`);
    const fields = Object.entries(index.fields).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    if (fields.length > 0) {
      lines.push(`      ${fields.map(([field, count]) => `${field} (${count.toLocaleString('en-US')})`).join(', ')}`);
    }
    for (const error of index.errors) {
      lines.push(`      ✖ ${error}`);
    }
  }
  const found = scan.indices.reduce((n, i) => n + i.withSecrets, 0);
  const holding = scan.indices.filter((i) => i.withSecrets > 0).length;
  lines.push('');
  if (found === 0) {
    lines.push(secretsRemain(scan) ? 'Some indices could not be read: see above.' : 'No document holds a secret.');
  } else if (!scan.applied) {
    lines.push(`${plural(found, 'document')} in ${plural(holding, 'index', 'indices')} hold secrets. Run again with --apply to rewrite them.`);
  } else {
    const rewritten = scan.indices.reduce((n, i) => n + i.rewritten, 0);
    lines.push(
      secretsRemain(scan)
        ? `${plural(rewritten, 'document')} of ${found.toLocaleString('en-US')} rewritten; the rest changed meanwhile or failed: run again.`
        : `All ${plural(found, 'document')} holding secrets rewritten.`
    );
  }
  return `${lines.join('\n')}\n`;
}

function mark(index: IndexScan, applied: boolean): string {
  if (index.failed > 0) {
    return '✖';
  }
  if (index.withSecrets === 0) {
    return '✔';
  }
  return applied ? '✎' : '!';
}

function summary(index: IndexScan, applied: boolean): string {
  const scanned = plural(index.scanned, 'document');
  if (index.withSecrets === 0) {
    return `${scanned} scanned, none holds a secret`;
  }
  const found = `${scanned} scanned, ${index.withSecrets.toLocaleString('en-US')} ${index.withSecrets === 1 ? 'holds' : 'hold'} secrets`;
  if (!applied) {
    return found;
  }
  const conflicts = index.conflicts > 0 ? `, ${index.conflicts.toLocaleString('en-US')} changed meanwhile` : '';
  return `${found}, ${index.rewritten.toLocaleString('en-US')} rewritten${conflicts}`;
}
