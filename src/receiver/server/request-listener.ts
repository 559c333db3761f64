import { Code as ConnectCode, ConnectError } from '@connectrpc/connect';
import { setTrailerStatus } from '@connectrpc/connect/protocol-grpc';
import { type Code, codeName, INTERNAL, OK, UNIMPLEMENTED, UNKNOWN } from '../../core/code.js';
import { codeFromHttpStatus } from '../../protocol/http-status.js';
import type { Method } from '../calls/method.js';
import type { Logger } from '../logger.js';
import type { Stats } from '../store/stats.js';
import { type CallRecord, createCallRecord } from './call-record.js';
import type { Cors } from './cors.js';
import type { Drain } from './drain.js';
import {
  type NodeRequest,
  type NodeResponse,
  requestHeader,
  requestPath,
  respondEmpty,
} from './node-http.js';
import { detectFormat } from './request-format.js';
import { discardUnreadBody, drainHttp1Body, whenSent } from './response-delivery.js';
import { serveUnary, type UnaryCallOptions } from './unary-call.js';

/** What {@link createRequestListener} serves with. */
export interface RequestListenerOptions extends UnaryCallOptions {
  /** Every method, by request path. */
  methods: Map<string, Method>;
  cors: Cors;
  drain: Drain;
  stats: Stats;
  logger: Logger;
}

/**
 * The Node request listener shared by the HTTP/2 and HTTP/1.1 servers: CORS, routing,
 * the unary call, then one record per call for the debug log and the per-code error
 * counters. No request can throw out of it: failures become responses.
 */
export function createRequestListener(
  o: RequestListenerOptions,
): (req: NodeRequest, res: NodeResponse) => void {
  async function serve(req: NodeRequest, res: NodeResponse): Promise<void> {
    const leave = o.drain.enter();
    const sent = whenSent(res);
    const started = performance.now();
    const path = requestPath(req);
    const record = createCallRecord(path);
    const method = o.methods.get(path);
    let code: number | undefined;
    try {
      if (o.drain.draining && req.httpVersionMajor === 1) res.setHeader('connection', 'close');
      if (o.cors.handle(req, res)) return;
      const contentType = requestHeader(req, 'content-type') ?? '';
      const format = detectFormat(contentType);
      if (method === undefined || req.method !== 'POST' || format === undefined) {
        await drainHttp1Body(req);
        code = answerUnservable(req, res, method === undefined, record);
        discardUnreadBody(req);
        return;
      }
      code = await serveUnary(method, format, contentType, req, res, sent, record, o);
    } catch (e) {
      record.error ??= ConnectError.from(e);
      code = record.error.code;
      if (!res.headersSent) respondEmpty(res, 500);
      else res.destroy();
    } finally {
      leave();
      if (code !== undefined) {
        if (method?.signal !== undefined && code !== OK) {
          o.stats.countError(method.signal, code as Code);
        }
        report(req, record, code, performance.now() - started);
      }
    }
  }

  function report(req: NodeRequest, record: CallRecord, code: number, ms: number): void {
    const internal = code === INTERNAL || code === UNKNOWN;
    if (!o.logger.enabled('debug') && !(internal && record.error !== undefined)) return;
    const bytes = record.messageBytes === undefined ? '' : ` message=${record.messageBytes}B`;
    const why = record.error === undefined ? '' : `: ${record.error.rawMessage}`;
    const line =
      `${req.method} ${record.path} ${record.protocol} http/${req.httpVersion} ${record.encoding} ` +
      `body=${record.wireBytes}B${bytes} -> ${codeName(code)} in ${ms.toFixed(1)}ms${why}`;
    if (internal && record.error !== undefined) {
      const cause = record.error.cause instanceof Error ? `\n${record.error.cause.stack}` : '';
      o.logger.error(`${line}${cause}`);
    } else {
      o.logger.debug(line);
    }
  }

  return (req, res) => {
    void serve(req, res);
  };
}

/**
 * A request no method serves. An unknown method is UNIMPLEMENTED (HTTP 200, Trailers-Only)
 * for gRPC and gRPC-web, so their clients read a proper status, and a plain 404 otherwise,
 * which Connect clients also read as unimplemented. A known method answers 405 to a verb
 * other than POST and 415 to a content-type no protocol serves, as gRPC prescribes.
 */
function answerUnservable(
  req: NodeRequest,
  res: NodeResponse,
  unknownPath: boolean,
  record: CallRecord,
): number {
  if (!unknownPath) {
    const status = req.method !== 'POST' ? 405 : 415;
    record.error = new ConnectError(
      status === 405
        ? `method ${req.method} not allowed: calls are POST`
        : `unsupported content-type "${requestHeader(req, 'content-type') ?? ''}"`,
      codeFromHttpStatus(status) as number as ConnectCode,
    );
    respondEmpty(res, status, status === 405 ? { allow: 'POST' } : {});
    return record.error.code;
  }
  const contentType = requestHeader(req, 'content-type') ?? null;
  const format = detectFormat(contentType);
  record.error = new ConnectError(`unknown method ${record.path}`, ConnectCode.Unimplemented);
  if (format === undefined || format.protocol === 'connect') {
    respondEmpty(res, 404);
    return UNIMPLEMENTED;
  }
  record.protocol = format.protocol;
  const header = new Headers({ 'content-type': contentType ?? 'application/grpc' });
  setTrailerStatus(header, record.error);
  respondEmpty(res, 200, Object.fromEntries(header));
  return UNIMPLEMENTED;
}
