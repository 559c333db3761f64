/**
 * The two web-platform APIs protocol code needs, TextDecoder and atob, reached through
 * one typed lookup on globalThis (as protobuf-es reaches TextEncoder), because
 * src/protocol is compiled without DOM or Node types. Every runtime this package targets
 * has both: browsers, Workers, Deno, Bun, Node >= 16. Declared structurally here, so no
 * other runtime API can slip in, and each costs a few bytes instead of a hand-written
 * decoder in every browser bundle.
 */
interface WebText {
  TextDecoder: new () => { decode(bytes?: Uint8Array): string };
  atob(text: string): string;
}

const web = globalThis as unknown as WebText;

/** Decodes UTF-8, invalid sequences as U+FFFD; no bytes (undefined) decode to "". */
export function decodeUtf8(bytes?: Uint8Array): string {
  return new web.TextDecoder().decode(bytes);
}

/**
 * Decodes base64 (gRPC's `-bin` headers), padding optional and ASCII whitespace ignored;
 * throws on any other character.
 */
export function decodeBase64(text: string): Uint8Array {
  return Uint8Array.from(web.atob(text), (c) => c.charCodeAt(0));
}
