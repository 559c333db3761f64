import type { DescMessage, DescMethod, MessageInitShape, MessageShape } from '@bufbuild/protobuf';
import type { Signal } from '../store/stats.js';

/** What a method's implementation knows of its call. */
export interface CallContext {
  /** Aborted at the call's deadline or when the client goes away. */
  signal: AbortSignal;
  /** The request message's size after decompression, for the byte counters. */
  messageBytes: number;
  /** Memory the decoded request holds (buffer and objects), estimated, for the store. */
  retainedBytes: number;
}

/**
 * One unary method the receiver serves, whatever the protocol: the server reads, checks
 * and decodes the request the same way for every method, then calls `run`.
 */
export interface Method<I extends DescMessage = DescMessage, O extends DescMessage = DescMessage> {
  /** The protobuf method, for its path, input and output schemas. */
  readonly desc: DescMethod & { input: I; output: O };
  /** The signal of an OTLP Export method (which takes an inflight slot); else undefined. */
  readonly signal: Signal | undefined;
  run(request: MessageShape<I>, call: CallContext): Promise<MessageInitShape<O>>;
}

/** A method and its implementation, typed by its descriptor. */
export function method<I extends DescMessage, O extends DescMessage>(
  desc: DescMethod & { input: I; output: O },
  signal: Signal | undefined,
  run: (request: MessageShape<I>, call: CallContext) => Promise<MessageInitShape<O>>,
): Method {
  return { desc, signal, run } as unknown as Method;
}

/** The path a method is called at: "/package.Service/Method". */
export function methodPath(desc: DescMethod): string {
  return `/${desc.parent.typeName}/${desc.name}`;
}
