import type { FastifyInstance } from 'fastify';

/** Listens, turning the common start-up failure (the port is taken) into one line a person can act on. */
export async function listenOrExit(app: FastifyInstance, host: string, port: number): Promise<void> {
  try {
    await app.listen({ host, port });
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
