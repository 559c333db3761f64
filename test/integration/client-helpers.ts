import { createServer } from 'node:net';
import type { OtlpClientOptions } from '../../src/client/otlp-client.js';
import { createGrpcTransport } from '../../src/node/grpc-transport.js';
import { gzipCompression } from '../../src/node/zlib-compression.js';
import { pickCompression } from '../../src/web/compression.js';
import { createGrpcWebTransport } from '../../src/web/grpc-web-transport.js';

/** The four ways this package sends: both transports, with and without gzip. */
export const routes = [
  { transport: 'grpc', compression: 'none' },
  { transport: 'grpc', compression: 'gzip' },
  { transport: 'grpc-web', compression: 'none' },
  { transport: 'grpc-web', compression: 'gzip' },
] as const;

export type Route = (typeof routes)[number];

/** Transport and compression options for a route, as a user would write them. */
export function routeOptions(route: Route): Pick<OtlpClientOptions, 'transport' | 'compression'> {
  const transport = route.transport === 'grpc' ? createGrpcTransport() : createGrpcWebTransport();
  const compression =
    route.compression === 'none'
      ? undefined
      : route.transport === 'grpc'
        ? gzipCompression()
        : pickCompression('gzip');
  return compression ? { transport, compression } : { transport };
}

/** A port that was free a moment ago, for servers that must come up on a known port later. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
