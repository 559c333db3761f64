import { createProtoReader, NEGATIVE_VARINT } from './proto-reader.js';
import { decodeUtf8 } from './utf8.js';

/** What an ExportXServiceResponse reports: items rejected and the server's explanation. */
export interface PartialSuccess {
  /** rejected_spans / rejected_data_points / rejected_log_records; 0 when all were accepted. */
  rejected: number;
  /** error_message, or "". */
  message: string;
}

/**
 * Decodes ExportXServiceResponse.partial_success, which has the same shape for all three
 * signals (field 1: { 1: int64 rejected, 2: string error_message }), so one tiny decoder
 * serves traces, metrics and logs. An empty body means full success. Unknown fields are
 * skipped, so newer servers keep working. Throws OtlpError(Internal) on malformed bytes.
 */
export function decodePartialSuccess(body: Uint8Array): PartialSuccess {
  const result: PartialSuccess = { rejected: 0, message: '' };
  const response = createProtoReader(body);
  while (response.more()) {
    const tag = response.tag();
    if (tag !== ((1 << 3) | 2)) {
      response.skip(tag & 7);
      continue;
    }
    const partial = createProtoReader(response.bytes());
    while (partial.more()) {
      const t = partial.tag();
      if (t === 1 << 3) {
        const rejected = partial.varint();
        result.rejected = rejected >= NEGATIVE_VARINT ? 0 : rejected;
      } else if (t === ((2 << 3) | 2)) {
        result.message = decodeUtf8(partial.bytes());
      } else {
        partial.skip(t & 7);
      }
    }
  }
  return result;
}
