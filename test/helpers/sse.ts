import http from 'node:http';

export interface SseMessage {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

export interface SseClient {
  messages: SseMessage[];
  /** Resolves with the first message (already received or coming) that matches. */
  next(matches: (message: SseMessage) => boolean): Promise<SseMessage>;
  close(): void;
}

/** A minimal server-sent-events reader over a real socket, for tests. */
export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const messages: SseMessage[] = [];
    const waiters: { matches: (message: SseMessage) => boolean; resolve: (message: SseMessage) => void }[] = [];
    const request = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      if (response.statusCode !== 200) {
        reject(new Error(`SSE answered ${response.statusCode}`));
        return;
      }
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message: SseMessage = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) message.comment = line.slice(1).trim();
            else {
              const [field = '', ...rest] = line.split(': ');
              if (field === 'id' || field === 'event' || field === 'data') message[field] = rest.join(': ');
            }
          }
          messages.push(message);
          for (const waiter of [...waiters]) {
            if (waiter.matches(message)) {
              waiters.splice(waiters.indexOf(waiter), 1);
              waiter.resolve(message);
            }
          }
        }
      });
      resolve({
        messages,
        next: (matches) =>
          new Promise((found) => {
            const seen = messages.find(matches);
            if (seen) found(seen);
            else waiters.push({ matches, resolve: found });
          }),
        close: () => request.destroy(),
      });
    });
    request.on('error', (error) => {
      if ((error as { code?: string }).code !== 'ECONNRESET') reject(error);
    });
  });
}
