import { createServer, Socket } from 'node:net';
import type { Logger } from '../logger';
import type { Source, SourceName } from '../pipeline-types';
import { boundAddress } from './bound-address';

export interface TcpListenerOptions {
  name: SourceName;
  host: string;
  port: number;
}

/** A TCP server whose close() also ends open connections, so shutdown never waits on an idle sender. */
export async function startTcpListener(options: TcpListenerOptions, logger: Logger, onConnection: (socket: Socket) => void): Promise<Source> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // Resets and other socket errors concern one sender only.
    socket.on('error', (err) => logger.debug({ source: options.name, err: err.message }, 'TCP connection error'));
    try {
      onConnection(socket);
    } catch (err) {
      logger.error({ source: options.name, err }, 'TCP connection handling failed');
      socket.destroy();
    }
  });
  server.on('error', (err) => logger.error({ source: options.name, err }, 'TCP server error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = boundAddress(server.address(), options);
  logger.info({ source: options.name, ...address }, 'listening (tcp)');
  return {
    name: options.name,
    address: () => address,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) {
          socket.destroy();
        }
      }),
  };
}
