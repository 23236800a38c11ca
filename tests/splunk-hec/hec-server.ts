/**
 * A Splunk HTTP Event Collector for tests, written from Splunk's published HEC protocol (no Splunk server or HEC
 * implementation can run here). It is a test oracle: it shares no code with the proxy's Splunk sink.
 *
 * What it reproduces:
 * - `POST /services/collector`, `/services/collector/event` and `/services/collector/event/1.0`: a body of one or more
 *   JSON event objects one after another (not an array), optionally gzip-encoded (`Content-Encoding: gzip`).
 * - Token auth: `Authorization: Splunk <token>`. No header → 401 code 2; a header not of that form → 401 code 3;
 *   unknown token → 403 code 4; disabled token → 403 code 1.
 * - Event validation, in order, stopping at the first bad event: not JSON → 400 code 6 "Invalid data format"; no
 *   `event` → 400 code 12; `event` null or "" → 400 code 13; `index` not allowed for the token → 400 code 7. Each
 *   carries `invalid-event-number` (0-based). Events BEFORE the bad one are kept (Splunk hands each event to its
 *   pipeline as it parses the batch); the bad one and all after it are not.
 * - Empty body → 400 code 5 "No data".
 * - Busy (test-controlled) → 503 code 9 "Server is busy", nothing kept.
 * - Indexer acknowledgement for tokens that have it: every data request needs a channel (`X-Splunk-Request-Channel`
 *   header or `?channel=` query; missing → 400 code 10, not a GUID → 400 code 11) and its answer carries an `ackId`
 *   counting from 0 per channel. `POST /services/collector/ack` with `{"acks":[ids]}` answers
 *   `{"acks":{"<id>":true|false}}` (true once the events of that request are indexed). For a token without
 *   acknowledgement it answers 400 code 14 "ACK is disabled".
 * - `GET /services/collector/health` → 200 code 17 "HEC is healthy", or 503 code 18 while busy. No auth.
 *
 * Not reproduced: `/services/collector/raw`, query-string or basic-auth tokens, indexed-field validation (code 15),
 * token-level default sourcetype, Splunk's own timestamp extraction.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface HecToken {
  /** Default index for events that name none. */
  defaultIndex?: string;
  /** Indexes events may name; undefined = any. */
  allowedIndexes?: string[];
  disabled?: boolean;
  /** Indexer acknowledgement on: requests need a channel and get an ackId. */
  ack?: boolean;
}

export interface StoredEvent {
  token: string;
  index: string;
  event: unknown;
  time?: number;
  host?: string;
  source?: string;
  sourcetype?: string;
  fields?: Record<string, unknown>;
  channel?: string;
  /** Which endpoint received it (`/services/collector` or `/services/collector/event`). */
  path: string;
}

export interface HecReply {
  text: string;
  code: number;
  'invalid-event-number'?: number;
  ackId?: number;
}

export interface HecServerOptions {
  tokens: Record<string, HecToken>;
  /** Fixed port, so a restarted server is found at the same URL. Default: an ephemeral port. */
  port?: number;
  /** Acknowledged ids turn true this long after their request was answered (0: at once). */
  ackDelayMs?: number;
}

const DATA_PATHS = new Set(['/services/collector', '/services/collector/event', '/services/collector/event/1.0']);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const REPLY = {
  success: { status: 200, text: 'Success', code: 0 },
  tokenDisabled: { status: 403, text: 'Token disabled', code: 1 },
  tokenRequired: { status: 401, text: 'Token is required', code: 2 },
  invalidAuthorization: { status: 401, text: 'Invalid authorization', code: 3 },
  invalidToken: { status: 403, text: 'Invalid token', code: 4 },
  noData: { status: 400, text: 'No data', code: 5 },
  invalidFormat: { status: 400, text: 'Invalid data format', code: 6 },
  incorrectIndex: { status: 400, text: 'Incorrect index', code: 7 },
  busy: { status: 503, text: 'Server is busy', code: 9 },
  channelMissing: { status: 400, text: 'Data channel is missing', code: 10 },
  invalidChannel: { status: 400, text: 'Invalid data channel', code: 11 },
  eventRequired: { status: 400, text: 'Event field is required', code: 12 },
  eventBlank: { status: 400, text: 'Event field cannot be blank', code: 13 },
  ackDisabled: { status: 400, text: 'ACK is disabled', code: 14 },
  healthy: { status: 200, text: 'HEC is healthy', code: 17 },
  unhealthy: { status: 503, text: 'HEC is unhealthy, queues are full', code: 18 },
} as const;

type ReplyName = keyof typeof REPLY;

/** Splits a HEC body into its JSON objects (whitespace between them), or reports the index of the first bad one. */
function splitEvents(body: string): { events: unknown[]; badAt?: number } {
  const events: unknown[] = [];
  let i = 0;
  while (i < body.length) {
    while (i < body.length && /\s/.test(body[i])) {
      i++;
    }
    if (i >= body.length) {
      break;
    }
    const end = endOfObject(body, i);
    if (end < 0) {
      return { events, badAt: events.length };
    }
    try {
      events.push(JSON.parse(body.slice(i, end)));
    } catch {
      return { events, badAt: events.length };
    }
    i = end;
  }
  return { events };
}

/** Index just past the JSON object starting at `start`, or -1 when it is not a complete object. */
function endOfObject(text: string, start: number): number {
  if (text[start] !== '{') {
    return -1;
  }
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') {
        i++;
      } else if (c === '"') {
        inString = false;
      }
    } else if (c === '"') {
      inString = true;
    } else if (c === '{' || c === '[') {
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) {
        return i + 1;
      }
    }
  }
  return -1;
}

export class HecServer {
  /** Every event kept, in arrival order. */
  readonly events: StoredEvent[] = [];
  /** Every data request answered, with its reply (for tests that count retries). */
  readonly requests: Array<{ path: string; status: number; reply: HecReply; gzip: boolean; events: number }> = [];
  private server?: Server;
  private port: number;
  private busyRequests = 0;
  private busyForever = false;
  private readonly channels = new Map<string, { nextAckId: number; indexedAt: Map<number, number> }>();

  constructor(private readonly options: HecServerOptions) {
    this.port = options.port ?? 0;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Closes the port and every open connection (an outage, as the sender sees it). Events kept stay kept. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** Answer the next `requests` data requests with 503 "Server is busy"; `Infinity` until `busy(0)`. */
  busy(requests: number): void {
    this.busyForever = requests === Infinity;
    this.busyRequests = this.busyForever ? 0 : requests;
  }

  eventsIn(index: string): StoredEvent[] {
    return this.events.filter((e) => e.index === index);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://hec');
    const path = url.pathname.replace(/\/+$/, '');
    const raw = await readBody(req);
    if (req.method === 'GET' && path === '/services/collector/health') {
      this.reply(res, this.busyForever || this.busyRequests > 0 ? 'unhealthy' : 'healthy');
      return;
    }
    if (req.method !== 'POST' || (!DATA_PATHS.has(path) && path !== '/services/collector/ack')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ text: 'The requested URL was not found on this server.', code: 404 }));
      return;
    }
    const auth = this.authenticate(req.headers.authorization);
    if ('reply' in auth) {
      this.reply(res, auth.reply);
      return;
    }
    const token = this.options.tokens[auth.token];
    if (path === '/services/collector/ack') {
      this.answerAcks(res, token, req, url, raw);
      return;
    }

    let channel: string | undefined;
    if (token.ack) {
      const found = requestChannel(req, url);
      if ('problem' in found) {
        this.reply(res, found.problem);
        return;
      }
      channel = found.channel;
    }
    if (this.busyForever || this.busyRequests > 0) {
      this.busyRequests = Math.max(0, this.busyRequests - 1);
      this.record(path, res, 'busy', req, 0);
      return;
    }

    const gzip = /gzip/i.test(String(req.headers['content-encoding'] ?? ''));
    let body: string;
    try {
      body = (gzip ? gunzipSync(raw) : raw).toString('utf8');
    } catch {
      this.record(path, res, 'invalidFormat', req, 0, { 'invalid-event-number': 0 });
      return;
    }
    if (body.trim() === '') {
      this.record(path, res, 'noData', req, 0);
      return;
    }
    const { events, badAt } = splitEvents(body);
    const kept: StoredEvent[] = [];
    let failure: { name: ReplyName; at: number } | undefined = badAt === undefined ? undefined : { name: 'invalidFormat', at: badAt };
    for (let i = 0; i < events.length && !(failure && i >= failure.at); i++) {
      const e = events[i] as Record<string, unknown>;
      const index = typeof e.index === 'string' ? e.index : (token.defaultIndex ?? 'main');
      const problem: ReplyName | undefined =
        e === null || typeof e !== 'object' || Array.isArray(e)
          ? 'invalidFormat'
          : !('event' in e)
            ? 'eventRequired'
            : e.event === null || e.event === ''
              ? 'eventBlank'
              : token.allowedIndexes && !token.allowedIndexes.includes(index)
                ? 'incorrectIndex'
                : undefined;
      if (problem) {
        failure = { name: problem, at: i };
        break;
      }
      kept.push({
        token: auth.token,
        index,
        event: e.event,
        time: typeof e.time === 'number' ? e.time : typeof e.time === 'string' ? Number(e.time) : undefined,
        host: e.host as string | undefined,
        source: e.source as string | undefined,
        sourcetype: e.sourcetype as string | undefined,
        fields: e.fields as Record<string, unknown> | undefined,
        channel,
        path,
      });
    }
    this.events.push(...kept);
    if (failure) {
      this.record(path, res, failure.name, req, kept.length, { 'invalid-event-number': failure.at });
      return;
    }
    const extra: Partial<HecReply> = {};
    if (channel) {
      extra.ackId = this.issueAck(channel);
    }
    this.record(path, res, 'success', req, kept.length, extra);
  }

  private authenticate(header: string | undefined): { token: string } | { reply: ReplyName } {
    if (!header) {
      return { reply: 'tokenRequired' };
    }
    const match = /^Splunk\s+(\S+)$/.exec(header.trim());
    if (!match) {
      return { reply: 'invalidAuthorization' };
    }
    const token = this.options.tokens[match[1]];
    if (!token) {
      return { reply: 'invalidToken' };
    }
    return token.disabled ? { reply: 'tokenDisabled' } : { token: match[1] };
  }

  private issueAck(channel: string): number {
    let state = this.channels.get(channel);
    if (!state) {
      state = { nextAckId: 0, indexedAt: new Map() };
      this.channels.set(channel, state);
    }
    const id = state.nextAckId++;
    state.indexedAt.set(id, Date.now() + (this.options.ackDelayMs ?? 0));
    return id;
  }

  private answerAcks(res: ServerResponse, token: HecToken, req: IncomingMessage, url: URL, raw: Buffer): void {
    if (!token.ack) {
      this.reply(res, 'ackDisabled');
      return;
    }
    const found = requestChannel(req, url);
    if ('problem' in found) {
      this.reply(res, found.problem);
      return;
    }
    const channel = found.channel;
    let ids: unknown;
    try {
      ids = (JSON.parse(raw.toString('utf8')) as { acks?: unknown }).acks;
    } catch {
      ids = undefined;
    }
    if (!Array.isArray(ids) || !ids.every((id) => Number.isInteger(id))) {
      this.reply(res, 'invalidFormat');
      return;
    }
    const state = this.channels.get(channel);
    const now = Date.now();
    const acks = Object.fromEntries(ids.map((id: number) => [String(id), (state?.indexedAt.get(id) ?? Infinity) <= now]));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ acks }));
  }

  private record(path: string, res: ServerResponse, name: ReplyName, req: IncomingMessage, events: number, extra: Partial<HecReply> = {}): void {
    const reply = this.reply(res, name, extra);
    this.requests.push({ path, status: REPLY[name].status, reply, gzip: /gzip/i.test(String(req.headers['content-encoding'] ?? '')), events });
  }

  private reply(res: ServerResponse, name: ReplyName, extra: Partial<HecReply> = {}): HecReply {
    const { status, text, code } = REPLY[name];
    const body: HecReply = { text, code, ...extra };
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
    return body;
  }
}

/** The request's channel (header, else `?channel=`), or which reply its absence or shape earns. */
function requestChannel(req: IncomingMessage, url: URL): { channel: string } | { problem: ReplyName } {
  const channel = (req.headers['x-splunk-request-channel'] as string | undefined) ?? url.searchParams.get('channel') ?? undefined;
  if (!channel) {
    return { problem: 'channelMissing' };
  }
  return GUID.test(channel) ? { channel } : { problem: 'invalidChannel' };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
