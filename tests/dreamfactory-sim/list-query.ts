/**
 * DreamFactory's list parameters for its system tables, over in-memory records: `filter` (the common SQL-like forms),
 * `fields`, `ids`, `order` (`sort`, `order_by`), `group`, `limit` (capped at the configured maximum), `offset`
 * (`skip`), `include_count`, `count_only`, `include_schema`, `as_list` with `id_field`, and `wrap`.
 */
import { DfError, batchError, notFound } from './errors';
import { filterBool, intval } from './php';

export type Row = Record<string, unknown>;
export type Query = Record<string, string | undefined>;

/** `DB_MAX_RECORDS_RETURNED` as DreamFactory ships it; an instance without the key uses 1000. */
export const DEFAULT_MAX_RECORDS = 100000;

/** A column as `include_schema` describes it. */
export interface Column {
  name: string;
  type: 'id' | 'string' | 'integer' | 'boolean' | 'timestamp' | 'datetime' | 'reference' | 'text';
  allowNull: boolean;
}

/** One of DreamFactory's system tables: its name (as the schema reports it) and columns, in order. */
export interface Table {
  name: string;
  label: string;
  plural: string;
  nameField: string | null;
  columns: readonly Column[];
}

type Predicate = (row: Row) => boolean;

const TOKEN = /\s*(\(|\)|,|>=|<=|!=|<>|=|>|<|'(?:[^']|'')*'|"(?:[^"]|"")*"|[A-Za-z_][\w.]*|-?\d+(?:\.\d+)?|%)/y;

function tokenize(filter: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < filter.length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(filter);
    if (!match) {
      if (filter.slice(start).trim() === '') {
        break;
      }
      throw unparsable(filter.slice(start).trim());
    }
    tokens.push(match[1]);
  }
  return tokens;
}

const unparsable = (what: string) => new DfError(400, `Invalid or unparsable field in filter request: '${what}'`);

function literal(token: string | undefined): unknown {
  if (token === undefined) {
    throw unparsable('');
  }
  if (/^'.*'$|^".*"$/s.test(token)) {
    const quote = token[0];
    return token
      .slice(1, -1)
      .split(quote + quote)
      .join(quote);
  }
  const lower = token.toLowerCase();
  if (lower === 'true' || lower === 'false') {
    return lower === 'true';
  }
  if (lower === 'null') {
    return null;
  }
  if (/^-?\d+(\.\d+)?$/.test(token)) {
    return Number(token);
  }
  throw unparsable(token);
}

/** SQL-ish equality: booleans compare with 1/0 and 'true', numbers with numeric strings, text case-insensitively. */
function same(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null) {
    return (a ?? null) === b;
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    const bool = (v: unknown) => v === true || v === 1 || v === '1' || v === 'true';
    return bool(a) === bool(b);
  }
  return String(a).toLowerCase() === String(b).toLowerCase();
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') {
    return a - b;
  }
  return String(a ?? '').localeCompare(String(b ?? ''));
}

function likePattern(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${escaped}$`, 'is');
}

class FilterParser {
  private pos = 0;
  constructor(
    private readonly tokens: string[],
    private readonly fields: ReadonlySet<string>
  ) {}

  parse(): Predicate {
    const predicate = this.or();
    if (this.pos < this.tokens.length) {
      throw unparsable(this.tokens[this.pos]);
    }
    return predicate;
  }

  private peek(): string | undefined {
    return this.tokens[this.pos]?.toLowerCase();
  }

  private next(): string | undefined {
    return this.tokens[this.pos++];
  }

  private or(): Predicate {
    const parts = [this.and()];
    while (this.peek() === 'or') {
      this.pos++;
      parts.push(this.and());
    }
    return parts.length === 1 ? parts[0] : (row) => parts.some((p) => p(row));
  }

  private and(): Predicate {
    const parts = [this.unary()];
    while (this.peek() === 'and') {
      this.pos++;
      parts.push(this.unary());
    }
    return parts.length === 1 ? parts[0] : (row) => parts.every((p) => p(row));
  }

  private unary(): Predicate {
    if (this.peek() === 'not') {
      this.pos++;
      const inner = this.unary();
      return (row) => !inner(row);
    }
    if (this.peek() === '(') {
      this.pos++;
      const inner = this.or();
      if (this.next() !== ')') {
        throw unparsable(this.tokens.join(' '));
      }
      return inner;
    }
    return this.condition();
  }

  private condition(): Predicate {
    const field = this.next() ?? '';
    if (!this.fields.has(field)) {
      throw unparsable(field);
    }
    const op = this.next()?.toLowerCase();
    const value = (row: Row) => row[field];
    switch (op) {
      case '=':
      case '!=':
      case '<>': {
        const expected = literal(this.next());
        return op === '=' ? (row) => same(value(row), expected) : (row) => !same(value(row), expected);
      }
      case '>':
      case '<':
      case '>=':
      case '<=': {
        const expected = literal(this.next());
        const test = {
          '>': (c: number) => c > 0,
          '<': (c: number) => c < 0,
          '>=': (c: number) => c >= 0,
          '<=': (c: number) => c <= 0,
        }[op];
        return (row) => value(row) !== null && value(row) !== undefined && test(compare(value(row), expected));
      }
      case 'like': {
        const pattern = likePattern(String(literal(this.next())));
        return (row) => value(row) !== null && value(row) !== undefined && pattern.test(String(value(row)));
      }
      case 'in':
        return this.inList(value);
      case 'is': {
        const negate = this.peek() === 'not' && Boolean(this.next());
        if (this.next()?.toLowerCase() !== 'null') {
          throw unparsable(field);
        }
        return (row) => (value(row) === null || value(row) === undefined) !== negate;
      }
      default:
        throw unparsable(field);
    }
  }

  private inList(value: (row: Row) => unknown): Predicate {
    if (this.next() !== '(') {
      throw unparsable(this.tokens.join(' '));
    }
    const options: unknown[] = [];
    for (;;) {
      options.push(literal(this.next()));
      const sep = this.next();
      if (sep === ')') {
        break;
      }
      if (sep !== ',') {
        throw unparsable(this.tokens.join(' '));
      }
    }
    return (row) => options.some((o) => same(value(row), o));
  }
}

/** A predicate for DreamFactory's `filter` over rows with these fields; unknown fields → DreamFactory's 400. */
export function parseFilter(filter: string | undefined, fields: ReadonlySet<string>): Predicate {
  if (!filter || filter.trim() === '') {
    return () => true;
  }
  return new FilterParser(tokenize(filter), fields).parse();
}

const unknownColumn = (field: string, clause: string) =>
  // The database refuses it; DreamFactory passes the driver's message on as a 500 (MySQL's wording here).
  new DfError(500, `SQLSTATE[42S22]: Column not found: 1054 Unknown column '${field}' in '${clause}'`);

function orderRows(rows: Row[], order: string | undefined, fields: ReadonlySet<string>): Row[] {
  const keys = (order ?? 'id asc').split(',').map((part) => {
    const [field, dir = 'asc'] = part.trim().split(/\s+/);
    if (!fields.has(field)) {
      throw unknownColumn(field, 'order clause');
    }
    return { field, sign: dir.toLowerCase() === 'desc' ? -1 : 1 };
  });
  return [...rows].sort((a, b) => {
    for (const { field, sign } of keys) {
      const c = compare(a[field], b[field]);
      if (c !== 0) {
        return c * sign;
      }
    }
    return 0;
  });
}

/** `group=a,b`: one row per distinct combination, the first in order (what MySQL without ONLY_FULL_GROUP_BY picks). */
function groupRows(rows: Row[], group: string | undefined, fields: ReadonlySet<string>): Row[] {
  const columns = (group ?? '')
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
  if (columns.length === 0) {
    return rows;
  }
  for (const column of columns) {
    if (!fields.has(column)) {
      throw unknownColumn(column, 'group statement');
    }
  }
  const seen = new Set<string>();
  return rows.filter((row) => {
    const key = JSON.stringify(columns.map((c) => row[c] ?? null));
    return !seen.has(key) && Boolean(seen.add(key));
  });
}

export function selectFields(row: Row, fields: string | undefined): Row {
  if (!fields || fields.trim() === '*' || fields.trim() === '') {
    return row;
  }
  const wanted = fields.split(',').map((f) => f.trim());
  return Object.fromEntries(wanted.filter((f) => f in row).map((f) => [f, row[f]]));
}

const idList = (ids: string) => ids.split(',').map((id) => id.trim());
// PHP's loose `==`: "3" matches 3.
const hasIdIn = (ids: string[]) => (row: Row) => ids.includes(String(row.id));

/**
 * Rows for `?ids=1,2` (in table order, like any select). A missing id fails the batch (code 1000); without
 * `continue=true` the context stops at the first missing one.
 */
export function rowsByIds(
  rows: Row[],
  ids: string,
  query: Query = {},
  present: (row: Row) => unknown = (row) => row
): Row[] {
  const wanted = idList(ids);
  const found = rows.filter(hasIdIn(wanted));
  if (found.length === wanted.length) {
    return found;
  }
  const outcomes: unknown[] = [];
  for (const id of wanted) {
    const row = found.find((r) => String(r.id) === id);
    outcomes.push(row ? present(row) : notFound(id));
    if (!row && !filterBool(query.continue)) {
      break;
    }
  }
  throw batchError('Batch Error: Not all requested records could be retrieved.', outcomes);
}

/** DreamFactory's TableSchema::toArray for a system table (columns reduced to name, label, type and nullability). */
function schemaOf(table: Table): Row {
  const label = (name: string) =>
    name
      .split('_')
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(' ');
  return {
    alias: null,
    name: table.name,
    is_view: false,
    label: table.label,
    plural: table.plural,
    description: null,
    primary_key: ['id'],
    name_field: table.nameField,
    field: table.columns.map((c) => ({
      name: c.name,
      label: label(c.name),
      type: c.type,
      allow_null: c.allowNull,
      is_primary_key: c.name === 'id',
    })),
    related: [],
  };
}

/** How a list answer is shaped once its records are known: `as_list`/`id_field`, then `wrap` and `meta`. */
export interface Shaping {
  query: Query;
  /** The `wrap` request header, which counts like the parameter. */
  wrapHeader?: string;
  meta?: Row;
}

/**
 * ResourcesWrapper::cleanResources + wrapResources. `wrap` (parameter or header), when sent, decides alone: even a
 * `meta` does not re-wrap a `wrap=false` answer, which then comes out as an object keyed "0", "1", …, "meta" — PHP
 * adding `meta` to a list.
 */
export function shapeList(records: unknown[], shaping: Shaping): unknown {
  const { query, meta } = shaping;
  let resources: unknown[] = records;
  if (filterBool(query.as_list) && records.length > 0 && typeof records[0] === 'object') {
    const idFields = (query.id_field ?? 'id')
      .replace(/^,+|,+$/g, '')
      .split(',')
      .map((f) => f.trim());
    const rows = records as Row[];
    resources =
      idFields.length === 1
        ? rows.filter((row) => idFields[0] in row).map((row) => row[idFields[0]])
        : rows.map((row) => `(${idFields.map((f) => String(row[f] ?? '')).join(',')})`);
  }
  const hasMeta = meta !== undefined && Object.keys(meta).length > 0;
  const onDemand = query.wrap !== undefined || shaping.wrapHeader !== undefined;
  const wrap = onDemand ? filterBool(query.wrap) || filterBool(shaping.wrapHeader) : true;
  if (wrap) {
    return hasMeta ? { resource: resources, meta } : { resource: resources };
  }
  return hasMeta ? { ...Object.fromEntries(resources.map((r, i) => [String(i), r])), meta } : resources;
}

export interface ListOptions {
  /** DreamFactory's max_records_returned: the largest page it answers. */
  maxRecords: number;
  wrapHeader?: string;
  /** Adds `related` records to a row (the row as selected, and the full record it came from). */
  decorate?: (row: Row, source: Row) => Row;
}

/** A GET on a system table: `{resource}` (+ `meta`), a bare list, or a bare count. */
export function listResponse(rows: Row[], query: Query, table: Table, options: ListOptions): unknown {
  const fields = new Set(table.columns.map((c) => c.name));
  const filter = parseFilter(query.filter, fields);
  const decorate = options.decorate ?? ((row: Row) => row);
  // A page size below 1 or above the maximum is the maximum.
  const requested = intval(query.limit);
  const limit = requested < 1 || requested > options.maxRecords ? options.maxRecords : requested;
  const offset = Math.max(0, intval(query.offset ?? query.skip));
  const matching = rows.filter(filter);
  // A cap of 0 leaves the query without a LIMIT: every record.
  const end = limit > 0 ? offset + limit : undefined;
  const page = (selected: Row[]) =>
    groupRows(orderRows(selected, query.order ?? query.sort ?? query.order_by, fields), query.group, fields).slice(
      offset,
      end
    );
  const meta: Row = {};
  let selected: Row[];
  if (query.ids) {
    const present = (row: Row) => selectFields(row, query.fields);
    selected = rowsByIds(page(matching.filter(hasIdIn(idList(query.ids)))), query.ids, query, present);
  } else {
    selected = page(matching);
    if (filterBool(query.include_count)) {
      meta.count = matching.length;
    }
    if (filterBool(query.count_only)) {
      return matching.length;
    }
  }
  if (filterBool(query.include_schema)) {
    meta.schema = schemaOf(table);
  }
  const records = selected.map((row) => decorate(selectFields(row, query.fields), row));
  return shapeList(records, { query, wrapHeader: options.wrapHeader, meta });
}
