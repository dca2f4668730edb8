import { createServer, connect, type Server, type Socket } from 'node:net';

/** A TCP relay to 127.0.0.1:<target> that a test can cut, to lose a connection mid-transfer. */
export interface TcpProxy {
  readonly port: number;
  /** Bytes relayed from the client since the counter was armed; -1 while unarmed. */
  budget: number;
  cut: boolean;
  readonly sockets: Set<Socket>;
  close(): Promise<void>;
}

export function startProxy(target: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const proxy: TcpProxy = { port: 0, budget: -1, cut: false, sockets, close: async () => {} };
  const server: Server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => {
      if (proxy.cut) return;
      if (proxy.budget >= 0 && chunk.length >= proxy.budget) {
        upstream.write(chunk.subarray(0, proxy.budget));
        cutNow(proxy);
        return;
      }
      if (proxy.budget >= 0) proxy.budget -= chunk.length;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!proxy.cut) client.write(chunk);
    });
    for (const s of [client, upstream]) {
      s.on('error', () => {});
      s.on('close', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      Object.assign(proxy, {
        port: typeof address === 'object' && address ? address.port : 0,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
      resolve(proxy);
    });
  });
}

function cutNow(proxy: TcpProxy): void {
  proxy.cut = true;
  for (const s of proxy.sockets) s.destroy();
}

/** From now on, relay `bytes` more bytes from the client, then cut every connection. */
export function cutAfter(proxy: TcpProxy, bytes: number): void {
  proxy.budget = bytes;
}

/** From now on relay nothing, either way, and close nothing: a partition (no FIN, no RST) as both ends see it. */
export function freeze(proxy: TcpProxy): void {
  proxy.cut = true;
}
