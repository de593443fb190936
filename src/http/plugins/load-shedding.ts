import { getHeapStatistics } from 'node:v8';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import type { GatewayConfig } from '../../config/schema.js';
import { GatewayError } from '../../core/errors.js';

/** Probes and scrapes keep answering while requests are shed: liveness, readiness (it reports the overload), metrics. */
const exemptRoutes: ReadonlySet<string> = new Set(['/health', '/ready', '/metrics']);

/** The share of node's heap limit past which load is shed when `maxHeapUsedBytes` is not set. */
const defaultHeapShare = 0.9;

/** Whether the process sheds load now, and why: for /ready. */
export interface LoadState {
  /** Why requests are being shed, or undefined while they are not. */
  overloaded(): string | undefined;
}

/**
 * Load shedding (@fastify/under-pressure): every `sampleIntervalMs` the mean event-loop delay and the heap in use are
 * sampled; while either is past its limit, requests get 503 problem+json `GW_OVERLOADED` with `Retry-After` at once,
 * in an onRequest hook, instead of queueing behind work the process cannot finish in time. /health, /ready and
 * /metrics are exempt: an orchestrator must not restart an instance for being busy, /ready says it is overloaded (503,
 * so a load balancer sends its traffic elsewhere), and the metrics show why.
 */
export async function registerLoadShedding(
  app: FastifyInstance,
  settings: GatewayConfig['server']['underPressure'],
): Promise<LoadState> {
  const maxEventLoopDelay = settings.maxEventLoopDelayMs;
  const maxHeapUsedBytes =
    settings.maxHeapUsedBytes ?? Math.floor(getHeapStatistics().heap_size_limit * defaultHeapShare);
  const { retryAfterSeconds } = settings;
  await app.register(underPressure, {
    maxEventLoopDelay,
    maxHeapUsedBytes,
    sampleInterval: settings.sampleIntervalMs,
    retryAfter: retryAfterSeconds,
    // Called only while under pressure. A rejection ends the onRequest hooks in the error handler: problem+json,
    // with Retry-After; resolving lets the request through.
    pressureHandler: async (request) => {
      if (exemptRoutes.has(request.routeOptions.url ?? '')) return;
      throw new GatewayError('GW_OVERLOADED', `the gateway is overloaded; retry in ${retryAfterSeconds} s`, {
        retryAfterSeconds,
      });
    },
  });
  return {
    overloaded: () => {
      const { eventLoopDelay, heapUsed } = app.memoryUsage();
      if (maxEventLoopDelay > 0 && eventLoopDelay > maxEventLoopDelay) {
        // Node 24 can report Infinity for a sample the loop was blocked through: there is no number to tell then.
        const delay = Number.isFinite(eventLoopDelay) ? `${Math.round(eventLoopDelay)} ms` : 'unmeasured';
        return `event-loop delay ${delay} over ${maxEventLoopDelay} ms`;
      }
      if (maxHeapUsedBytes > 0 && heapUsed > maxHeapUsedBytes) {
        return `heap in use ${mebibytes(heapUsed)} over ${mebibytes(maxHeapUsedBytes)}`;
      }
      return undefined;
    },
  };
}

function mebibytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(0)} MiB`;
}
