import { createWriteStream, type WriteStream } from 'node:fs';

/** Appends one JSON document per line to a file, in order, without blocking each request. */
export interface JsonlSink {
  append(document: unknown): void;
  /**
   * Resolves when every line appended so far has been handed to the operating system, so
   * an answer sent after it survives the receiver being killed.
   */
  written(): Promise<void>;
  /** Lines that failed to write. */
  readonly errors: number;
  /** Resolves when every line appended so far is on disk, and closes the file. */
  close(): Promise<void>;
}

/**
 * Opens `path` for appending. Writes are queued on a stream, so a slow disk delays the
 * file, not the gRPC answer; a write error is reported once through `onError` and counted.
 */
export function createJsonlSink(path: string, onError: (error: Error) => void): JsonlSink {
  const stream: WriteStream = createWriteStream(path, { flags: 'a' });
  let errors = 0;
  let failed = false;
  stream.on('error', (error) => {
    errors++;
    if (!failed) onError(new Error(`JSONL file ${path}: ${error.message}`));
    failed = true;
  });
  let closing: Promise<void> | undefined;
  // Writes complete in order: the last one's callback means all before it are done too.
  let last: Promise<void> = Promise.resolve();
  return {
    append(document) {
      if (failed || closing) {
        errors++;
        return;
      }
      last = new Promise((resolve) => {
        stream.write(`${JSON.stringify(document)}\n`, () => resolve());
      });
    },
    written: () => last,
    get errors() {
      return errors;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        if (stream.destroyed) resolve();
        else stream.end(() => resolve());
        stream.once('error', () => resolve());
      });
      return closing;
    },
  };
}
