import { createServer, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';

/**
 * Connections the kernel may hold for us before we accept them (it caps this at net.core.somaxconn). Node's 511 is
 * too few for a burst: 1 000 clients connecting at once overflowed it here, and the ones refused waited a full second
 * for their SYN to be sent again.
 */
const acceptBacklog = 4_096;

/** Listens, turning the common start-up failure (the port is taken) into one line a person can act on. */
export async function listenOrExit(app: FastifyInstance, host: string, port: number): Promise<void> {
  try {
    await app.listen({ host, port, backlog: acceptBacklog });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      process.stderr.write(
        `market-data-gateway: cannot listen on ${host}:${port} (${code}); set PORT to another port\n`,
      );
      await app.close();
      process.exit(1);
    }
    throw error;
  }
}

/**
 * The operator surface's own listener (auth.adminPort): a second server handing every request to the same app, which
 * answers operator routes only on connections to this port (http/plugins/auth.ts). Keep it off public interfaces.
 */
export async function listenAdmin(app: FastifyInstance, host: string, port: number): Promise<Server> {
  const server = createServer((request, response) => app.routing(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
