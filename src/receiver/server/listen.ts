import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import type { Logger } from '../logger.js';
import type { LimitLog } from './limit-log.js';
import type { NodeRequest, NodeResponse } from './node-http.js';
import { sniff } from './sniff.js';
import { secureServerOptions, type TlsOptions } from './tls.js';

// Flow control: a stream window that holds a whole request of the default 4 MiB limit,
// and a connection window for a few of them, instead of HTTP/2's 64 KiB defaults, under
// which a client's concurrent exports wait on WINDOW_UPDATE round trips.
// Streams per HTTP/2 connection: Node allows 2^32 - 1, which lets one connection hold
// thousands of stalled requests; 256 is far above what an exporter opens.
const HTTP2_SETTINGS: http2.Settings = {
  initialWindowSize: 4 * 1024 * 1024 + 1024,
  maxConcurrentStreams: 256,
};
const CONNECTION_WINDOW = 16 * 1024 * 1024;

/** Limits on connections, so that idle or slow ones cannot exhaust the receiver. */
export interface ConnectionLimits {
  /** Connections open at once; past it, new ones are closed at once. */
  maxConnections: number;
  /** A new connection must finish its TLS handshake and send its first request (or HTTP/2 preface) within this, ms. */
  headersTimeoutMs: number;
  /** A connection with no traffic for this long is closed (HTTP/2: GOAWAY), ms. */
  idleTimeoutMs: number;
}

/** Options for {@link listen}. */
export interface ListenOptions extends ConnectionLimits {
  host: string;
  port: number;
  tls: TlsOptions | undefined;
  listener: (req: NodeRequest, res: NodeResponse) => void;
  logger: Logger;
  limitLog: LimitLog;
}

/** A bound port serving HTTP/2 and HTTP/1.1, with the connections it has accepted. */
export interface Listening {
  /** The bound port (the real one when 0 was asked for). */
  readonly port: number;
  /**
   * Stops accepting connections and asks HTTP/2 clients to go away (GOAWAY): calls in
   * flight continue, new ones go elsewhere or wait for a new connection.
   */
  stopAccepting(): Promise<void>;
  /**
   * Resolves once every HTTP/2 connection has closed by itself: after GOAWAY a session
   * ends as soon as its last stream is done, then flushes and ends its socket. Destroying
   * the socket before that could cut the trailers of a call that just finished.
   */
  http2Settled(): Promise<void>;
  /** Destroys every remaining connection, idle HTTP/1.1 keep-alive ones included. */
  destroyAll(): void;
}

/**
 * Binds `host:port`. With TLS, ALPN picks HTTP/2 or HTTP/1.1. Without TLS, Node's HTTP/2
 * server cannot fall back to HTTP/1.1 (allowHTTP1 works with TLS only), so a plain TCP
 * server reads the first bytes of each connection and hands it to an HTTP/2 server when
 * they are the HTTP/2 preface, to an HTTP/1.1 server otherwise: gRPC clients and
 * browsers' fetch share one cleartext port.
 */
export async function listen(options: ListenOptions): Promise<Listening> {
  const { logger, limitLog } = options;
  const sockets = new Set<net.Socket>();
  const h2Sockets = new Set<net.Socket>();
  const trackHttp2 = (socket: net.Socket) => {
    h2Sockets.add(socket);
    socket.once('close', () => h2Sockets.delete(socket));
  };
  const sessions = new Set<http2.ServerHttp2Session>();
  /** Counts a new connection, or closes it past the limit; false when closed. */
  const track = (socket: net.Socket): boolean => {
    if (sockets.size >= options.maxConnections) {
      limitLog(
        'max connections',
        `${options.maxConnections} open; closing a new one from ${socket.remoteAddress}`,
      );
      socket.destroy();
      return false;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    return true;
  };
  const onSession = (session: http2.ServerHttp2Session) => {
    // A connection window wider than HTTP/2's 64 KiB default, so several OTLP requests in
    // flight on one connection are not throttled by WINDOW_UPDATE round trips.
    try {
      session.setLocalWindowSize(CONNECTION_WINDOW);
    } catch (e) {
      logger.debug(`http2 window not widened: ${(e as Error).message}`);
    }
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    session.on('error', (e) => logger.debug(`http2 session error: ${e.message}`));
    session.setTimeout(options.idleTimeoutMs, () => {
      limitLog(
        'idle timeout',
        `HTTP/2 connection silent for ${options.idleTimeoutMs} ms; closing it`,
      );
      session.close();
      // A peer that ignores GOAWAY and keeps its streams open is cut off.
      setTimeout(() => session.destroy(), options.headersTimeoutMs).unref();
    });
  };
  const onSessionError = (e: Error) => logger.debug(`http2 session error: ${e.message}`);

  let server: net.Server;
  if (options.tls !== undefined) {
    const secure = http2.createSecureServer(
      {
        ...secureServerOptions(options.tls),
        settings: HTTP2_SETTINGS,
        handshakeTimeout: options.headersTimeoutMs,
      },
      options.listener,
    );
    secure.on('session', onSession);
    secure.on('sessionError', onSessionError);
    secure.on('tlsClientError', (e) => logger.debug(`tls handshake failed: ${e.message}`));
    secure.on('connection', track);
    secure.on('secureConnection', (socket) => {
      if (socket.alpnProtocol === 'h2') {
        trackHttp2(socket);
        return;
      }
      // As over cleartext (sniff.ts): silent for headersTimeoutMs before its first request,
      // or idleTimeoutMs between requests, and the connection is closed.
      socket.setTimeout(options.headersTimeoutMs, () => {
        if (served.has(socket)) {
          limitLog(
            'idle timeout',
            `HTTP/1.1 connection silent for ${socket.timeout} ms; closing it`,
          );
        } else {
          limitLog(
            'headers timeout',
            `connection sent nothing for ${socket.timeout} ms; closing it`,
          );
        }
        socket.destroy();
      });
    });
    const served = new WeakSet<net.Socket>();
    secure.on('request', (req: http2.Http2ServerRequest) => {
      if (req.httpVersionMajor !== 1 || served.has(req.socket as net.Socket)) return;
      served.add(req.socket as net.Socket);
      req.socket.setTimeout(options.idleTimeoutMs);
    });
    server = secure;
  } else {
    const h2 = http2.createServer({ settings: HTTP2_SETTINGS }, options.listener);
    h2.on('session', onSession);
    h2.on('sessionError', onSessionError);
    // Node checks headersTimeout only for servers it listens with; this one is handed
    // sockets, so a connection must send a request within headersTimeoutMs (the sniff
    // timeout carries on), then may stay silent for idleTimeoutMs between requests.
    const plain = http.createServer({ requestTimeout: 0 }, options.listener);
    plain.timeout = options.idleTimeoutMs;
    plain.on('request', (req: http.IncomingMessage) =>
      req.socket.setTimeout(options.idleTimeoutMs),
    );
    plain.on('timeout', (socket: net.Socket) => {
      limitLog('idle timeout', `HTTP/1.1 connection silent for ${socket.timeout} ms; closing it`);
      socket.destroy();
    });
    server = net.createServer((socket) => {
      if (!track(socket)) return;
      sniff(socket, h2, plain, logger, trackHttp2, options.headersTimeoutMs, limitLog);
    });
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (e) => logger.error(`server error: ${e.message}`));
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    async stopAccepting() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const session of sessions) session.close();
      await closed;
    },
    async http2Settled() {
      await Promise.all([...h2Sockets].map(closed));
    },
    destroyAll() {
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
    },
  };
}

function closed(socket: net.Socket): Promise<void> {
  if (socket.closed) return Promise.resolve();
  return new Promise((resolve) => socket.once('close', () => resolve()));
}
