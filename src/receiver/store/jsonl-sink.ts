import { createWriteStream, type WriteStream } from 'node:fs';

/** Appends one JSON document per line to a file, in order. */
export interface JsonlSink {
  /**
   * Queues one line; resolves once it is handed to the operating system, so an answer
   * sent after it survives the receiver being killed, and rejects when the write failed:
   * the caller must then refuse the data, not acknowledge it.
   */
  append(document: unknown): Promise<void>;
  /** The first write error, once one happened: every later append fails too. */
  readonly failure: Error | undefined;
  /** Resolves when every line appended so far is written, and closes the file. */
  close(): Promise<void>;
}

/**
 * Opens `path` for appending. A failed write (a full disk, /dev/full, a file removed from
 * under a FIFO) is reported once through `onError`; the file is not written again, so
 * lines never land out of order or with a gap.
 */
export function createJsonlSink(path: string, onError: (error: Error) => void): JsonlSink {
  const stream: WriteStream = createWriteStream(path, { flags: 'a' });
  let failure: Error | undefined;
  const fail = (e: Error) => {
    if (failure !== undefined) return failure;
    failure = new Error(`JSONL file ${path}: ${e.message}`);
    onError(failure);
    return failure;
  };
  stream.on('error', fail);
  let closing: Promise<void> | undefined;
  return {
    append(document) {
      if (failure !== undefined) return Promise.reject(failure);
      if (closing !== undefined) return Promise.reject(new Error(`JSONL file ${path} is closed`));
      const line = `${JSON.stringify(document)}\n`;
      return new Promise((resolve, reject) => {
        stream.write(line, (e) => (e ? reject(fail(e)) : resolve()));
      });
    },
    get failure() {
      return failure;
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
