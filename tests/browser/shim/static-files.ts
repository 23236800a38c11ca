/** Serves files under a root directory (the built plugin, the host bundle), refusing paths that leave it. */
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { FastifyReply } from 'fastify';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.css': 'text/css; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.woff2': 'font/woff2',
};

export async function sendFile(reply: FastifyReply, root: string, relativePath: string): Promise<FastifyReply> {
  const file = resolve(root, relativePath);
  if (!file.startsWith(resolve(root) + sep)) {
    return reply.code(404).send({ message: 'Not found' });
  }
  try {
    const body = await readFile(file);
    return reply.header('content-type', CONTENT_TYPES[extname(file)] ?? 'application/octet-stream').send(body);
  } catch {
    return reply.code(404).send({ message: `Not found: ${relativePath}` });
  }
}
