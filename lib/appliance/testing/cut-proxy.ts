// A TCP relay that cuts the connection after N bytes from the client: a dropped link, made on
// purpose, for testing resume. The server behind it never knows.
import { createServer, connect, type Socket } from "node:net";

export interface CutProxy {
  port: number;
  /** Bytes forwarded client -> server per connection, in order. */
  connections: number[];
  /** Cut the next connection after this many client bytes (null: never). */
  cutNextAfter(bytes: number | null): void;
  stop(): Promise<void>;
}

export async function startCutProxy(targetPort: number): Promise<CutProxy> {
  let cutAfter: number | null = null;
  const connections: number[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const index = connections.push(0) - 1;
    const limit = cutAfter;
    cutAfter = null;
    const upstream = connect(targetPort, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => undefined);
    }
    client.on("data", (chunk: Buffer) => {
      connections[index] = (connections[index] ?? 0) + chunk.length;
      if (limit !== null && (connections[index] ?? 0) > limit) {
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as { port: number }).port,
    connections,
    cutNextAfter: (bytes) => (cutAfter = bytes),
    stop: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
