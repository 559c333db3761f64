import * as net from 'node:net';
import { credentials } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Code } from '../../src/core/code.js';
import { isOtlpError } from '../../src/core/otlp-error.js';
import { createGrpcTransport, OTLPTraceExporter } from '../../src/node/index.js';
import { makeRealisticSpans } from '../unit/encode-fixtures.js';
import {
  type Certs,
  makeCerts,
  request,
  startServer,
  type TestServer,
  tcpSockets,
  until,
} from './node-test-servers.js';

let certs: Certs;
let tls: TestServer;
let mtls: TestServer;
let plain: TestServer;

beforeAll(async () => {
  certs = makeCerts();
  tls = await startServer({ key: certs.serverKey, cert: certs.serverCert });
  mtls = await startServer({
    key: certs.serverKey,
    cert: certs.serverCert,
    ca: certs.ca,
    requestCert: true,
  });
  plain = await startServer();
});

afterAll(async () => {
  await Promise.all([tls?.kill(), mtls?.kill(), plain?.kill()]);
  certs?.remove();
});

describe('createGrpcTransport over TLS', () => {
  it('exports over TLS trusting a private CA (PEM text)', async () => {
    const t = createGrpcTransport({ tls: { ca: certs.ca } });
    try {
      const result = await t.send(request(tls.url));
      expect(result.code).toBe(Code.Ok);
      expect(tls.seen).toHaveLength(1);
    } finally {
      await t.close();
    }
    await until(() => tls.open.size === 0, 'the TLS session to close');
  });

  it("takes OpenTelemetry's grpc-js credentials: createSsl(ca) means TLS with that CA, even for http://", async () => {
    const before = tls.seen.length;
    const url = tls.url.replace('https:', 'http:');
    const exporter = new OTLPTraceExporter({
      url,
      env: {},
      compression: 'none',
      credentials: credentials.createSsl(Buffer.from(certs.ca)),
    });
    const result = await new Promise<{ code: number; error?: Error }>((resolve) =>
      exporter.export(makeRealisticSpans(1), resolve),
    );
    await exporter.shutdown();
    expect(result).toEqual({ code: 0 });
    expect(tls.seen.length).toBe(before + 1);
    // Another CA: the handshake fails, so the credentials' context is what verified.
    const other = new OTLPTraceExporter({
      url,
      env: {},
      retry: false,
      credentials: credentials.createSsl(Buffer.from(certs.otherCa)),
    });
    const refused = await new Promise<{ code: number; error?: Error }>((resolve) =>
      other.export(makeRealisticSpans(1), resolve),
    );
    await other.shutdown();
    expect(refused.code).toBe(1);
    expect(refused.error?.message).toMatch(/certificate/);
  });

  it('reports an untrusted server certificate as UNAVAILABLE naming the problem', async () => {
    const t = createGrpcTransport({ tls: { ca: certs.otherCa } });
    try {
      const result = await t.send(request(tls.url));
      expect(result.code).toBe(Code.Unavailable);
      expect(result.message).toContain('TLS certificate verification');
      expect(result.message).toMatch(/certificate/);
      expect(result.message).toContain('tls.ca');
    } finally {
      await t.close();
    }
  });

  it('exports with mutual TLS, reading CA, certificate and key from files', async () => {
    const t = createGrpcTransport({
      tls: { ca: certs.caPath, cert: certs.clientCertPath, key: certs.clientKeyPath },
    });
    try {
      expect((await t.send(request(mtls.url))).code).toBe(Code.Ok);
      expect((await t.send(request(mtls.url))).code).toBe(Code.Ok);
      expect(mtls.sessionsSeen).toBe(1);
    } finally {
      await t.close();
    }
  });

  it('reports a missing client certificate as UNAVAILABLE naming it, leaving no socket', async () => {
    await until(() => mtls.open.size === 0 && tcpSockets() === 0, 'earlier sockets to close');
    const t = createGrpcTransport({ tls: { ca: certs.caPath } });
    try {
      const result = await t.send(request(mtls.url));
      expect(result.code).toBe(Code.Unavailable);
      expect(result.message).toMatch(/certificate required/i);
      expect(result.message).toContain('client certificate');
      // Node leaves the socket of a session killed by a TLS alert open; the pool must not.
      await t.close();
      await until(() => tcpSockets() === 0, 'the client socket to close');
    } finally {
      await t.close();
    }
  });

  it('explains TLS spoken to a plaintext port', async () => {
    const t = createGrpcTransport();
    try {
      const result = await t.send(request(plain.url.replace('http:', 'https:')));
      expect(result.code).toBe(Code.Unavailable);
      expect(result.message).toContain('http://');
    } finally {
      await t.close();
    }
  });

  it('fails with UNAVAILABLE after connectTimeoutMs when the handshake never completes', async () => {
    // Accepts TCP connections and never says a word: the TLS handshake hangs.
    const sockets = new Set<net.Socket>();
    const mute = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(mute.address() as net.AddressInfo).port}`;
    const t = createGrpcTransport({ connectTimeoutMs: 150 });
    try {
      const result = await t.send(request(url));
      expect(result).toEqual({
        code: Code.Unavailable,
        message: `connect timeout after 150 ms to ${url}`,
      });
      // The shorter of the deadline and the connect timeout wins.
      const deadline = await t.send(request(url, { timeoutMs: 50 }));
      expect(deadline.code).toBe(Code.DeadlineExceeded);
    } finally {
      await t.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => mute.close(() => resolve()));
    }
  });

  it('refuses unreadable certificate files when created, naming the option and path', () => {
    const missing = `${certs.dir}/nope.pem`;
    const attempt = () => createGrpcTransport({ tls: { ca: missing } });
    expect(attempt).toThrow(`tls.ca: cannot read PEM file "${missing}"`);
    try {
      attempt();
    } catch (error) {
      expect(isOtlpError(error) && error.code).toBe(Code.InvalidArgument);
    }
    expect(() => createGrpcTransport({ tls: { cert: certs.clientCertPath } })).toThrow(
      /tls.cert given without tls.key/,
    );
  });
});
