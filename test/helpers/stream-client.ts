import WebSocket from 'ws';

export interface StreamMessage {
  op: string;
  [field: string]: unknown;
}

export interface StreamTestClient {
  socket: WebSocket;
  messages: StreamMessage[];
  /** Resolves with the first message (already received or coming) that matches. */
  next(matches: (message: StreamMessage) => boolean, timeoutMs?: number): Promise<StreamMessage>;
  send(message: object): void;
  closed: Promise<{ code: number; reason: string }>;
}

/** A /v1/stream client over a real socket; rejects when the upgrade is refused (with the HTTP status). */
export function openStreamClient(
  url: string,
  options: { headers?: Record<string, string>; protocols?: string[] } = {},
): Promise<StreamTestClient> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options.protocols ?? [], { headers: options.headers ?? {} });
    const messages: StreamMessage[] = [];
    const waiters = new Set<{ matches: (message: StreamMessage) => boolean; resolve: (m: StreamMessage) => void }>();
    const closed = new Promise<{ code: number; reason: string }>((done) =>
      socket.on('close', (code, reason) => done({ code, reason: reason.toString() })),
    );
    socket.on('unexpected-response', (_request, response) => {
      reject(Object.assign(new Error(`upgrade refused: ${response.statusCode}`), { status: response.statusCode }));
      response.resume();
      socket.terminate();
    });
    socket.on('error', (error) => reject(error));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as StreamMessage;
      messages.push(message);
      for (const waiter of waiters) {
        if (waiter.matches(message)) {
          waiters.delete(waiter);
          waiter.resolve(message);
        }
      }
    });
    socket.on('open', () =>
      resolve({
        socket,
        messages,
        closed,
        send: (message) => socket.send(JSON.stringify(message)),
        next(matches, timeoutMs = 5_000) {
          const found = messages.find(matches);
          if (found) return Promise.resolve(found);
          return new Promise((done, fail) => {
            const waiter = {
              matches,
              resolve: (message: StreamMessage) => {
                clearTimeout(timer);
                done(message);
              },
            };
            const timer = setTimeout(() => {
              waiters.delete(waiter);
              fail(new Error(`no matching stream message within ${timeoutMs} ms`));
            }, timeoutMs);
            waiters.add(waiter);
          });
        },
      }),
    );
  });
}
