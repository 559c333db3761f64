import { describe, expect, it } from 'vitest';
import { Code } from '../../src/core/code.js';
import type { TransportRequest } from '../../src/core/transport.js';
import { createGrpcWebTransport } from '../../src/web/grpc-web-transport.js';

const request: TransportRequest = {
  url: 'https://otlp.example.com/',
  path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  body: Uint8Array.of(1, 2, 3),
  encoding: 'identity',
  headers: {},
  timeoutMs: 1000,
};

describe('gRPC-web transport and redirects', () => {
  it.each([301, 302, 303, 307, 308])(
    'refuses a %i response itself (workerd, Node), naming the Location',
    async (status) => {
      let calls = 0;
      let redirect: RequestRedirect | undefined;
      const transport = createGrpcWebTransport({
        fetch: async (_url, init) => {
          calls++;
          redirect = init?.redirect;
          return new Response(null, {
            status,
            headers: { location: 'https://elsewhere.example/x' },
          });
        },
      });
      expect(await transport.send(request)).toEqual({
        code: Code.Unknown,
        message: `redirect refused: gRPC-web does not follow redirects (to https://elsewhere.example/x)`,
      });
      expect(calls).toBe(1);
      expect(redirect).toBe('manual');
    },
  );

  it('refuses a 3xx without Location and an opaque redirect (browsers) alike', async () => {
    const bare = createGrpcWebTransport({ fetch: async () => new Response(null, { status: 307 }) });
    expect(await bare.send(request)).toEqual({
      code: Code.Unknown,
      message: 'redirect refused: gRPC-web does not follow redirects',
    });
    const opaque = createGrpcWebTransport({
      fetch: async () =>
        ({ type: 'opaqueredirect', status: 0, headers: new Headers() }) as Response,
    });
    expect((await opaque.send(request)).message).toBe(
      'redirect refused: gRPC-web does not follow redirects',
    );
  });

  it('still maps other HTTP errors by status', async () => {
    const transport = createGrpcWebTransport({
      fetch: async () => new Response('down', { status: 503 }),
    });
    expect(await transport.send(request)).toMatchObject({
      code: Code.Unavailable,
      message: 'HTTP 503 without grpc-status (from a proxy?): down',
    });
  });
});
