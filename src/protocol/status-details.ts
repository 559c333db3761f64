import { decodeBase64 } from './base64.js';
import { bytesOf, readFields, varintOf } from './proto-reader.js';
import { decodeUtf8 } from './utf8.js';

/**
 * RetryInfo.retry_delay in milliseconds (rounded up, never negative) from a base64
 * google.rpc.Status, as sent in `grpc-status-details-bin`; undefined when there is no
 * RetryInfo. OTLP requires the client to wait that long before retrying, and makes
 * RESOURCE_EXHAUSTED retryable only when it is present. Never throws: malformed details
 * must not hide the status they came with.
 */
export function retryDelayFromStatusDetails(base64: string): number | undefined {
  try {
    let delay: number | undefined;
    // google.rpc.Status: 3 repeated google.protobuf.Any details; Any: 1 type_url, 2 value.
    for (const any of bytesOf(readFields(decodeBase64(base64)), 3)) {
      const fields = readFields(any);
      const typeUrl = bytesOf(fields, 1).pop();
      if (!typeUrl || !decodeUtf8(typeUrl).endsWith('/google.rpc.RetryInfo')) continue;
      delay = 0;
      // RetryInfo: 1 google.protobuf.Duration retry_delay; Duration: 1 seconds, 2 nanos.
      // Negative values mean "no delay".
      for (const value of bytesOf(fields, 2)) {
        for (const duration of bytesOf(readFields(value), 1)) {
          const d = readFields(duration);
          delay = Math.ceil(varintOf(d, 1) * 1000 + varintOf(d, 2) / 1e6);
        }
      }
    }
    return delay;
  } catch {
    return undefined;
  }
}
