import type { IncomingHttpHeaders } from 'node:http';

/** A request as a simulator's route, key check or feed sees it. */
export interface SimulatorRequest {
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  headers: IncomingHttpHeaders;
  nowMs: number;
}

/** A simulator's HTTP answer, also how a feed refuses an upgrade. */
export interface SimulatorReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
