/**
 * The browser and edge entry: gRPC-web over fetch and CompressionStream compressions.
 */
export { gzipCompression, pickCompression, zstdCompression } from './compression.js';
export { createGrpcWebTransport, type GrpcWebTransportOptions } from './grpc-web-transport.js';
export {
  type CompressionWorker,
  type WorkerCompressionOptions,
  workerCompression,
} from './worker-compression.js';
