import { bytesField, varintField } from './proto-reader.js';
import { decodeUtf8 } from './web-text.js';

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
  const partial = bytesField(body, 1);
  return { rejected: varintField(partial, 1), message: decodeUtf8(bytesField(partial, 2)) };
}
