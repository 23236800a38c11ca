/**
 * A bound UDP socket with a large receive buffer. The kernel silently caps SO_RCVBUF at net.core.rmem_max, and a
 * small buffer is the main cause of silent UDP loss under bursts, so the effective size is logged (and warned about
 * when capped).
 */
import { createSocket, RemoteInfo, Socket } from 'node:dgram';
import type { Logger } from '../logger';
import type { Source, SourceName } from '../pipeline-types';

export interface UdpListenerOptions {
  name: SourceName;
  host: string;
  port: number;
  recvBufferBytes: number;
}

export async function startUdpListener(
  options: UdpListenerOptions,
  logger: Logger,
  onDatagram: (datagram: Buffer, remote: RemoteInfo) => void,
  onClose: () => void = () => undefined
): Promise<Source> {
  const socket: Socket = createSocket({ type: options.host.includes(':') ? 'udp6' : 'udp4' });
  socket.on('message', (datagram, remote) => {
    try {
      onDatagram(datagram, remote);
    } catch (err) {
      // Decoding never throws by design; this guard keeps the listener alive if a bug says otherwise.
      logger.error({ source: options.name, err }, 'datagram handling failed');
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port, options.host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  socket.on('error', (err) => logger.error({ source: options.name, err }, 'UDP socket error'));
  applyReceiveBuffer(socket, options, logger);

  const bound = socket.address();
  logger.info({ source: options.name, host: bound.address, port: bound.port }, 'listening (udp)');
  return {
    name: options.name,
    address: () => ({ host: bound.address, port: bound.port }),
    close: () =>
      new Promise<void>((resolve) => {
        onClose();
        socket.close(() => resolve());
      }),
  };
}

function applyReceiveBuffer(socket: Socket, options: UdpListenerOptions, logger: Logger): void {
  try {
    socket.setRecvBufferSize(options.recvBufferBytes);
  } catch (err) {
    logger.warn({ source: options.name, requested: options.recvBufferBytes, err: (err as Error).message }, 'cannot set UDP receive buffer');
  }
  // Linux reports double the size asked for (it adds room for bookkeeping), so halve it to compare.
  const effective = socket.getRecvBufferSize() / (process.platform === 'linux' ? 2 : 1);
  if (effective < options.recvBufferBytes) {
    logger.warn(
      { source: options.name, requested: options.recvBufferBytes, effective },
      'UDP receive buffer capped by the kernel; raise net.core.rmem_max to avoid losing bursts'
    );
  } else {
    logger.info({ source: options.name, effective }, 'UDP receive buffer');
  }
}
