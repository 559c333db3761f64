import * as tls from 'node:tls';
import { createClient, type Transport } from '@connectrpc/connect';
import {
  createGrpcTransport,
  createGrpcWebTransport,
  Http2SessionManager,
} from '@connectrpc/connect-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TraceService } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { createLogger, type Receiver, startReceiver } from '../../src/receiver/index.js';
import { generateCerts, type TestCerts } from '../helpers/certs.js';
import { traceRequest } from '../helpers/otlp-fixtures.js';
import { connectSession } from '../helpers/raw-http2.js';

let certs: TestCerts;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(() => {
  certs = generateCerts();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => certs.cleanup());

const logLines: string[] = [];

async function start(
  mutual: boolean,
  exportDelayMs = 0,
  timeouts: { headersTimeoutMs?: number; idleTimeoutMs?: number } = {},
): Promise<Receiver> {
  const receiver = await startReceiver({
    port: 0,
    exportDelayMs,
    ...timeouts,
    logger: createLogger({ level: 'debug', write: (line) => logLines.push(line) }),
    tls: { cert: certs.serverCert, key: certs.serverKey, clientCa: mutual ? certs.ca : undefined },
  });
  cleanups.push(() => receiver.close());
  return receiver;
}

function grpc(receiver: Receiver, client?: { cert: string; key: string }): Transport {
  const sessionManager = new Http2SessionManager(receiver.url, {}, { ca: certs.ca, ...client });
  cleanups.push(() => sessionManager.abort());
  return createGrpcTransport({ baseUrl: receiver.url, sessionManager });
}

describe('TLS', () => {
  it('serves gRPC over HTTP/2 and gRPC-web over HTTP/1.1 on an https URL', async () => {
    const receiver = await start(false);
    expect(receiver.url).toBe(`https://127.0.0.1:${receiver.port}`);
    await createClient(TraceService, grpc(receiver)).export(traceRequest(2));
    const web = createGrpcWebTransport({
      baseUrl: receiver.url,
      httpVersion: '1.1',
      nodeOptions: { ca: certs.ca },
    });
    await createClient(TraceService, web).export(traceRequest(3));
    expect(receiver.stats().traces?.itemsAccepted).toBe(5n);
  });

  it('lets calls in flight finish on close()', async () => {
    const receiver = await start(false, 300);
    const client = createClient(TraceService, grpc(receiver));
    const calls = [1, 2, 3].map((n) => client.export(traceRequest(n)));
    while (receiver.inflight() < 3) await new Promise((r) => setTimeout(r, 5));
    await receiver.close();
    await Promise.all(calls);
    expect(receiver.stats().traces?.itemsAccepted).toBe(6n);
  });

  it.each([
    ['sends nothing', ''],
    ['stops halfway through its headers', 'POST /x HTTP/1.1\r\nhost: x\r\n'],
  ])(
    'closes an HTTP/1.1 connection that %s within headersTimeoutMs, and logs it',
    async (_, sent) => {
      const receiver = await start(false, 0, { headersTimeoutMs: 200, idleTimeoutMs: 60_000 });
      logLines.length = 0;
      const socket = tls.connect({
        host: '127.0.0.1',
        port: receiver.port,
        ca: certs.ca,
        servername: 'localhost',
        ALPNProtocols: ['http/1.1'],
      });
      cleanups.push(() => void socket.destroy());
      await new Promise<void>((resolve, reject) => {
        socket.once('secureConnect', resolve);
        socket.once('error', reject);
      });
      expect(socket.alpnProtocol).toBe('http/1.1');
      if (sent) socket.write(sent);
      const started = Date.now();
      await new Promise<void>((resolve) => socket.once('close', () => resolve()));
      // Closed by the headers timeout, long before the 60 s idle timeout.
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(logLines.join('\n')).toMatch(/limit hit: headers timeout/);
    },
  );

  it('is refused by a client that does not trust its CA', async () => {
    const receiver = await start(false);
    await expect(connectSession(receiver.url)).rejects.toThrow(
      /self-signed|unable to verify|certificate/i,
    );
  });
});

describe('mutual TLS', () => {
  it('accepts a client certificate signed by the client CA', async () => {
    const receiver = await start(true);
    await createClient(
      TraceService,
      grpc(receiver, { cert: certs.clientCert, key: certs.clientKey }),
    ).export(traceRequest(2));
    expect(receiver.stats().traces?.itemsAccepted).toBe(2n);
  });

  it.each([
    ['no certificate', undefined],
    ['a certificate from another CA', 'stranger'],
  ] as const)('refuses a client with %s, and stores nothing', async (_, which) => {
    const receiver = await start(true);
    const client =
      which === undefined ? undefined : { cert: certs.strangerCert, key: certs.strangerKey };
    logLines.length = 0;
    await expect(
      createClient(TraceService, grpc(receiver, client)).export(traceRequest(2)),
    ).rejects.toThrow();
    // Refused in the handshake, not by some later failure.
    expect(logLines.join('\n')).toMatch(/tls handshake failed/);
    // The server still serves a client that has a valid certificate.
    await createClient(
      TraceService,
      grpc(receiver, { cert: certs.clientCert, key: certs.clientKey }),
    ).export(traceRequest(1));
    expect(receiver.stats().traces?.itemsAccepted).toBe(1n);
  });
});
