import * as http2 from 'node:http2';
import type { Duplex } from 'node:stream';
import { UNAVAILABLE } from '../core/code.js';
import { OtlpError } from '../core/otlp-error.js';

/** What {@link trackSession} needs to know; the pool owns and shares `keepalive`. */
export interface PooledSessionSettings {
  origin: string;
  /** Shared by all sessions of a pool, so a GOAWAY too_many_pings slows them all down. */
  keepalive: { intervalMs: number };
  keepaliveTimeoutMs: number;
  idleTimeoutMs: number;
  /** Called once when the session is gone (closed, destroyed, or its socket died). */
  onGone(session: PooledSession): void;
}

/** One connected HTTP/2 session with its stream count, keepalive and idle timers. */
export interface PooledSession {
  /** Not closed, not destroyed, not draining after GOAWAY, idle close or a failed PING. */
  usable(): boolean;
  /** No stream and no sign of life for the keepalive interval: verify before use. */
  stale(): boolean;
  /** PINGs the server; false (and the session is done for) when it does not answer. */
  verify(): Promise<boolean>;
  /** Opens a request stream; throws what node:http2 throws (closed session, bad header). */
  open(headers: http2.OutgoingHttpHeaders): http2.ClientHttp2Stream;
  /** Closes gracefully (open streams finish); resolves once the session is gone. */
  close(): Promise<void>;
}

/**
 * Takes charge of a freshly connected session: counts its streams, ref's it only while
 * streams are open (so an idle session never keeps the process alive), pings while
 * streams are open and nothing else proves the peer alive, closes it after the idle
 * timeout, and marks it draining on GOAWAY so new calls go to a new session.
 */
export function trackSession(
  session: http2.ClientHttp2Session,
  socket: Duplex,
  settings: PooledSessionSettings,
): PooledSession {
  const { origin, keepalive } = settings;
  let streams = 0;
  let lastAliveAt = Date.now();
  let draining = false;
  let idleTimer: NodeJS.Timeout | undefined;
  let pingTimer: NodeJS.Timeout | undefined;
  let verifying: Promise<boolean> | undefined;
  let gone = false;
  let forgotten: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    forgotten = resolve;
  });

  const live: PooledSession = {
    usable() {
      if (session.destroyed) reap();
      return !draining && !session.closed && !session.destroyed;
    },
    stale: () => streams === 0 && Date.now() - lastAliveAt > keepalive.intervalMs,
    verify() {
      verifying ??= (async () => {
        // The caller awaits this PING: hold the process open until it is answered.
        session.ref();
        try {
          const alive = await ping();
          if (!alive) draining = true;
          return alive;
        } finally {
          if (streams === 0 && !session.destroyed) session.unref();
          verifying = undefined;
        }
      })();
      return verifying;
    },
    open(headers) {
      const stream = session.request(headers, { endStream: false });
      if (++streams === 1) {
        session.ref();
        clearTimeout(idleTimer);
        armPing();
      }
      stream.once('response', () => {
        lastAliveAt = Date.now();
      });
      stream.once('close', () => {
        if (session.destroyed) reap();
        if (--streams > 0 || session.destroyed) return;
        session.unref();
        clearTimeout(pingTimer);
        armIdle();
      });
      return stream;
    },
    close() {
      draining = true;
      if (session.destroyed) reap();
      else {
        // Someone awaits this close: keep the process alive until the session is gone,
        // or a CLI that ends with `await transport.close()` exits with the promise pending.
        session.ref();
        session.close();
      }
      return closed;
    },
  };

  // Node destroys the session on error and hands the error to its streams; 'close' follows.
  session.on('error', () => {});
  session.on('goaway', (code: number, _lastStreamId: number, data?: Buffer) => {
    draining = true;
    if (code === http2.constants.NGHTTP2_ENHANCE_YOUR_CALM && data?.toString() === 'too_many_pings')
      keepalive.intervalMs *= 2;
  });
  session.once('close', forget);
  socket.once('close', forget);
  session.unref();
  armIdle();
  return live;

  function forget(): void {
    clearTimeout(idleTimer);
    clearTimeout(pingTimer);
    if (gone) return;
    gone = true;
    settings.onGone(live);
    forgotten();
  }

  /**
   * Finishes off a destroyed session. A TLS alert after the handshake (mTLS without a
   * client certificate) destroys the session but leaves its socket open, and neither
   * emits 'close' (Node 20); destroying the socket completes the teardown.
   */
  function reap(): void {
    if (!socket.destroyed) socket.destroy();
    forget();
  }

  function armIdle(): void {
    clearTimeout(idleTimer);
    idleTimer = unrefTimer(settings.idleTimeoutMs, () => {
      draining = true;
      session.close();
    });
  }

  function armPing(): void {
    clearTimeout(pingTimer);
    pingTimer = unrefTimer(keepalive.intervalMs, async () => {
      if (streams === 0 || session.destroyed) return;
      if (Date.now() - lastAliveAt >= keepalive.intervalMs && !(await ping())) return;
      armPing();
    });
  }

  /** Resolves true when answered; on timeout, destroys the session (its streams fail). */
  function ping(): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = unrefTimer(settings.keepaliveTimeoutMs, () => {
        session.destroy(
          new OtlpError(
            `keepalive PING to ${origin} not answered within ${settings.keepaliveTimeoutMs} ms`,
            UNAVAILABLE,
          ),
        );
        reap();
        resolve(false);
      });
      const done = (ok: boolean) => {
        clearTimeout(timer);
        if (ok) lastAliveAt = Date.now();
        resolve(ok);
      };
      try {
        // false: too many PINGs outstanding already, so one is on its way.
        if (!session.ping((error) => done(error === null))) done(true);
      } catch {
        done(false);
      }
    });
  }
}

/** An unref'd timer (none for an infinite or oversized delay, which setTimeout would fire at once). */
export function unrefTimer(ms: number, fn: () => void): NodeJS.Timeout | undefined {
  if (!(ms >= 0 && ms <= 2 ** 31 - 1)) return undefined;
  return setTimeout(fn, ms).unref();
}
