import type { StreamedEvent } from '../../../src/core/events.js';
import { alarming, describeEvent } from '../feed.js';
import type { StreamState } from '../event-stream.js';

const stateText: Record<StreamState, string> = {
  connecting: 'connecting…',
  live: 'live',
  reconnecting: 'reconnecting…',
  'needs-key': 'needs the operator key',
};

/** Failovers, breaker changes, cooldowns and quota exhaustion as /v1/events streams them, newest first. */
export function EventFeed({ events, state }: { events: readonly StreamedEvent[]; state: StreamState }) {
  return (
    <section aria-labelledby="feed-title">
      <h2 id="feed-title">
        Live events{' '}
        <span class={`badge stream-${state}`} data-stream-state={state}>
          {stateText[state]}
        </span>
      </h2>
      {events.length === 0 ? (
        <p class="empty">No routing events yet: failovers, breaker changes and cooldowns appear here as they happen.</p>
      ) : (
        <ol class="feed" aria-live="polite">
          {events.map((event) => (
            <li
              key={`${event.instance}/${event.id}/${event.at}`}
              data-event={event.name}
              class={alarming.has(event.name) ? 'alarm' : undefined}
            >
              <time dateTime={event.at}>{new Date(event.at).toLocaleTimeString()}</time>
              <strong>{event.name}</strong>
              <span>{describeEvent(event)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
