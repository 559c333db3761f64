import { decodeBase64 } from './base64.js';
import { createProtoReader, NEGATIVE_VARINT } from './proto-reader.js';
import { decodeUtf8 } from './utf8.js';

const RETRY_INFO = '/google.rpc.RetryInfo';

/**
 * RetryInfo.retry_delay in milliseconds (rounded up, never negative) from a base64
 * google.rpc.Status, as sent in `grpc-status-details-bin`; undefined when there is no
 * RetryInfo. OTLP requires the client to wait that long before retrying, and makes
 * RESOURCE_EXHAUSTED retryable only when it is present. Never throws: malformed details
 * must not hide the status they came with.
 */
export function retryDelayFromStatusDetails(base64: string): number | undefined {
  try {
    // google.rpc.Status: 1 code, 2 message, 3 repeated google.protobuf.Any details.
    const status = createProtoReader(decodeBase64(base64));
    let delay: number | undefined;
    while (status.more()) {
      const tag = status.tag();
      if (tag !== ((3 << 3) | 2)) {
        status.skip(tag & 7);
        continue;
      }
      // Any: 1 type_url, 2 value.
      const any = createProtoReader(status.bytes());
      let typeUrl = '';
      let value: Uint8Array | undefined;
      while (any.more()) {
        const t = any.tag();
        if (t === ((1 << 3) | 2)) typeUrl = decodeUtf8(any.bytes());
        else if (t === ((2 << 3) | 2)) value = any.bytes();
        else any.skip(t & 7);
      }
      if (typeUrl.endsWith(RETRY_INFO)) delay = retryInfoDelay(value ?? new Uint8Array(0));
    }
    return delay;
  } catch {
    return undefined;
  }
}

/** RetryInfo { google.protobuf.Duration retry_delay = 1 } in ms; 0 when absent. */
function retryInfoDelay(bytes: Uint8Array): number {
  const info = createProtoReader(bytes);
  let ms = 0;
  while (info.more()) {
    const tag = info.tag();
    if (tag !== ((1 << 3) | 2)) {
      info.skip(tag & 7);
      continue;
    }
    // Duration: 1 int64 seconds, 2 int32 nanos; negative values mean "no delay".
    const duration = createProtoReader(info.bytes());
    let seconds = 0;
    let nanos = 0;
    while (duration.more()) {
      const t = duration.tag();
      if (t === 1 << 3) seconds = duration.varint();
      else if (t === 2 << 3) nanos = duration.varint();
      else duration.skip(t & 7);
    }
    if (seconds >= NEGATIVE_VARINT) seconds = 0;
    if (nanos >= NEGATIVE_VARINT) nanos = 0;
    ms = Math.ceil(seconds * 1000 + nanos / 1e6);
  }
  return ms;
}
