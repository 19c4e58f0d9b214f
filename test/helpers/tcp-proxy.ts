// A TCP proxy on 127.0.0.1 between the application and its database, for network faults: `pause()` stops
// forwarding in both directions (the bytes wait, as on a network that stalls: nothing is closed or refused, new
// connections are accepted and hang), `resume()` lets them through, `cut()` resets every connection.
import net from "node:net";

export interface TcpProxy {
  port: number;
  readonly paused: boolean;
  pause(): void;
  resume(): void;
  /** Destroys every open connection (both sides see a reset); new ones are accepted as before. */
  cut(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  let paused = false;

  const server = net.createServer((downstream) => {
    const upstream = net.connect(target.port, target.host);
    const pair: [net.Socket, net.Socket] = [downstream, upstream];
    pairs.add(pair);
    // Each side's bytes go to the other; while paused neither side is read, so they wait in the kernel's buffers.
    // (Not `pipe`: its back-pressure would resume a side paused here.)
    const forward = (from: net.Socket, to: net.Socket) => {
      from.on("data", (chunk) => {
        if (!to.write(chunk)) {
          from.pause();
          to.once("drain", () => {
            if (!paused) from.resume();
          });
        }
      });
      from.on("end", () => to.end());
    };
    forward(downstream, upstream);
    forward(upstream, downstream);
    if (paused) for (const s of pair) s.pause();
    const end = () => {
      pairs.delete(pair);
      downstream.destroy();
      upstream.destroy();
    };
    for (const s of pair) {
      s.on("error", end);
      s.on("close", end);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    get paused() {
      return paused;
    },
    pause() {
      paused = true;
      for (const pair of pairs) for (const s of pair) s.pause();
    },
    resume() {
      paused = false;
      for (const pair of pairs) for (const s of pair) s.resume();
    },
    cut() {
      for (const [a, b] of pairs) {
        a.resetAndDestroy();
        b.resetAndDestroy();
      }
      pairs.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const [a, b] of pairs) {
          a.destroy();
          b.destroy();
        }
        pairs.clear();
        server.close(() => resolve());
      }),
  };
}
