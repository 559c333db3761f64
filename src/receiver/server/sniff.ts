import type * as http from 'node:http';
import type * as http2 from 'node:http2';
import type * as net from 'node:net';
import type { Logger } from '../logger.js';
import type { LimitLog } from './limit-log.js';

/** The first bytes of every HTTP/2 cleartext connection (the client preface). */
const H2_PREFACE_START = 'PRI';

/**
 * Hands a cleartext connection to the HTTP/2 server when its first bytes are the HTTP/2
 * preface, to the HTTP/1.1 server otherwise (Node's HTTP/2 server falls back to HTTP/1.1
 * only with TLS). A connection that sends nothing within `timeoutMs` is closed, and an
 * HTTP/1.1 one must send its first request within it too.
 */
export function sniff(
  socket: net.Socket,
  h2: http2.Http2Server,
  h1: http.Server,
  logger: Logger,
  onHttp2: (socket: net.Socket) => void,
  timeoutMs: number,
  limitLog: LimitLog,
): void {
  socket.on('error', (e) => logger.debug(`connection error: ${e.message}`));
  // A connection that sends nothing is closed; the servers take over the timeout after.
  const silent = () => {
    limitLog('headers timeout', `connection sent nothing for ${timeoutMs} ms; closing it`);
    socket.destroy();
  };
  socket.setTimeout(timeoutMs);
  socket.once('timeout', silent);
  let head: Buffer = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
    if (head.length < H2_PREFACE_START.length) return;
    socket.setTimeout(0);
    socket.off('timeout', silent);
    socket.off('data', onData);
    socket.pause();
    socket.unshift(head);
    if (head.subarray(0, H2_PREFACE_START.length).toString('latin1') === H2_PREFACE_START) {
      onHttp2(socket);
      h2.emit('connection', socket);
    } else {
      h1.emit('connection', socket);
      socket.setTimeout(timeoutMs);
      // The HTTP/1.1 parser reads the socket's handle directly; resuming lets the bytes
      // read while sniffing reach it first.
      socket.resume();
    }
  };
  socket.on('data', onData);
}
