import { bytesField, fieldValues, varintField } from './proto-reader.js';
import { decodeBase64, decodeUtf8 } from './web-text.js';

/**
 * RetryInfo.retry_delay in milliseconds (rounded up, never negative) from a base64
 * google.rpc.Status, as sent in `grpc-status-details-bin`; undefined when there is no
 * RetryInfo (or no details). OTLP requires the client to wait that long before retrying, and makes
 * RESOURCE_EXHAUSTED retryable only when it is present. Never throws: malformed details
 * must not hide the status they came with.
 */
export function retryDelayFromStatusDetails(base64: string | null | undefined): number | undefined {
  try {
    let delay: number | undefined;
    // google.rpc.Status: 3 repeated google.protobuf.Any details; Any: 1 type_url, 2 value;
    // RetryInfo: 1 google.protobuf.Duration retry_delay; Duration: 1 seconds, 2 nanos.
    // Negative values mean "no delay".
    for (const any of fieldValues(decodeBase64(base64 ?? ''), 3, 2)) {
      if (decodeUtf8(bytesField(any, 1)).endsWith('/google.rpc.RetryInfo')) {
        const duration = bytesField(bytesField(any, 2), 1);
        delay = Math.ceil(varintField(duration, 1) * 1000 + varintField(duration, 2) / 1e6);
      }
    }
    return delay;
  } catch {
    return undefined;
  }
}
