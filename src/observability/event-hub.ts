import { randomUUID } from 'node:crypto';
import { streamedEvents, type EventBus, type RouterEventEmitter, type StreamedEvent } from '../core/events.js';

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
