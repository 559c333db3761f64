/**
 * The gRPC and gRPC-web wire format, shared by the fetch and the HTTP/2 transports:
 * bytes and header getters in, bytes, header records and results out. Pure: no runtime
 * APIs (tsconfig.core.json enforces it).
 */

export { encodeEnvelope, FLAG_COMPRESSED, FLAG_TRAILER } from './envelope.js';
export type { HeaderGetter } from './header-getter.js';
export { codeFromHttpStatus } from './http-status.js';
export { interpretResponse, type ResponseParts } from './interpret-response.js';
export { decodePartialSuccess, type PartialSuccess } from './partial-success.js';
export { bytesField, fieldValues, varintField } from './proto-reader.js';
export { acceptEncoding, requestHeaders } from './request-headers.js';
export { type GrpcStatus, percentDecode, readStatus } from './status.js';
export { retryDelayFromStatusDetails } from './status-details.js';
export { encodeTimeout } from './timeout.js';
export { parseTrailerBlock } from './trailer.js';
export { decodeBase64, decodeUtf8 } from './web-text.js';
