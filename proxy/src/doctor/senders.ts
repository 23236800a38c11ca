/**
 * Minimal senders for the doctor's test messages, one per source, in the bytes DreamFactory (or a GELF client)
 * would send: zlib GELF datagrams, NUL-framed GELF over TCP, GELF HTTP, and DreamFactory's plain-JSON udp/tcp/http.
 * Loopback only; every send is bounded by a timeout.
 */
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { deflateSync } from 'node:zlib';
import type { SourceName } from '../pipeline-types';
import { PROBE_MESSAGE_KEY } from './probe-tracker';

const SEND_TIMEOUT_MS = 5000;
const LOOPBACK = '127.0.0.1';

export interface DoctorMessage {
  /** Travels as `_insights_probe`: how the pipeline recognises the probe, and what keeps it out of activity queries. */
  probeId: string;
  text: string;
  /** Seconds since the epoch. */
  timestamp: number;
}

function gelfBody(message: DoctorMessage): string {
  return JSON.stringify({
    version: '1.1',
    host: 'insights-doctor',
    short_message: null,
    full_message: message.text,
    timestamp: message.timestamp,
    level: 6,
    [PROBE_MESSAGE_KEY]: message.probeId,
  });
}

/** DreamFactory's JSON modes: `_message` and a Monolog `_level` (200 = INFO). */
function jsonBody(message: DoctorMessage): string {
  return JSON.stringify({ _message: message.text, _level: 200, [PROBE_MESSAGE_KEY]: message.probeId });
}

function sendDatagram(port: number, bytes: Buffer): Promise<void> {
  const socket = createSocket('udp4');
  return new Promise<void>((resolve, reject) => socket.send(bytes, port, LOOPBACK, (err) => (err ? reject(err) : resolve()))).finally(() => socket.close());
}

function sendTcp(port: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: LOOPBACK, port }, () => socket.end(bytes));
    socket.setTimeout(SEND_TIMEOUT_MS, () => socket.destroy(new Error(`no answer within ${SEND_TIMEOUT_MS} ms`)));
    socket.on('error', reject);
    socket.on('close', (hadError) => (hadError ? undefined : resolve()));
    socket.resume();
  });
}

async function sendHttp(port: number, path: string, body: string): Promise<void> {
  const response = await fetch(`http://${LOOPBACK}:${port}${path}`, { method: 'POST', body, signal: AbortSignal.timeout(SEND_TIMEOUT_MS) });
  await response.text();
  if (!response.ok) {
    throw new Error(`HTTP ${response.status} from the listener`);
  }
}

export function sendDoctorMessage(source: SourceName, port: number, message: DoctorMessage): Promise<void> {
  switch (source) {
    case 'gelf_udp':
      return sendDatagram(port, deflateSync(gelfBody(message)));
    case 'gelf_tcp':
      return sendTcp(port, Buffer.from(`${gelfBody(message)}\0`));
    case 'gelf_http':
      return sendHttp(port, '/gelf', gelfBody(message));
    case 'json_udp':
      return sendDatagram(port, Buffer.from(jsonBody(message)));
    case 'json_tcp':
      return sendTcp(port, Buffer.from(jsonBody(message)));
    case 'json_http':
      return sendHttp(port, '/', jsonBody(message));
  }
}
