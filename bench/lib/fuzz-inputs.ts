/**
 * Fuzz inputs for the ingest decoders, shared by `npm run bench:fuzz` and tests/reliability/fuzz.test.ts.
 *
 * A case is a short list of datagrams/bodies for one target. Arbitraries are biased to the bytes the decoders branch on
 * (chunk magic `1e 0f`, zlib `78 xx`, gzip `1f 8b`, `{`, a UTF-8 BOM) and to valid messages — DreamFactory's own
 * payloads from the simulator, GELF objects with odd values, both chunk layouts — which are then mutated: truncated,
 * bit-flipped, counts rewritten, pieces duplicated, dropped, reordered or mixed between messages. Decompression bombs
 * (zeros deflated ≈1000:1, whole and chunked) are precomputed once, because building them per case would dominate.
 */
import fc from 'fast-check';
import { deflateSync, gzipSync } from 'node:zlib';
import { gelfDatagrams, gelfPayload } from '../../tests/dreamfactory-sim/log-formats';
import { generateEvents } from '../../tests/dreamfactory-sim/sender';
import { DF_HEADER_BYTES, STANDARD_HEADER_BYTES } from '../../proxy/src/gelf/chunk-header';

export type FuzzTarget = 'gelf_udp' | 'json';

export interface FuzzCase {
  target: FuzzTarget;
  /** Each one is one input: a datagram (gelf_udp) or a whole body (JSON udp/tcp/http sources). */
  inputs: Buffer[];
  sender: string;
  /** Simulated clock advance before the case, so chunk expiry (5 s) happens during a run. */
  advanceMs: number;
}

export interface FuzzCorpus {
  /** DreamFactory GELF payloads (JSON text) as df-logger builds them. */
  dfPayloads: string[];
  /** DreamFactory events big enough to be sent as 38-byte-header pieces (2+ datagrams each). */
  dfChunked: Buffer[][];
  /** Compressed payloads that inflate past `maxMessageBytes` (zlib and gzip). */
  bombs: Buffer[];
}

/** Builds the corpus once (async: the simulator mints JWTs); `maxMessageBytes` sizes the bombs at 2× the cap. */
export async function buildCorpus(maxMessageBytes: number): Promise<FuzzCorpus> {
  const users = [1, 2, 3].map((id) => ({
    id,
    email: `u${id}@example.com`,
    name: `User ${id}`,
    is_sys_admin: id === 1,
  }));
  const events = await generateEvents({
    count: 40,
    users,
    jwtSecret: 'fuzz-secret-fuzz-secret-fuzz-secret',
    seed: 11,
    sequence: true,
  });
  const dfPayloads = events.map((e) => gelfPayload(e));
  // Incompressible content pushes the zlib payload past one 8154-byte piece, so df-logger chunks it.
  const dfChunked = events.slice(0, 6).map((e, i) => {
    return gelfDatagrams({
      ...e,
      event: { ...e.event, response: { content: noise(9000 * (1 + (i % 3)) + 500 * i, i).toString('base64') } },
    });
  });
  const zeros = Buffer.alloc(maxMessageBytes * 2, 0x20);
  const bombs = [
    deflateSync(zeros, { level: 9 }),
    gzipSync(zeros, { level: 9 }),
    deflateSync(Buffer.concat([Buffer.from('{"a":"'), zeros])),
  ];
  return { dfPayloads, dfChunked: dfChunked.filter((d) => d.length > 1), bombs };
}

/** Seeded LCG bytes (top byte of each step): incompressible and the same on every run. */
function noise(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed + 1;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const PREFIXES: number[][] = [
  [],
  [0x1e, 0x0f],
  [0x78, 0x9c],
  [0x78, 0x01],
  [0x78, 0x5e],
  [0x78, 0xda],
  [0x78, 0x00],
  [0x1f, 0x8b],
  [0x7b],
  [0xef, 0xbb, 0xbf, 0x7b],
  [0x5b],
];

const randomBytes = fc
  .tuple(fc.constantFrom(...PREFIXES), fc.uint8Array({ maxLength: 400 }))
  .map(([prefix, rest]) => Buffer.concat([Buffer.from(prefix), Buffer.from(rest)]));

/** GELF objects with the values receivers have tripped on (§6: null short_message, `_@timestamp`, huge timestamps…). */
const gelfObject = fc.record(
  {
    version: fc.constantFrom('1.1', '1.0', 1.1),
    host: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
    short_message: fc.oneof(fc.string(), fc.constant(null)),
    full_message: fc.string(),
    timestamp: fc.oneof(fc.double(), fc.integer(), fc.string(), fc.constant(1e20), fc.constant(-1)),
    level: fc.oneof(fc.integer({ min: -3, max: 900 }), fc.constantFrom('WARN', 'INFO', '')),
    _event: fc.object({ maxDepth: 4 }),
    _platform: fc.oneof(fc.object({ maxDepth: 3 }), fc.string()),
    '_@timestamp': fc.oneof(fc.integer(), fc.string()),
    _id: fc.string(),
    _message: fc.string(),
    _level: fc.constantFrom('INFO', 'ERROR', 'bogus', 200),
  },
  { requiredKeys: [] }
);

/** A deeply nested object: the transform's depth limit and JSON.stringify's stack. */
const deepJson = fc
  .integer({ min: 50, max: 3000 })
  .map((depth) => `{"_event":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`);

function messageText(corpus: FuzzCorpus): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...corpus.dfPayloads) },
    { weight: 4, arbitrary: gelfObject.map((o) => JSON.stringify(o)) },
    { weight: 2, arbitrary: fc.json({ maxDepth: 4 }) },
    { weight: 1, arbitrary: deepJson }
  );
}

const encodings = ['none', 'zlib1', 'zlib6', 'zlib9', 'gzip'] as const;

function encode(text: string, encoding: (typeof encodings)[number]): Buffer {
  const raw = Buffer.from(text, 'utf8');
  switch (encoding) {
    case 'none':
      return raw;
    case 'gzip':
      return gzipSync(raw);
    default:
      return deflateSync(raw, { level: Number(encoding.slice(4)) });
  }
}

/** Splits a payload into standard 12-byte-header chunks (≤ 128, as a conforming sender does). */
function standardChunks(payload: Buffer, pieceBytes: number, id: Uint8Array): Buffer[] {
  const size = Math.max(pieceBytes, Math.ceil(payload.length / 128), 1);
  const count = Math.max(1, Math.ceil(payload.length / size));
  return Array.from({ length: count }, (_, seq) =>
    Buffer.concat([
      Buffer.from([0x1e, 0x0f]),
      id,
      Buffer.from([seq, count]),
      payload.subarray(seq * size, (seq + 1) * size),
    ])
  );
}

/** Gives DreamFactory pieces a fresh 32-byte id, as df-logger does per message. */
function withDfId(pieces: Buffer[], id: Uint8Array): Buffer[] {
  return pieces.map((p) => {
    const copy = Buffer.from(p);
    copy.set(id, 2);
    return copy;
  });
}

type Mutation = (list: Buffer[]) => Buffer[];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.nat()).map(
    ([i, len]) =>
      (l: Buffer[]) =>
        l.map((b, j) => (j === i % l.length ? b.subarray(0, len % (b.length + 1)) : b))
  ),
  fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 7 })).map(
    ([i, pos, bit]) =>
      (l: Buffer[]) =>
        l.map((b, j) => {
          if (j !== i % l.length || b.length === 0) {
            return b;
          }
          const copy = Buffer.from(b);
          copy[pos % copy.length] ^= 1 << bit;
          return copy;
        })
  ),
  // Wrong count, in the standard (byte 11) or DreamFactory (bytes 36–37) place.
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 300 }), fc.boolean()).map(
    ([i, count, df]) =>
      (l: Buffer[]) =>
        l.map((b, j) => {
          const at = df ? DF_HEADER_BYTES - 2 : STANDARD_HEADER_BYTES - 1;
          if (j !== i % l.length || b.length < at + 2) {
            return b;
          }
          const copy = Buffer.from(b);
          df ? copy.writeUInt16BE(count, at) : (copy[at] = count & 0xff);
          return copy;
        })
  ),
  fc.nat().map((i) => (l: Buffer[]) => [...l, l[i % l.length]]),
  fc.nat().map((i) => (l: Buffer[]) => (l.length > 1 ? l.filter((_, j) => j !== i % l.length) : l)),
  fc.constant((l: Buffer[]) => [...l].reverse()),
  randomBytes.map((junk) => (l: Buffer[]) => [...l, junk])
);

/** One case: a valid message (whole, chunked either way, or a bomb) or random bytes, then 0–3 mutations. */
export function fuzzCase(corpus: FuzzCorpus): fc.Arbitrary<FuzzCase> {
  const id8 = fc.uint8Array({ minLength: 8, maxLength: 8 });
  const id32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
  const encoded = fc.tuple(messageText(corpus), fc.constantFrom(...encodings)).map(([t, e]) => encode(t, e));
  const gelfInputs = fc.oneof(
    { weight: 3, arbitrary: encoded.map((b) => [b]) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(encoded, fc.integer({ min: 16, max: 1500 }), id8)
        .map(([b, size, id]) => standardChunks(b, size, id)),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom(...corpus.dfChunked), id32).map(([pieces, id]) => withDfId(pieces, id)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...corpus.bombs), fc.integer({ min: 500, max: 8000 }), id8, fc.boolean())
        .map(([b, size, id, chunk]) => (chunk ? standardChunks(b, size, id) : [b])),
    },
    { weight: 3, arbitrary: fc.array(randomBytes, { minLength: 1, maxLength: 4 }) }
  );
  const jsonInputs = fc.oneof(
    { weight: 4, arbitrary: encoded.map((b) => [b]) },
    { weight: 1, arbitrary: fc.constantFrom(...corpus.bombs).map((b) => [b]) },
    { weight: 3, arbitrary: randomBytes.map((b) => [b]) }
  );
  const mutated = (inputs: fc.Arbitrary<Buffer[]>) =>
    fc
      .tuple(inputs, fc.array(mutation, { maxLength: 3 }), fc.boolean())
      .map(([list, mutations, mutate]) => (mutate ? mutations.reduce((l, m) => m(l), list) : list));
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        target: fc.constant<FuzzTarget>('gelf_udp'),
        inputs: mutated(gelfInputs),
        sender: fc.constantFrom('127.0.0.1', '127.0.0.2', '::1'),
        advanceMs: fc.integer({ min: 0, max: 1500 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        target: fc.constant<FuzzTarget>('json'),
        inputs: mutated(jsonInputs),
        sender: fc.constant('127.0.0.1'),
        advanceMs: fc.constant(0),
      }),
    }
  );
}
