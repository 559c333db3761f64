import type { ConnectError } from '@connectrpc/connect';
import type { WireProtocol } from './request-format.js';

/**
 * What the receiver learns about one call as it passes through, read once at its end to
 * log the call and count its failure.
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
  /** The request message's size after decompression, once read. */
  messageBytes: number | undefined;
  /** Why the call failed, once known. */
  error: ConnectError | undefined;
}

/** Creates the record of a call to `path`. */
export function createCallRecord(path: string): CallRecord {
  return {
    path,
    protocol: 'http',
    encoding: 'identity',
    wireBytes: 0,
    messageBytes: undefined,
    error: undefined,
  };
}
