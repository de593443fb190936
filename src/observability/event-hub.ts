import { randomUUID } from 'node:crypto';
import type { RouterEventEmitter, RouterEventName, RouterEvents } from '../core/events.js';

/** What operators subscribe to: every routing decision, not the per-call traffic. */
export const streamedEvents = [
  'failover',
  'breakerOpened',
  'breakerHalfOpen',
  'breakerClosed',
  'providerHealthChanged',
  'quotaExhausted',
  'cooldownStarted',
  'noHealthyProviders',
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

type Listener = (event: StreamedEvent) => void;

/**
 * Fans the router's events out to /v1/events subscribers and webhooks, with ids and a bounded replay buffer (a client
 * reconnecting with Last-Event-ID gets what it missed, as far back as the buffer goes). With a bus, events from
 * every instance reach every subscriber; an instance ignores its own messages coming back.
 */
export class EventHub {
  readonly instance = randomUUID();
  private readonly buffer: StreamedEvent[] = [];
  private readonly listeners = new Set<Listener>();
  private nextId = 1;

  constructor(
    events: RouterEventEmitter,
    private readonly bus: EventBus | null = null,
    private readonly bufferSize = 500,
  ) {
    for (const name of streamedEvents) {
      events.on(name, (payload) => {
        const message = { name, payload, at: new Date().toISOString(), instance: this.instance };
        this.deliver(message);
        this.bus?.publish(message);
      });
    }
    this.bus?.subscribe((message) => {
      if (message.instance !== this.instance) this.deliver(message);
    });
  }

  /** Calls `listener` for every new event; first replays buffered events newer than `lastEventId`. */
  subscribe(listener: Listener, lastEventId?: number): () => void {
    if (lastEventId !== undefined) for (const event of this.buffer) if (event.id > lastEventId) listener(event);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.bus?.close();
  }

  private deliver(message: Omit<StreamedEvent, 'id'>): void {
    const event: StreamedEvent = { id: this.nextId++, ...message };
    this.buffer.push(event);
    if (this.buffer.length > this.bufferSize) this.buffer.shift();
    for (const listener of this.listeners) listener(event);
  }
}
