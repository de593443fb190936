import { EventEmitter } from 'node:events';
import type { Capability } from './capabilities.js';
import type { AttemptOutcome, VendorHealthStatus } from './outcomes.js';
import type { StreamChannel } from './stream.js';

/** Everything the router decides that an operator may want to see, with typed payloads. */
export interface RouterEvents {
  failover: { capability: Capability; from: string; to: string; reason: AttemptOutcome; requestId: string };
  breakerOpened: { provider: string };
  breakerHalfOpen: { provider: string };
  breakerClosed: { provider: string };
  providerHealthChanged: { provider: string; from: VendorHealthStatus; to: VendorHealthStatus; reasons: string[] };
  cooldownStarted: { provider: string; until: string; retryAfterMs: number };
  quotaExhausted: { provider: string; window: string };
  /** A vendor's spend reached 80 % (budgetWarning) or 100 % (budgetExhausted) of its daily or monthly cap. */
  budgetWarning: BudgetCrossing;
  budgetExhausted: BudgetCrossing;
  noHealthyProviders: { capability: Capability; requestId: string };
  /** A reload took effect: the key paths now in use, and those that wait for a restart (paths only, never values). */
  configReloaded: { trigger: ReloadTrigger; applied: string[]; needsRestart: string[] };
  /** A reload was refused and the running configuration stays: one line per problem, each naming its key path. */
  configRejected: { trigger: ReloadTrigger; problems: string[] };
  /**
   * A live channel's updates now come from another source (docs/streaming.md#failover): a vendor socket dropped, went
   * silent or was refused (`reason`), or the preferred vendor is back (`recovered`). `poller` is the REST poller.
   */
  streamFailover: { channel: StreamChannel; from: string; to: string; reason: StreamFailoverReason };
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

/** Why a live channel changed source. */
export type StreamFailoverReason = 'dropped' | 'silent' | 'refused' | 'recovered';

/** What asked for a configuration reload. */
export type ReloadTrigger = 'SIGHUP' | 'file' | 'api';
export interface BudgetCrossing {
  provider: string;
  period: 'day' | 'month';
  spent: number;
  limit: number;
}

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

/** What operators subscribe to: every routing decision, not the per-call traffic. */
export const streamedEvents = [
  'failover',
  'breakerOpened',
  'breakerHalfOpen',
  'breakerClosed',
  'providerHealthChanged',
  'quotaExhausted',
  'budgetWarning',
  'budgetExhausted',
  'cooldownStarted',
  'noHealthyProviders',
  'configReloaded',
  'configRejected',
  'streamFailover',
] as const satisfies readonly RouterEventName[];
export type StreamedEventName = (typeof streamedEvents)[number];

export interface StreamedEvent {
  /** Increasing per instance, for Last-Event-ID. */
  id: number;
  name: StreamedEventName;
  at: string;
  /** The gateway instance that saw it. */
  instance: string;
  payload: RouterEvents[StreamedEventName];
}

/** How events travel between instances (Redis pub/sub); absent: this instance's events only. */
export interface EventBus {
  publish(message: Omit<StreamedEvent, 'id'>): void;
  subscribe(onMessage: (message: Omit<StreamedEvent, 'id'>) => void): void;
  close(): Promise<void>;
}
