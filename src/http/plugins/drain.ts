import type { FastifyInstance } from 'fastify';

/**
 * The first step of a graceful shutdown (docs/operations.md#graceful-shutdown): once `begin` is called, /ready answers
 * 503 and every answer closes its connection (Connection: close), so a load balancer stops choosing this instance and
 * holds no kept-alive connection to it by the time the listener closes. Requests are still served meanwhile.
 */
export class Drain {
  private startedAt: number | undefined;

  begin(): void {
    this.startedAt ??= Date.now();
  }

  get draining(): boolean {
    return this.startedAt !== undefined;
  }
}

export function registerDrain(app: FastifyInstance, drain: Drain): void {
  app.addHook('onRequest', (_request, reply, done) => {
    if (drain.draining) reply.header('connection', 'close');
    done();
  });
}
