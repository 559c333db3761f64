// A TCP relay in front of the receiver that is "down" until switched up: while down, a
// connection that sends a request is reset (what a crashed backend looks like to Envoy)
// and counted; connections that send nothing (Envoy's TCP health checks) are just closed.
import * as net from 'node:net';

export interface SwitchRelay {
  port: number;
  /** Connections reset because they carried a request while down. */
  readonly refused: number;
  up(): void;
  close(): Promise<void>;
}

/** Starts the relay on 127.0.0.1:0 in front of 127.0.0.1:`targetPort`, down. */
export async function startSwitchRelay(targetPort: number): Promise<SwitchRelay> {
  let isUp = false;
  let refused = 0;
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const server = net.createServer((client) => {
    track(client);
    if (!isUp) {
      client.once('data', () => {
        refused++;
        client.resetAndDestroy();
      });
      client.on('end', () => client.destroy());
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    get refused() {
      return refused;
    },
    up() {
      isUp = true;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
