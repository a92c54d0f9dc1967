// Cluster nodes listen on the same SSH and REST ports, each on its own loopback address (Linux
// routes all of 127/8 to lo), as real nodes all use 22 and 443. Port 0 in a cluster's
// configuration asks for one port that is free on every node's address.
import net from "node:net";

function listen(host: string, port: number): Promise<net.Server | null> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(null));
    server.listen(port, host, () => resolve(server));
  });
}

const close = (s: net.Server) => new Promise<void>((resolve) => s.close(() => resolve()));

/** A port free on every host right now (another process may still take it before we listen). */
export async function commonFreePort(hosts: string[], avoid: number[] = []): Promise<number> {
  const [first, ...rest] = hosts;
  if (!first) throw new Error("no hosts to find a port on");
  for (let attempt = 0; attempt < 50; attempt++) {
    const probe = await listen(first, 0);
    if (!probe) throw new Error(`cannot listen on ${first}`);
    const port = (probe.address() as net.AddressInfo).port;
    const others = await Promise.all(rest.map((h) => listen(h, port)));
    await Promise.all([probe, ...others].flatMap((s) => (s ? [close(s)] : [])));
    if (others.every((s) => s !== null) && !avoid.includes(port)) return port;
  }
  throw new Error(`no port is free on all of ${hosts.join(", ")}`);
}
