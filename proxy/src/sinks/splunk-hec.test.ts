/**
 * What the Splunk HEC sink reports for /api/status, against scripted HEC replies (the shapes Splunk documents; the
 * full protocol is exercised against tests/splunk-hec in tests/integration/faults-splunk.test.ts).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { HecResponse } from '../clients/splunk-hec';
import { Config, loadConfig } from '../config';
import { createLogger } from '../logger';
import { DiskQueue } from '../queue/disk-queue';
import { waitFor } from '../testing/wait';
import { encodeEvent } from './bulk-record';
import { createSplunkMetrics, SplunkHecSink } from './splunk-hec';

const CONSUMER = 'splunk';
const TOKEN = 'hec-token-never-shown';
const HEC_URL = 'http://127.0.0.1:8088/services/collector/event';
const record = (n: number) =>
  encodeEvent({ id: `ev-${n}`, timestamp: '2026-11-23T10:00:00.000Z', json: JSON.stringify({ '@timestamp': '2026-11-23T10:00:00.000Z', message: `m${n}` }) }, 'logstash-dreamfactory-', new Date());
const success: HecResponse = { status: 200, reply: { text: 'Success', code: 0 } };

describe('SplunkHecSink status', () => {
  let dir: string;
  let config: Config;
  let queue: DiskQueue;
  let sink: SplunkHecSink;

  /** While set, HEC is unreachable. */
  let unreachable: boolean;

  /** Starts the sink against HEC replies in order; Success once they run out. */
  const start = (replies: HecResponse[] = []) => {
    const client = {
      displayUrl: HEC_URL,
      async sendEvents() {
        const next = unreachable ? new Error('connect ECONNREFUSED 127.0.0.1:8088') : (replies.shift() ?? success);
        if (next instanceof Error) {
          throw next;
        }
        return next;
      },
      acknowledged: () => Promise.reject(new Error('not used without SPLUNK_ACK')),
    };
    sink = new SplunkHecSink({
      config: config.splunk,
      client,
      consumer: queue.consumer(CONSUMER),
      metrics: createSplunkMetrics(new Registry()),
      logger: createLogger('silent'),
    });
    sink.start();
  };

  beforeEach(async () => {
    unreachable = false;
    dir = await mkdtemp(join(tmpdir(), 'dfi-splunk-sink-'));
    config = loadConfig(
      {},
      {
        queue: { dir },
        splunk: { url: 'http://127.0.0.1:8088', token: TOKEN, flushIntervalMs: 10, batchMaxEvents: 3, retryInitialMs: 5, retryMaxMs: 20, gzip: false, deadLetterFile: join(dir, 'splunk-dead-letter.jsonl') },
      }
    );
    queue = await DiskQueue.open({ dir: join(dir, 'queue'), maxBytes: 1 << 20, consumers: [CONSUMER] });
  });
  afterEach(async () => {
    await sink.stop();
    await queue.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows the events still queued and the retries while HEC is unreachable, then every event delivered', async () => {
    unreachable = true;
    start();
    await queue.append([1, 2, 3].map(record));
    await waitFor(() => sink.status().retries >= 2, 'retries');
    const during = sink.status();
    expect(during).toMatchObject({ url: HEC_URL, delivered: 0, pending: 3, deadLettered: 0 });
    expect(during.lastError).toContain(`Splunk HEC at ${HEC_URL} unreachable: connect ECONNREFUSED`);
    expect(during.lastDeliveredAt).toBeUndefined();

    unreachable = false;
    await waitFor(() => sink.status().delivered === 3, 'delivery');
    const after = sink.status();
    expect(after).toMatchObject({ delivered: 3, pending: 0, deadLettered: 0, unreadable: 0 });
    expect(after.retries).toBeGreaterThanOrEqual(during.retries);
    expect(Date.parse(after.lastDeliveredAt!)).toBeGreaterThanOrEqual(Date.parse(after.lastErrorAt!));
    expect(JSON.stringify(after)).not.toContain(TOKEN);
  });

  it("counts an event HEC refused as dead-lettered, names the file and keeps HEC's reason as the last error", async () => {
    start([{ status: 400, reply: { text: 'Invalid data format', code: 6, 'invalid-event-number': 1 } }]);
    await queue.append([1, 2, 3].map(record));
    await waitFor(() => sink.status().pending === 0, 'the batch acknowledged');
    const status = sink.status();
    expect(status).toMatchObject({ delivered: 2, deadLettered: 1, deadLetterFile: config.splunk.deadLetterFile, retries: 0 });
    expect(status.lastError).toMatch(/^Splunk refused 1 event\(s\): .*Invalid data format/);
    expect(await readFile(config.splunk.deadLetterFile, 'utf8')).toContain('"event_id":"ev-2"');
  });
});
