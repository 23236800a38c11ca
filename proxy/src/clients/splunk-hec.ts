/**
 * The proxy's door to a Splunk HTTP Event Collector: POSTs batches of HEC events (gzip optional) with
 * `Authorization: Splunk <token>` and reads HEC's reply body. The token stays in this object: it is never logged and
 * never part of an error message.
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Config } from '../config';

export type SplunkConfig = Config['splunk'];
/** The Splunk config once a URL and token are set (config validation requires the token with the URL). */
export type EnabledSplunkConfig = SplunkConfig & { url: string; token: string };

/** The config narrowed to an enabled HEC destination, or undefined when Splunk is off (no URL). */
export function enabledSplunk(config: SplunkConfig): EnabledSplunkConfig | undefined {
  return config.url && config.token ? (config as EnabledSplunkConfig) : undefined;
}

/** A HEC reply body as Splunk documents it (`text`, `code`, `invalid-event-number`, `ackId`). */
export interface HecReply {
  text?: string;
  code?: number;
  'invalid-event-number'?: number;
  ackId?: number;
}

export interface HecResponse {
  status: number;
  /** Undefined when the body was not HEC's JSON (a proxy's HTML error page, say). */
  reply?: HecReply;
}

const EVENT_PATH = '/services/collector/event';
const ACK_PATH = '/services/collector/ack';

/** The collector's event endpoint: a bare `https://host:8088` gets `/services/collector/event`; a path is kept. */
export function hecEventUrl(base: string): URL {
  const url = new URL(base);
  if (url.pathname === '' || url.pathname === '/') {
    url.pathname = EVENT_PATH;
  }
  return url;
}

export class SplunkHecClient {
  readonly eventUrl: URL;
  /** One channel per proxy run: tokens with indexer acknowledgement require one, the others ignore it. */
  readonly channel = randomUUID();
  private readonly agent: HttpAgent | HttpsAgent;

  constructor(private readonly config: EnabledSplunkConfig) {
    this.eventUrl = hecEventUrl(config.url);
    this.agent =
      this.eventUrl.protocol === 'https:'
        ? new HttpsAgent({ keepAlive: true, rejectUnauthorized: config.tlsVerify, ca: config.caFile ? readFileSync(config.caFile) : undefined })
        : new HttpAgent({ keepAlive: true });
  }

  /** The URL for messages: no credentials, no query. */
  get displayUrl(): string {
    return `${this.eventUrl.origin}${this.eventUrl.pathname}`;
  }

  /** Sends a body of newline-separated HEC events. Rejects only when no HTTP answer came (unreachable, timeout, abort). */
  sendEvents(body: Buffer, gzipped: boolean, signal?: AbortSignal): Promise<HecResponse> {
    const headers: Record<string, string> = {
      authorization: `Splunk ${this.config.token}`,
      'content-type': 'application/json',
      'x-splunk-request-channel': this.channel,
    };
    if (gzipped) {
      headers['content-encoding'] = 'gzip';
    }
    return this.request('POST', this.eventUrl, headers, body, signal);
  }

  /**
   * Indexer acknowledgement: which of these ackIds (from earlier answers on this channel) Splunk has indexed.
   * `POST /services/collector/ack {"acks":[…]}` → `{"acks":{"<id>":true|false}}`.
   */
  async acknowledged(ackIds: number[], signal?: AbortSignal): Promise<{ status: number; acks?: Record<string, boolean>; reply?: HecReply }> {
    const headers = { authorization: `Splunk ${this.config.token}`, 'content-type': 'application/json', 'x-splunk-request-channel': this.channel };
    const { status, reply } = await this.request('POST', new URL(ACK_PATH, this.eventUrl), headers, Buffer.from(JSON.stringify({ acks: ackIds })), signal);
    const acks = (reply as { acks?: unknown } | undefined)?.acks;
    return { status, reply, acks: acks && typeof acks === 'object' ? (acks as Record<string, boolean>) : undefined };
  }

  close(): void {
    this.agent.destroy();
  }

  private request(method: string, url: URL, headers: Record<string, string>, body: Buffer | undefined, signal?: AbortSignal): Promise<HecResponse> {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(url, { method, headers: body ? { ...headers, 'content-length': String(body.length) } : headers, agent: this.agent, signal, timeout: this.config.requestTimeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          let reply: HecReply | undefined;
          try {
            const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
            reply = parsed && typeof parsed === 'object' ? (parsed as HecReply) : undefined;
          } catch {
            reply = undefined;
          }
          resolve({ status: res.statusCode ?? 0, reply });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`Splunk HEC at ${this.displayUrl} did not answer within ${this.config.requestTimeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}
