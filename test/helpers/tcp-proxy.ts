import { connect, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  url: string;
  /** Request heads (method, path and headers) that passed through, oldest first. */
  requestHeads: string[];
  /** Destroys every connection through the proxy, as a load balancer restart or a network blip would. */
  cutAll(): void;
  close(): Promise<void>;
}

/** A loopback TCP proxy in front of `port`, so a test can cut a browser's connections without stopping the gateway. */
export async function startTcpProxy(port: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const requestHeads: string[] = [];
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    track(client);
    track(upstream);
    client.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      if (/^[A-Z]+ \S+ HTTP\/1\.1\r\n/.test(text)) requestHeads.push(text.slice(0, text.indexOf('\r\n\r\n')));
    });
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: proxyPort } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${proxyPort}`,
    requestHeads,
    cutAll: () => {
      for (const socket of sockets) socket.destroy();
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
