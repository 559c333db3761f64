import * as http2 from 'node:http2';
import type { Duplex } from 'node:stream';
import { UNAVAILABLE } from '../core/code.js';
import { OtlpError } from '../core/otlp-error.js';
import { describeNetworkError } from './network-error.js';
import { type PooledSession, trackSession, unrefTimer } from './pooled-session.js';

/** Settings of {@link createSessionPool}; the transport documents the defaults. */
export interface SessionPoolOptions {
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveTimeoutMs: number;
  idleTimeoutMs: number;
  /** node:http2 connect options for `https:` origins. */
  tls: http2.SecureClientSessionOptions;
}

/**
 * HTTP/2 sessions, one per origin, shared by all calls: a gRPC export is one short stream,
 * and a TCP + TLS handshake per export would cost more than the export itself.
 *
 * - A session is opened on first use; a call that finds it closed, draining (GOAWAY) or
 *   dead (failed PING) opens a new one.
 * - Keepalive follows gRPC's client rules: while streams are open, a PING every
 *   `keepaliveIntervalMs` without other sign of life; a session left without streams
 *   for that long is verified with a PING before it is used again, catching connections
 *   that a NAT or load balancer dropped silently. Idle sessions are never pinged, because
 *   servers (grpc-go's default policy) punish pings without calls with GOAWAY
 *   too_many_pings; if one comes anyway the interval doubles.
 * - A session with no stream for `idleTimeoutMs` is closed, and an idle session is
 *   unref'd, so it never keeps a process alive.
 */
export interface SessionPool {
  /**
   * Opens a request stream to `origin`, connecting first when needed. Rejects with
   * OtlpError(Unavailable) when no connection can be made.
   */
  request(origin: string, headers: http2.OutgoingHttpHeaders): Promise<http2.ClientHttp2Stream>;
  /** Closes every session gracefully (open streams finish first); resolves once all are closed. */
  close(): Promise<void>;
}

interface Channel {
  current?: PooledSession | undefined;
  pending?: Promise<PooledSession> | undefined;
}

/** Creates an empty pool; sessions are opened on demand. */
export function createSessionPool(options: SessionPoolOptions): SessionPool {
  const channels = new Map<string, Channel>();
  const sessions = new Set<PooledSession>();
  const connecting = new Set<(reason: OtlpError) => void>();
  const plainOptions: http2.ClientSessionOptions = { settings: { enablePush: false } };
  const tlsOptions: http2.SecureClientSessionOptions = { ...options.tls, ...plainOptions };
  const keepalive = { intervalMs: options.keepaliveIntervalMs };

  async function acquire(origin: string): Promise<PooledSession> {
    let channel = channels.get(origin);
    if (!channel) {
      channel = {};
      channels.set(origin, channel);
    }
    const current = channel.current;
    if (current?.usable() && (!current.stale() || (await current.verify()))) return current;
    if (channel.pending) return channel.pending;
    const target = channel;
    const attempt: Promise<PooledSession> = connect(origin)
      .then((live) => {
        target.current = live;
        return live;
      })
      .finally(() => {
        if (target.pending === attempt) target.pending = undefined;
      });
    target.pending = attempt;
    return attempt;
  }

  function connect(origin: string): Promise<PooledSession> {
    return new Promise((resolve, reject) => {
      const session = http2.connect(
        origin,
        origin.startsWith('https:') ? tlsOptions : plainOptions,
      );
      const onError = (error: unknown) =>
        fail(new OtlpError(describeNetworkError(error, origin), UNAVAILABLE, { cause: error }));
      const onClose = () =>
        fail(new OtlpError(`connection to ${origin} closed while connecting`, UNAVAILABLE));
      const onConnect = (_session: unknown, socket: Duplex) => {
        if (!connecting.delete(fail)) return;
        settle();
        const live = trackSession(session, socket, {
          origin,
          keepalive,
          keepaliveTimeoutMs: options.keepaliveTimeoutMs,
          idleTimeoutMs: options.idleTimeoutMs,
          onGone: (gone) => {
            sessions.delete(gone);
            const channel = channels.get(origin);
            if (channel?.current === gone) channel.current = undefined;
          },
        });
        sessions.add(live);
        resolve(live);
      };
      const timer = unrefTimer(options.connectTimeoutMs, () =>
        fail(
          new OtlpError(
            `connect timeout after ${options.connectTimeoutMs} ms to ${origin}`,
            UNAVAILABLE,
          ),
        ),
      );
      connecting.add(fail);
      session.once('connect', onConnect);
      session.once('close', onClose);
      session.on('error', onError);

      function fail(error: OtlpError): void {
        if (!connecting.delete(fail)) return;
        settle();
        // A destroyed session may still report socket errors; they are expected now.
        session.on('error', () => {});
        session.destroy();
        reject(error);
      }
      function settle(): void {
        clearTimeout(timer);
        session.off('connect', onConnect);
        session.off('close', onClose);
        session.off('error', onError);
      }
    });
  }

  return {
    async request(origin, headers) {
      for (let attempt = 0; ; attempt++) {
        const live = await acquire(origin);
        try {
          return live.open(headers);
        } catch (error) {
          // Closed between acquire and request (GOAWAY, idle timeout): once more, afresh.
          if (attempt === 0 && !live.usable()) continue;
          throw error;
        }
      }
    },
    async close() {
      for (const abort of [...connecting]) {
        abort(new OtlpError('transport closed while connecting', UNAVAILABLE));
      }
      await Promise.all([...sessions].map((live) => live.close()));
    },
  };
}
