import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { followEvents, type StreamState } from '../../../dashboard/src/event-stream.js';

/**
 * A 401 problem whose body arrives only when `complete`; aborting the request errors it, as a browser's fetch does.
 * `onRead` is told when the page starts reading the body.
 */
function unauthorized(
  init: RequestInit | undefined,
  complete: boolean,
  onRead: () => void = () => undefined,
): Response {
  const body = new ReadableStream<Uint8Array>({
    pull: onRead,
    start(controller) {
      if (complete) {
        controller.enqueue(
          new TextEncoder().encode(JSON.stringify({ title: 'Unauthorized', detail: 'the API key is not valid' })),
        );
        controller.close();
        return;
      }
      init?.signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
    },
  });
  return new Response(body, { status: 401, headers: { 'content-type': 'application/problem+json' } });
}

describe('followEvents', () => {
  const states: [StreamState, string | undefined][] = [];
  beforeEach(() => {
    states.length = 0;
    const storage = new Map<string, string>();
    vi.stubGlobal('sessionStorage', {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => storage.set(key, value),
      removeItem: (key: string) => storage.delete(key),
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  const follow = () =>
    followEvents({ onEvent: () => undefined, onState: (state, detail) => states.push([state, detail]) });

  it('asks for a key with the refusal the gateway gave', async () => {
    vi.stubGlobal('fetch', (_url: string, init?: RequestInit) => Promise.resolve(unauthorized(init, true)));
    const stop = follow();
    await vi.waitFor(() => expect(states.at(-1)).toEqual(['needs-key', 'the API key is not valid']));
    stop();
  });

  it('reports nothing once stopped, though a refusal it was reading is cut short', async () => {
    let reading!: () => void;
    const readStarted = new Promise<void>((resolve) => (reading = resolve));
    vi.stubGlobal('fetch', (_url: string, init?: RequestInit) => Promise.resolve(unauthorized(init, false, reading)));
    const stop = follow();
    await readStarted;
    stop();
    // The cut-short read rejects through promises only: one turn of the event loop settles them all.
    await new Promise((resolve) => setImmediate(resolve));
    expect(states).toEqual([['connecting', undefined]]);
  });
});
