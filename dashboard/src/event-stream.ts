import { createParser } from 'eventsource-parser';
import type { StreamedEvent } from '../../src/core/events.js';
import { authHeaders, operatorKey, ProblemError, problemOf } from './api.js';

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'needs-key';

export interface EventStreamHandlers {
  onEvent(event: StreamedEvent): void;
  onState(state: StreamState, detail?: string): void;
}

/** The stream's heartbeat is 15 s by default (events.heartbeatMs); three missed ones mean the connection is dead. */
const silenceLimitMs = 45_000;
const maxBackoffMs = 15_000;

/**
 * Follows /v1/events with fetch rather than EventSource, which cannot send the operator key. After a cut it
 * reconnects with Last-Event-ID, backing off with jitter, and the gateway replays what was missed. Returns a stop
 * function.
 */
export function followEvents(handlers: EventStreamHandlers): () => void {
  const stopped = new AbortController();
  let lastEventId: string | undefined;

  async function readOnce(): Promise<void> {
    const connection = new AbortController();
    const abortConnection = () => connection.abort();
    stopped.signal.addEventListener('abort', abortConnection);
    let watchdog = setTimeout(abortConnection, silenceLimitMs);
    try {
      const sentKey = operatorKey.get();
      const headers = authHeaders(lastEventId ? { 'last-event-id': lastEventId } : {});
      const response = await fetch('/v1/events', { headers, signal: connection.signal, cache: 'no-store' });
      if (!response.ok || !response.body) throw await problemOf(response, sentKey);
      handlers.onState('live');
      const parser = createParser({
        onEvent(message) {
          if (message.id) lastEventId = message.id;
          handlers.onEvent({ ...(JSON.parse(message.data) as Omit<StreamedEvent, 'id'>), id: Number(message.id) });
        },
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        clearTimeout(watchdog);
        watchdog = setTimeout(abortConnection, silenceLimitMs);
        parser.feed(value);
      }
    } finally {
      clearTimeout(watchdog);
      stopped.signal.removeEventListener('abort', abortConnection);
    }
  }

  void (async () => {
    for (let failures = 0; !stopped.signal.aborted; failures++) {
      handlers.onState(failures === 0 ? 'connecting' : 'reconnecting');
      try {
        await readOnce();
        failures = 0;
      } catch (error) {
        // Stopped (the page now asks for a key, or left): an answer cut short by the stop says nothing, and reporting
        // it would put an empty reason over the one the page shows.
        if (stopped.signal.aborted) return;
        if (error instanceof ProblemError && error.needsKey) {
          handlers.onState('needs-key', error.detail);
          return;
        }
      }
      if (stopped.signal.aborted) return;
      handlers.onState('reconnecting');
      const backoff = Math.min(maxBackoffMs, 500 * 2 ** Math.min(failures, 5));
      await new Promise((resolve) => setTimeout(resolve, backoff / 2 + Math.random() * (backoff / 2)));
    }
  })();
  return () => stopped.abort();
}
