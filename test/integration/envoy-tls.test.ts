// The production shape with real traffic: TLS on the browser-facing listener and verified
// TLS (h2 by ALPN) to the backend.
import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { createGrpcWebTransport } from '@connectrpc/connect-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TraceService } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { findEnvoy } from '../../src/envoy/find-envoy.js';
import { type RunningEnvoy, startEnvoy } from '../../src/envoy/start-envoy.js';
import { makeTestCerts, type TestCerts } from './envoy-certs.js';
import { startTestUpstream, type TestUpstream } from './envoy-upstream.js';

let certs: TestCerts;
let upstream: TestUpstream;
const envoys: RunningEnvoy[] = [];

beforeAll(async () => {
  const envoyPath = await findEnvoy({ install: !process.env.CI });
  certs = await makeTestCerts();
  upstream = await startTestUpstream({ tls: { cert: certs.cert, key: certs.key } });
  const start = (serverName: string) =>
    startEnvoy({
      envoyPath,
      port: 0,
      tls: { certFile: certs.certFile, keyFile: certs.keyFile },
      upstreams: [`127.0.0.1:${upstream.port}`],
      upstreamTls: { caFile: certs.certFile, serverName },
    });
  envoys.push(await start('localhost'), await start('collector.wrong.example'));
});

afterAll(async () => {
  await Promise.all(envoys.map((e) => e.stop()));
  await upstream?.close();
  await certs?.remove();
});

function client(envoy: RunningEnvoy, httpVersion: '1.1' | '2') {
  return createClient(
    TraceService,
    createGrpcWebTransport({
      baseUrl: envoy.url,
      httpVersion,
      nodeOptions: { ca: certs.cert },
    }),
  );
}

describe('TLS on both sides', () => {
  it('serves gRPC-web over HTTPS (HTTP/1.1 and h2) and reaches the TLS backend', async () => {
    expect(envoys[0]!.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    await client(envoys[0]!, '1.1').export({});
    await client(envoys[0]!, '2').export({});
    expect(upstream.calls).toHaveLength(2);
  });

  it('refuses a backend whose certificate does not name the expected server', async () => {
    const error = ConnectError.from(
      await client(envoys[1]!, '1.1')
        .export({}, { timeoutMs: 8_000 })
        .catch((e: unknown) => e),
    );
    expect(error.code).toBe(Code.Unavailable);
    expect(error.rawMessage).toMatch(/^upstream unavailable: .*CERTIFICATE_VERIFY_FAILED.*SAN/);
    expect(upstream.calls).toHaveLength(2);
  });
});
