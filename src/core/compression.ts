/**
 * A request compression, by its gRPC name. Compression is an interface, not a switch,
 * because what is available depends on the runtime: CompressionStream on fetch
 * runtimes, zlib on Node, zstd only in some. Implementations live at the edges.
 */
export interface Compression {
  /** The `grpc-encoding` name: "gzip", "zstd"... ("identity" is never compressed). */
  readonly name: string;
  /** Compresses one whole message. */
  compress(data: Uint8Array): Promise<Uint8Array>;
  /**
   * What to use instead when a server refuses this encoding (zstd -> gzip), if it
   * accepts that one; without an accepted fallback requests go uncompressed.
   * @default undefined
   */
  readonly fallback?: Compression | undefined;
}
