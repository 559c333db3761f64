import { INTERNAL } from './code.js';
import type { ExportOptions } from './export-options.js';
import { OtlpError } from './otlp-error.js';
import type { TransportRequest, TransportResult } from './transport.js';
import { USER_AGENT } from './version.js';

/**
 * The send step: one attempt of one request through the transport, with the request
 * metadata of this attempt (`headers()` is called per attempt, for tokens that expire; the
 * user agent goes first, names lowercased). Never throws: transports report failures as
 * results, and a throw here (a headers() callback, a bug) becomes one too.
 */
export async function sendAttempt(
  options: Pick<ExportOptions, 'transport' | 'headers' | 'userAgent'>,
  call: Omit<TransportRequest, 'headers'>,
): Promise<TransportResult> {
  try {
    const { headers: given = {}, userAgent } = options;
    const extra = typeof given === 'function' ? await given() : given;
    const headers: Record<string, string> = {
      'user-agent': userAgent ? `${userAgent} ${USER_AGENT}` : USER_AGENT,
    };
    for (const key in extra) headers[key.toLowerCase()] = extra[key]!;
    return await options.transport.send({ ...call, headers });
  } catch (error) {
    const e = OtlpError.from(error, INTERNAL);
    return { code: e.code, message: e.rawMessage };
  }
}
