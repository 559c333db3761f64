import { RESOURCE_EXHAUSTED } from '../core/code.js';
import { type Compression, MAX_RESPONSE_BYTES } from '../core/compression.js';
import { OtlpError } from '../core/otlp-error.js';
import type { TransportResult } from '../core/transport.js';
import type { InterpretedResponse } from './interpret-response.js';

/**
 * The encodings to advertise in `grpc-accept-encoding`: identity and every decoder's.
 * grpc-go servers (the OpenTelemetry Collector) ignore it and answer in the request's
 * encoding; others pick from it.
 */
export function acceptEncoding(decoders: readonly Compression[]): string {
  return ['identity', ...decoders.filter((d) => d.decompress).map((d) => d.name)].join(',');
}

/**
 * Finishes a response {@link interpretResponse} read: a compressed OK message is
 * decompressed with the decoder of its encoding, at most `maxBytes` of output. Past the
 * limit the call fails, RESOURCE_EXHAUSTED naming it (never retried). When no decoder
 * has the encoding, or the bytes do not decompress, the status still decides: the
 * export is OK, only its partial_success is unknown, and `responseUnread` says why.
 */
export async function decompressResponse(
  response: InterpretedResponse,
  decoders: readonly Compression[],
  maxBytes = MAX_RESPONSE_BYTES,
): Promise<TransportResult> {
  const { encoding, ...result } = response;
  if (!encoding || !result.body) return result;
  try {
    const decoder = decoders.find((d) => d.name === encoding && d.decompress);
    if (!decoder) throw new OtlpError('not decodable here');
    result.body = await decoder.decompress!(result.body, maxBytes);
  } catch (error) {
    const { code, rawMessage } = OtlpError.from(error);
    delete result.body;
    if (code === RESOURCE_EXHAUSTED) return { ...result, code, message: rawMessage };
    result.responseUnread = `${encoding} response message unread: ${rawMessage}`;
  }
  return result;
}
