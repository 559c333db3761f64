// A TCP relay that holds every byte until opened: put between Envoy and the receiver, it
// keeps an export in flight for as long as the test wants, without any timing, so a test
// can see the Worker's response arrive while its telemetry is still on the way.
import * as net from 'node:net';

export interface GatedRelay {
  port: number;
  /** Bytes received from clients and held so far. */
  readonly held: number;
  /** Forwards what was held and everything after. */
  open(): void;
  close(): Promise<void>;
}

/** Starts the relay on 127.0.0.1:0 in front of 127.0.0.1:`targetPort`, closed. */
export async function startGatedRelay(targetPort: number): Promise<GatedRelay> {
  let opened = false;
  let held = 0;
  const waiting: (() => void)[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    const pending: Buffer[] = [];
    client.on('data', (chunk) => {
      if (opened) {
        upstream.write(chunk);
        return;
      }
      held += chunk.length;
      pending.push(chunk);
    });
    waiting.push(() => {
      for (const chunk of pending.splice(0)) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    get held() {
      return held;
    },
    open() {
      opened = true;
      for (const flush of waiting.splice(0)) flush();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
