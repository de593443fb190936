import { EventEmitter } from 'node:events';
import type { Capability } from './index.js';
import type { AttemptOutcome } from './outcomes.js';
import type { VendorHealthStatus } from '../routing/health.js';

/** Everything the router decides that an operator may want to see, with typed payloads. */
export interface RouterEvents {
  failover: { capability: Capability; from: string; to: string; reason: AttemptOutcome; requestId: string };
  breakerOpened: { provider: string };
  breakerHalfOpen: { provider: string };
  breakerClosed: { provider: string };
  providerHealthChanged: { provider: string; from: VendorHealthStatus; to: VendorHealthStatus; reasons: string[] };
  cooldownStarted: { provider: string; until: string; retryAfterMs: number };
  quotaExhausted: { provider: string; window: string };
  noHealthyProviders: { capability: Capability; requestId: string };
  /** Every finished vendor call, for the metrics store and /metrics; neither logged nor streamed. */
  callFinished: {
    provider: string;
    capability: Capability;
    outcome: AttemptOutcome;
    ms: number;
    /** Time spent waiting for a quota slot, part of `ms`. */
    queuedMs: number;
    failed: boolean;
  };
}
export type RouterEventName = keyof RouterEvents;

export class RouterEventEmitter {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  emit<E extends RouterEventName>(event: E, payload: RouterEvents[E]): void {
    this.emitter.emit(event, payload);
  }

  on<E extends RouterEventName>(event: E, listener: (payload: RouterEvents[E]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }
}
