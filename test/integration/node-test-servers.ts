import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create, toBinary } from '@bufbuild/protobuf';
import { DurationSchema } from '@bufbuild/protobuf/wkt';
import { Code as ConnectCode, ConnectError } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { RetryInfoSchema } from '../../gen/google/rpc/error_details_pb.js';
import {
  type ExportTraceServiceRequest,
  ExportTraceServiceRequestSchema,
  TraceService,
} from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import type { TransportRequest } from '../../src/core/transport.js';

/** Test helpers for the native gRPC transport: a TraceService on real sockets. */

export const PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

export const message = create(ExportTraceServiceRequestSchema, {
  resourceSpans: [
    {
      scopeSpans: [
        {
          spans: Array.from({ length: 50 }, (_, i) => ({
            name: `span ${i}`,
            traceId: new Uint8Array(16).fill(1),
            spanId: new Uint8Array(8).fill(i + 1),
          })),
        },
      ],
    },
  ],
});
export const bytes = toBinary(ExportTraceServiceRequestSchema, message);

export function request(url: string, overrides: Partial<TransportRequest> = {}): TransportRequest {
  return {
    url,
    path: PATH,
    body: bytes,
    encoding: 'identity',
    headers: { 'user-agent': 'OTel-OTLP-Exporter-JavaScript/test' },
    timeoutMs: 10_000,
    ...overrides,
  };
}

export interface Seen {
  request: ExportTraceServiceRequest;
  headers: Headers;
}

/** An HTTP/2 TraceService whose behaviour each request picks with its x-behavior header. */
export interface TestServer {
  url: string;
  port: number;
  seen: Seen[];
  /** Sessions ever accepted, and those still open. */
  sessionsSeen: number;
  readonly open: Set<http2.ServerHttp2Session>;
  /** PING frames received from clients. */
  pings: number;
  /** Resolves once every session the server accepted has closed. */
  drained(): Promise<void>;
  /** Ends every session abruptly (a crash or restart) and stops listening. */
  kill(): Promise<void>;
}

export type TlsMode = { key: string; cert: string; ca?: string; requestCert?: boolean };

export async function startServer(tls?: TlsMode, port = 0): Promise<TestServer> {
  const state = { seen: [] as Seen[], sessionsSeen: 0, pings: 0 };
  const open = new Set<http2.ServerHttp2Session>();
  const adapter = connectNodeAdapter({
    routes(router) {
      router.service(TraceService, {
        async export(req, context) {
          state.seen.push({ request: req, headers: context.requestHeader });
          switch (context.requestHeader.get('x-behavior')) {
            case 'unauthenticated':
              throw new ConnectError('token expired ✓ 100%', ConnectCode.Unauthenticated);
            case 'retry-info':
              throw new ConnectError('slow down', ConnectCode.ResourceExhausted, undefined, [
                {
                  desc: RetryInfoSchema,
                  value: {
                    retryDelay: create(DurationSchema, { seconds: 2n, nanos: 250_000_000 }),
                  },
                },
              ]);
            case 'partial':
              return { partialSuccess: { rejectedSpans: 2n, errorMessage: 'two spans too old' } };
            case 'sleep':
              await new Promise<void>((resolve) => {
                const timer = setTimeout(resolve, 5_000);
                context.signal.addEventListener('abort', () => {
                  clearTimeout(timer);
                  resolve();
                });
              });
              return {};
            default:
              return {};
          }
        },
      });
    },
  });
  const server = tls
    ? http2.createSecureServer(
        {
          key: tls.key,
          cert: tls.cert,
          ...(tls.ca ? { ca: tls.ca } : {}),
          requestCert: tls.requestCert ?? false,
          rejectUnauthorized: tls.requestCert ?? false,
        },
        adapter,
      )
    : http2.createServer(adapter);
  server.on('session', (session) => {
    state.sessionsSeen++;
    open.add(session);
    session.on('ping', () => state.pings++);
    session.on('close', () => open.delete(session));
    session.on('error', () => {});
  });
  // TLS handshake failures (mTLS without a client certificate) are expected in tests.
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as net.AddressInfo).port;
  const result: TestServer = {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${bound}`,
    port: bound,
    get seen() {
      return state.seen;
    },
    set seen(value) {
      state.seen = value;
    },
    get sessionsSeen() {
      return state.sessionsSeen;
    },
    set sessionsSeen(value) {
      state.sessionsSeen = value;
    },
    get pings() {
      return state.pings;
    },
    set pings(value) {
      state.pings = value;
    },
    open,
    drained: () => until(() => open.size === 0),
    async kill() {
      for (const session of open) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return result;
}

/** Polls `condition` every 10 ms; rejects after 5 s so a broken expectation fails the test. */
export async function until(condition: () => boolean, what = 'condition'): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 5_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A port that was free a moment ago: nothing listens there. */
export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * A TCP relay in front of `target`, able to black-hole its current connections (bytes
 * vanish, sockets stay open), which is how a connection dropped by a NAT looks.
 */
export interface Relay {
  url: string;
  connections: number;
  blackhole(): void;
  close(): Promise<void>;
}

export async function startRelay(targetPort: number): Promise<Relay> {
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket; dead: boolean }>();
  let connections = 0;
  const server = net.createServer((client) => {
    connections++;
    const upstream = net.connect(targetPort, '127.0.0.1');
    const pair = { client, upstream, dead: false };
    pairs.add(pair);
    client.on('data', (chunk) => pair.dead || upstream.write(chunk));
    upstream.on('data', (chunk) => pair.dead || client.write(chunk));
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    get connections() {
      return connections;
    },
    blackhole() {
      for (const pair of pairs) pair.dead = true;
    },
    async close() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** PEM files made with the openssl CLI: a CA, a server cert for 127.0.0.1, a client cert. */
export interface Certs {
  dir: string;
  caPath: string;
  ca: string;
  serverKey: string;
  serverCert: string;
  clientKeyPath: string;
  clientCertPath: string;
  /** A CA that signed nothing here, to make verification fail. */
  otherCa: string;
  remove(): void;
}

export function makeCerts(): Certs {
  const dir = mkdtempSync(join(tmpdir(), 'otlp-node-tls-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const makeCa = (name: string) =>
    run(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
  makeCa('ca');
  makeCa('other-ca');
  const leaf = (name: string, extensions: string) => {
    run('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    writeFileSync(join(dir, `${name}.ext`), extensions);
    run(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    );
  };
  leaf('server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  leaf('client', 'extendedKeyUsage=clientAuth\n');
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  return {
    dir,
    caPath: join(dir, 'ca.crt'),
    ca: read('ca.crt'),
    serverKey: read('server.key'),
    serverCert: read('server.crt'),
    clientKeyPath: join(dir, 'client.key'),
    clientCertPath: join(dir, 'client.crt'),
    otherCa: read('other-ca.crt'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Open TCP sockets of this process (clients and accepted connections, not listeners). */
export function tcpSockets(): number {
  return process.getActiveResourcesInfo().filter((type) => type === 'TCPSocketWrap').length;
}
