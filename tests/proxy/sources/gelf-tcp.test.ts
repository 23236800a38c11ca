import { connect } from 'node:net';
import gelfPro from 'gelf-pro';
import { sendTcpBytes } from '../../dreamfactory-sim/sender';
import type { Source } from '../../../proxy/src/pipeline-types';
import { startGelfTcpSource } from '../../../proxy/src/sources/gelf-tcp';
import { createSourceHarness, SourceHarness, waitFor } from '../../../proxy/src/sources/test-harness';

const HOST = '127.0.0.1';
const MAX_FRAME = 64 * 1024;

/** Writes, then resolves with how the connection ended: closed normally or reset by the listener. */
function sendAndWatch(port: number, bytes: Buffer): Promise<'closed' | 'reset'> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port }, () => socket.write(bytes, () => socket.end()));
    socket.on('error', () => resolve('reset'));
    socket.on('close', (hadError) => resolve(hadError ? 'reset' : 'closed'));
    socket.resume();
  });
}

describe('GELF TCP source', () => {
  let h: SourceHarness;
  let source: Source;
  let port: number;

  beforeEach(async () => {
    h = createSourceHarness();
    source = await startGelfTcpSource({ host: HOST, port: 0, maxFrameBytes: MAX_FRAME, maxMessageBytes: 8 * 1024 * 1024 }, h.deps);
    port = source.address().port;
  });
  afterEach(() => source.close());

  it('decodes NUL-terminated frames from gelf-pro', async () => {
    const log = Object.create(gelfPro) as typeof gelfPro;
    log.setConfig({ adapterName: 'tcp', adapterOptions: { host: HOST, port } });
    for (const text of ['first', 'second']) {
      await new Promise((resolve, reject) => log.message(text, 4, { n: 1 }, (err?: Error) => (err ? reject(err) : resolve(undefined))));
    }
    await h.waitForMessages(2);
    expect(h.messages.map((m) => [m.source, m.body.short_message, m.body.level])).toEqual([
      ['gelf_tcp', 'first', 4],
      ['gelf_tcp', 'second', 4],
    ]);
  });

  it('splits many frames in one write and one frame across writes, and ignores blank frames', async () => {
    await new Promise<void>((resolve, reject) => {
      const socket = connect({ host: HOST, port }, () => {
        socket.write('{"short_message":"a"}\0\n\0{"short_mes', () => setTimeout(() => socket.end('sage":"b"}\0{"short_mess'), 20));
      });
      socket.on('error', reject);
      socket.on('close', () => resolve());
    });
    // The unterminated tail is decoded when the sender closes: counted as bad JSON, not silently lost.
    await waitFor(async () => (await h.count('dropped', { source: 'gelf_tcp', reason: 'bad_json' })) === 1, 'the cut frame to be counted');
    expect(h.messages.map((m) => m.body.short_message)).toEqual(['a', 'b']);
  });

  it('drops a bad frame and keeps reading the same connection', async () => {
    await sendTcpBytes(HOST, port, Buffer.from('{"short_message":\0[1]\0{"short_message":"after"}\0'));
    await h.waitForMessages(1);
    expect(h.messages[0].body.short_message).toBe('after');
    expect(await h.count('dropped', { source: 'gelf_tcp', reason: 'bad_json' })).toBe(1);
    expect(await h.count('dropped', { source: 'gelf_tcp', reason: 'not_object' })).toBe(1);
  });

  it('resets a connection whose frame outgrows the cap, counts it, and leaves other connections alone', async () => {
    const oversize = Buffer.alloc(MAX_FRAME * 3, 0x41);
    const [ending] = await Promise.all([sendAndWatch(port, oversize), sendTcpBytes(HOST, port, Buffer.from('{"short_message":"neighbour"}\0'))]);
    expect(ending).toBe('reset');
    await h.waitForMessages(1);
    expect(h.messages[0].body.short_message).toBe('neighbour');
    expect(await h.count('dropped', { source: 'gelf_tcp', reason: 'too_big' })).toBe(1);
    await sendTcpBytes(HOST, port, Buffer.from('{"short_message":"later"}\0'));
    await h.waitForMessages(2);
  });
});
