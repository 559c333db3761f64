import { type DescMessage, type MessageShape, toJson } from '@bufbuild/protobuf';

const ID_KEYS = new Set(['traceId', 'spanId', 'parentSpanId']);

function base64ToHex(value: string): string {
  return Buffer.from(value, 'base64').toString('hex');
}

function fixIds(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) fixIds(item);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (ID_KEYS.has(key) && typeof value === 'string') record[key] = base64ToHex(value);
    else fixIds(value);
  }
}

/**
 * A message as OTLP/JSON, the encoding the OTLP specification defines on top of the
 * proto3 JSON mapping: lowerCamelCase keys, 64-bit integers as decimal strings, enums as
 * integers, and trace/span ids as lowercase hex rather than base64. This is what the
 * OpenTelemetry Collector's file exporter writes.
 */
export function toOtlpJson<Desc extends DescMessage>(
  schema: Desc,
  message: MessageShape<Desc>,
): unknown {
  const json = toJson(schema, message, { enumAsInteger: true });
  fixIds(json);
  return json;
}
