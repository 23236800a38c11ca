/**
 * Finds existing indices whose mapping of our fields differs from the template's: they were created before the
 * template (by Logstash's dynamic mapping, say) and will reject or mis-index some of our documents. Pure.
 */

export interface FieldConflict {
  field: string;
  expected: string;
  actual: string;
}

export interface IndexConflict {
  index: string;
  fields: FieldConflict[];
}

interface MappingNode {
  type?: string;
  enabled?: boolean | string;
  properties?: Record<string, MappingNode>;
}

/** `path → type`, where objects are `object`, objects with `enabled: false` are `object (not indexed)`. */
function fieldTypes(properties: Record<string, MappingNode> | undefined, prefix = '', out: Map<string, { type: string; children: number }> = new Map()) {
  for (const [name, node] of Object.entries(properties ?? {})) {
    const path = `${prefix}${name}`;
    const isObject = !node.type || node.type === 'object';
    const disabled = isObject && String(node.enabled) === 'false';
    const type = disabled ? 'object (not indexed)' : isObject ? 'object' : node.type!;
    out.set(path, { type, children: Object.keys(node.properties ?? {}).length });
    if (isObject && !disabled) {
      fieldTypes(node.properties, `${path}.`, out);
    }
  }
  return out;
}

function describe(actual: { type: string; children: number }): string {
  return actual.type === 'object' ? `object with ${actual.children} sub-field${actual.children === 1 ? '' : 's'}` : actual.type;
}

/** Conflicts per index, in index-name order; indices without conflicts are left out. */
export function findMappingConflicts(
  desired: { properties?: Record<string, unknown> },
  indices: Record<string, { properties?: Record<string, unknown> } | undefined>
): IndexConflict[] {
  const expected = fieldTypes(desired.properties as Record<string, MappingNode>);
  const conflicts: IndexConflict[] = [];
  for (const index of Object.keys(indices).sort()) {
    const actual = fieldTypes(indices[index]?.properties as Record<string, MappingNode> | undefined);
    const fields: FieldConflict[] = [];
    for (const [field, want] of expected) {
      const have = actual.get(field);
      // Below a conflicting parent the parent already says it all.
      if (have && have.type !== want.type && !fields.some((f) => field.startsWith(`${f.field}.`))) {
        fields.push({ field, expected: want.type, actual: describe(have) });
      }
    }
    if (fields.length > 0) {
      conflicts.push({ index, fields });
    }
  }
  return conflicts;
}
