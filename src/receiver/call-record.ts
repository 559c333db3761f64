import { Code, ConnectError, createContextKey, type Interceptor } from '@connectrpc/connect';
import type { DecodedRequest } from './decode-request.js';
import type { WireProtocol } from './request-format.js';

/**
 * What the receiver learns about one call as it passes through: filled in by the gate
 * (protocol, sizes, decoded message, early refusal), by the implementation and by the
 * outcome interceptor, then read once to log the call and count its failure.
 */
export interface CallRecord {
  /** The request path, "/package.Service/Method". */
  readonly path: string;
  /** The protocol, once recognised; "http" until then. */
  protocol: WireProtocol | 'http';
  /** The request compression, "identity" when none. */
  encoding: string;
  /** Request body bytes as received (compressed when compressed). */
  wireBytes: number;
  /** The Export request decoded ahead of connect, with its decompressed size. */
  decoded: DecodedRequest | undefined;
  /** Why the call failed, once known. */
  error: ConnectError | undefined;
  /** True once the implementation returned a response. */
  ok: boolean;
}

/** Creates the record of a call to `path`. */
export function createCallRecord(path: string): CallRecord {
  return {
    path,
    protocol: 'http',
    encoding: 'identity',
    wireBytes: 0,
    decoded: undefined,
    error: undefined,
    ok: false,
  };
}

/** The context value through which the gate hands the record to connect handlers. */
export const callRecordKey = createContextKey<CallRecord | undefined>(undefined, {
  description: 'otlp-receiver call record',
});

/**
 * Records whether the implementation succeeded or with which error, converting a foreign
 * error the way connect will on the wire (INTERNAL), so logs and counters match what the
 * client saw.
 */
export const recordOutcome: Interceptor = (next) => async (req) => {
  const record = req.contextValues.get(callRecordKey);
  try {
    const res = await next(req);
    if (record !== undefined) record.ok = true;
    return res;
  } catch (e) {
    if (record !== undefined) {
      record.error =
        e instanceof ConnectError
          ? e
          : new ConnectError('internal error', Code.Internal, undefined, undefined, e);
    }
    throw e;
  }
};
