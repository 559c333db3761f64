import { Code } from '../core/code.js';
import { OtlpError } from '../core/otlp-error.js';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Decodes base64, padded or not, standard or URL-safe alphabet, because gRPC `-bin`
 * metadata may arrive in any of these forms (gRPC servers usually omit the padding) and
 * atob is a runtime API src/protocol may not use. Throws OtlpError(Internal) naming the
 * first character that is not base64.
 */
export function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/[\s=]+$/, '').replace(/\s+/g, '');
  const out = new Uint8Array((clean.length * 3) >> 2);
  let bits = 0;
  let count = 0;
  let pos = 0;
  for (let i = 0; i < clean.length; i++) {
    const ch = clean[i]!;
    const value = alphabet.indexOf(ch === '-' ? '+' : ch === '_' ? '/' : ch);
    if (value < 0) {
      throw new OtlpError(
        `invalid base64: character ${JSON.stringify(ch)} at index ${i}`,
        Code.Internal,
      );
    }
    bits = (bits << 6) | value;
    count += 6;
    if (count >= 8) {
      count -= 8;
      out[pos++] = bits >> count;
    }
  }
  return out.subarray(0, pos);
}
