/**
 * DreamFactory's list parameters (contract §3.2) over in-memory records: `filter` (the common SQL-like forms),
 * `fields`, `ids`, `order`/`sort`/`order_by`, `limit`, `offset`/`skip`, `include_count`, `count_only`.
 */
import { DfError, notFound } from './errors';

export type Row = Record<string, unknown>;
export type Query = Record<string, string | undefined>;

/** database.max_records_returned's default. */
export const MAX_RECORDS_RETURNED = 100000;

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

function orderRows(rows: Row[], order: string | undefined, fields: ReadonlySet<string>): Row[] {
  const keys = (order ?? 'id asc').split(',').map((part) => {
    const [field, dir = 'asc'] = part.trim().split(/\s+/);
    if (!fields.has(field)) {
      throw new DfError(400, `Invalid or unparsable field in order request: '${field}'`);
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

export function selectFields(row: Row, fields: string | undefined): Row {
  if (!fields || fields.trim() === '*' || fields.trim() === '') {
    return row;
  }
  const wanted = fields.split(',').map((f) => f.trim());
  return Object.fromEntries(wanted.filter((f) => f in row).map((f) => [f, row[f]]));
}

const truthy = (value: string | undefined) =>
  value !== undefined && ['true', '1', 'yes', ''].includes(value.toLowerCase());

/** Rows for `?ids=1,2`; a missing id fails the batch like DreamFactory (code 1000, per-record context). */
export function rowsByIds(rows: Row[], ids: string): Row[] {
  const wanted = ids.split(',').map((id) => id.trim());
  const found = wanted.map((id) => rows.find((row) => String(row.id) === id));
  const missing = found.map((row, i) => (row ? -1 : i)).filter((i) => i >= 0);
  if (missing.length > 0) {
    const resource = found.map((row, i) => row ?? notFound(wanted[i]).toEnvelope().error);
    throw new DfError(400, 'Batch Error: Not all requested records could be retrieved.', 1000, {
      error: missing,
      resource,
    });
  }
  return found as Row[];
}

/** A list answer: `{resource}` (+ `meta.count` with include_count), or a bare integer with count_only. */
export function listResponse(
  rows: Row[],
  query: Query,
  fields: ReadonlySet<string>,
  decorate: (row: Row, source: Row) => Row = (row) => row
): unknown {
  const matching = query.ids ? rowsByIds(rows, query.ids) : rows.filter(parseFilter(query.filter, fields));
  if (truthy(query.count_only)) {
    return matching.length;
  }
  const ordered = query.ids ? matching : orderRows(matching, query.order ?? query.sort ?? query.order_by, fields);
  const requested = Number(query.limit);
  const limit =
    Number.isInteger(requested) && requested >= 1 && requested <= MAX_RECORDS_RETURNED
      ? requested
      : MAX_RECORDS_RETURNED;
  const offset = Math.max(0, Number(query.offset ?? query.skip) || 0);
  const resource = ordered.slice(offset, offset + limit).map((row) => decorate(selectFields(row, query.fields), row));
  return truthy(query.include_count) ? { resource, meta: { count: matching.length } } : { resource };
}
