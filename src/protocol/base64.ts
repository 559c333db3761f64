import { Code } from '../core/code.js';
import { OtlpError } from '../core/otlp-error.js';

/**
 * Decodes base64, padded or not, standard or URL-safe alphabet, because gRPC `-bin`
 * metadata may arrive in any of these forms (gRPC servers usually omit the padding) and
 * atob is a runtime API src/protocol may not use. Throws OtlpError(Internal) naming the
 * first character that is not base64.
 */
export function decodeBase64(text: string): Uint8Array {
  const out: number[] = [];
  let bits = 0;
  let count = 0;
  [...text.replace(/[\s=]+$/, '').replace(/\s+/g, '')].forEach((ch, i) => {
    let value = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_'.indexOf(ch);
    // "-" and "_" are the URL-safe "+" and "/".
    if (value > 63) value -= 2;
    if (value < 0) {
      throw new OtlpError(`invalid base64: character "${ch}" at index ${i}`, Code.Internal);
    }
    bits = (bits << 6) | value;
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push((bits >> count) & 255);
    }
  });
  return Uint8Array.from(out);
}
