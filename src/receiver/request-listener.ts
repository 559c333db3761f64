import type * as http2 from 'node:http2';
import { Code as ConnectCode, ConnectError, createContextValues } from '@connectrpc/connect';
import type { UniversalServerRequest } from '@connectrpc/connect/protocol';
import { setTrailerStatus } from '@connectrpc/connect/protocol-grpc';
import { universalRequestFromNodeRequest } from '@connectrpc/connect-node';
import { Code, codeName } from '../core/code.js';
import { codeFromHttpStatus } from '../protocol/http-status.js';
import { type CallRecord, callRecordKey, createCallRecord } from './call-record.js';
import type { Cors } from './cors.js';
import type { Drain } from './drain.js';
import {
  type Admission,
  admit,
  type GateOptions,
  type GateRequest,
  withPlaceholder,
} from './gate.js';
import { answerDirect } from './grpc-direct.js';
import type { Logger } from './logger.js';
import {
  bodyChunks,
  headerReader,
  type NodeRequest,
  type NodeResponse,
  nativeGrpc,
  requestHeader,
  requestPath,
  respondEmpty,
} from './node-http.js';
import { detectFormat } from './request-format.js';
import { discardUnreadBody, drainHttp1Body, whenSent, writeResponse } from './response-delivery.js';
import type { Route } from './routes.js';
import type { ReceiverSinks } from './sinks.js';

/** What {@link createRequestListener} serves with. */
export interface RequestListenerOptions extends GateOptions {
  routes: Map<string, Route>;
  cors: Cors;
  drain: Drain;
  sinks: ReceiverSinks;
  logger: Logger;
}

/**
 * The Node request listener shared by the HTTP/2 and HTTP/1.1 servers: CORS, routing,
 * the gate, connect's handler, then one record per call for the debug log and the
 * per-code error counters. No request can throw out of it: failures become responses.
 */
export function createRequestListener(
  options: RequestListenerOptions,
): (req: NodeRequest, res: NodeResponse) => void {
  const { routes, cors, drain, sinks, logger } = options;

  async function serve(req: NodeRequest, res: NodeResponse): Promise<void> {
    const leave = drain.enter();
    const sent = whenSent(res);
    const started = performance.now();
    const path = requestPath(req);
    const record = createCallRecord(path);
    const route = routes.get(path);
    let code: number | undefined;
    try {
      if (drain.draining && req.httpVersionMajor === 1) res.setHeader('connection', 'close');
      if (cors.handle(req, res)) return;
      if (route === undefined) {
        await drainHttp1Body(req);
        code = answerUnknownPath(req, res, path, record);
        discardUnreadBody(req);
        return;
      }
      // connect's body iterator destroys the request when reading stops early, which
      // leaves an HTTP/2 stream unable to finish; this one keeps it for discardUnreadBody.
      const body = req.iterator({ destroyOnReturn: false }) as AsyncIterable<Uint8Array>;
      const universal = (): UniversalServerRequest => ({
        ...universalRequestFromNodeRequest(
          req,
          res,
          undefined,
          createContextValues().set(callRecordKey, record),
        ),
        body,
      });
      // Native gRPC Export calls are answered without connect once admitted (grpc-direct.ts):
      // the gate reads Node's headers as they are, and connect's request is made only for
      // a call connect answers after all (a refusal, in the call's protocol).
      const direct = route.direct && nativeGrpc(req) ? route.direct : undefined;
      const admission: Admission<GateRequest> = await admit(
        route,
        direct ? { method: 'POST', header: headerReader(req), body: bodyChunks(req) } : universal(),
        record,
        options,
      );
      try {
        if (direct && record.decoded) {
          const h2 = [req, res] as [http2.Http2ServerRequest, http2.Http2ServerResponse];
          code = await answerDirect(direct, record.decoded, ...h2, sent, record);
          return;
        }
        let request = direct
          ? { ...universal(), body: admission.request.body }
          : (admission.request as UniversalServerRequest);
        if (record.decoded && admission.format)
          request = withPlaceholder(request, admission.format);
        const response = await route.handler(request);
        await writeResponse(response, req, res, sent, record);
        code = outcome(record, response.status, response.trailer ?? response.header);
      } finally {
        admission.release();
      }
    } catch (e) {
      record.error ??= ConnectError.from(e);
      code = record.error.code;
      if (!res.headersSent) {
        respondEmpty(res, 500);
      } else {
        res.destroy();
      }
    } finally {
      leave();
      if (code !== undefined) {
        if (route?.signal !== undefined && code !== Code.Ok && !record.ok) {
          sinks.countError(route.signal, code as Code);
        }
        report(req, record, code, performance.now() - started);
      }
    }
  }

  function report(req: NodeRequest, record: CallRecord, code: number, ms: number): void {
    const internal = code === Code.Internal || code === Code.Unknown;
    if (!logger.enabled('debug') && !(internal && record.error !== undefined)) return;
    const bytes = record.decoded === undefined ? '' : ` message=${record.decoded.bytes}B`;
    const why = record.error === undefined ? '' : `: ${record.error.rawMessage}`;
    const line =
      `${req.method} ${record.path} ${record.protocol} http/${req.httpVersion} ${record.encoding} ` +
      `body=${record.wireBytes}B${bytes} -> ${codeName(code)} in ${ms.toFixed(1)}ms${why}`;
    if (internal && record.error !== undefined) {
      const cause = record.error.cause instanceof Error ? `\n${record.error.cause.stack}` : '';
      logger.error(`${line}${cause}`);
    } else {
      logger.debug(line);
    }
  }

  return (req, res) => {
    void serve(req, res);
  };
}

/**
 * The status a call ended with, as its client sees it: the error the receiver recorded,
 * else the HTTP status (415, 405 from connect), else grpc-status, else OK.
 */
function outcome(record: CallRecord, httpStatus: number, trailer: Headers | undefined): number {
  if (record.error !== undefined) return record.error.code;
  if (httpStatus !== 200) return codeFromHttpStatus(httpStatus);
  const status = trailer?.get('grpc-status');
  if (status !== null && status !== undefined) return Number(status);
  return record.ok ? Code.Ok : Code.Unknown;
}

/**
 * gRPC answers an unknown method with status UNIMPLEMENTED (HTTP 200, Trailers-Only), so a
 * gRPC or gRPC-web client reads a proper status; anything else gets a plain 404, which
 * Connect clients also read as unimplemented.
 */
function answerUnknownPath(
  req: NodeRequest,
  res: NodeResponse,
  path: string,
  record: CallRecord,
): number {
  const contentType = requestHeader(req, 'content-type') ?? null;
  const format = detectFormat(contentType);
  record.error = new ConnectError(`unknown method ${path}`, ConnectCode.Unimplemented);
  if (format === undefined || format.protocol === 'connect') {
    respondEmpty(res, 404);
    return Code.Unimplemented;
  }
  record.protocol = format.protocol;
  const header = new Headers({ 'content-type': contentType ?? 'application/grpc' });
  setTrailerStatus(header, record.error);
  respondEmpty(res, 200, Object.fromEntries(header));
  return Code.Unimplemented;
}
