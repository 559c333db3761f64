import { type DescMessage, ScalarType } from '@bufbuild/protobuf';

/**
 * The tables wire-scan.ts walks a message with, built once per generated schema: for each
 * field its kind (how its value is checked), and for each tag that fits in one or two
 * bytes the action the scanner takes, so the hot loop dispatches with one array load.
 */

/** How one field is checked (plain numbers: isolatedModules forbids const enums). */
export const Kind = {
  Varint: 0,
  Fixed64: 1,
  Bytes: 2,
  Utf8: 3,
  Fixed32: 4,
  Message: 5,
  PackedVarint: 6,
  PackedFixed64: 7,
  PackedFixed32: 8,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

/** The wire type each kind is written with (packed kinds: one by one). */
export const WIRE_OF_KIND = [0, 1, 2, 2, 5, 2, 0, 1, 5];

/**
 * What the scanner does with a tag: skip a value of some wire type, check a string, enter
 * a sub-message, or, for anything rare or wrong (illegal tags, groups, packed scalars, a
 * wire type the field does not have), take the slow path, which says what is wrong; or
 * stop, for a field the caller handles itself (see {@link withStops}).
 */
export const Act = {
  Slow: 0,
  Varint: 1,
  Fixed64: 2,
  Fixed32: 3,
  // The length-delimited ones, Bytes to Message.
  Bytes: 4,
  Utf8: 5,
  Message: 6,
  Stop: 7,
} as const;

/** A message's fields: kinds and sub-tables by field number, actions by tag. */
export interface ScanTable {
  kinds: (Kind | undefined)[];
  subs: (ScanTable | undefined)[];
  /** The action of each tag (field * 8 + wire type) below its length. */
  acts: Uint8Array;
  /** OTLP's KeyValue, which the scanner has a shortcut for (wire-scan-key-value.ts). */
  keyValue: boolean;
}

/** The action of a well-formed unknown field, by wire type: a skip; groups are slow. */
const UNKNOWN_ACT = [Act.Varint, Act.Fixed64, Act.Bytes, Act.Slow, Act.Slow, Act.Fixed32, 0, 0];
/** The action of a known field written with its kind's wire type, by kind. */
const ACT_OF_KIND = [
  Act.Varint,
  Act.Fixed64,
  Act.Bytes,
  Act.Utf8,
  Act.Fixed32,
  Act.Message,
  Act.Varint,
  Act.Fixed64,
  Act.Fixed32,
];

/** The action for `tag` in `table`, for tags of any size (large ones are rare). */
export function actOf(table: ScanTable, tag: number): number {
  return tag < table.acts.length ? table.acts[tag]! : computeAct(table, tag);
}

function computeAct(table: ScanTable, tag: number): number {
  if (tag < 8) return Act.Slow;
  const kind = table.kinds[tag >>> 3];
  if (kind === undefined) return UNKNOWN_ACT[tag & 7]!;
  return (tag & 7) === WIRE_OF_KIND[kind] ? ACT_OF_KIND[kind]! : Act.Slow;
}

const tables = new WeakMap<DescMessage, ScanTable>();

function scalarKind(t: ScalarType): Kind {
  switch (t) {
    case ScalarType.DOUBLE:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return Kind.Fixed64;
    case ScalarType.FLOAT:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return Kind.Fixed32;
    case ScalarType.STRING:
      return Kind.Utf8;
    case ScalarType.BYTES:
      return Kind.Bytes;
    default:
      return Kind.Varint;
  }
}

function packed(k: Kind): Kind {
  if (k === Kind.Varint) return Kind.PackedVarint;
  if (k === Kind.Fixed64) return Kind.PackedFixed64;
  return k === Kind.Fixed32 ? Kind.PackedFixed32 : k;
}

/** The scan table of a generated message schema (built once, cached). */
export function scanTable(desc: DescMessage): ScanTable {
  let table = tables.get(desc);
  if (table) return table;
  // Tags of the fields up to 2047 at most: larger ones are looked up by actOf.
  const maxField = Math.min(2047, Math.max(0, ...desc.fields.map((f) => f.number)));
  table = {
    kinds: [],
    subs: [],
    acts: new Uint8Array((maxField + 1) * 8),
    keyValue: desc.typeName === 'opentelemetry.proto.common.v1.KeyValue',
  };
  tables.set(desc, table);
  for (const f of desc.fields) {
    let kind: Kind;
    if (f.fieldKind === 'message' || (f.fieldKind === 'list' && f.listKind === 'message')) {
      kind = Kind.Message;
      table.subs[f.number] = scanTable(f.message);
    } else if (f.fieldKind === 'map') {
      kind = Kind.Bytes; // map entries: length-delimited (OTLP defines no maps)
    } else if (f.fieldKind === 'list') {
      kind = packed(f.listKind === 'enum' ? Kind.Varint : scalarKind(f.scalar));
    } else {
      kind = f.fieldKind === 'enum' ? Kind.Varint : scalarKind(f.scalar);
    }
    table.kinds[f.number] = kind;
  }
  fillActs(table);
  return table;
}

function fillActs(table: ScanTable): void {
  for (let tag = 0; tag < table.acts.length; tag++) table.acts[tag] = computeAct(table, tag);
}

/**
 * A copy of `table` whose scan stops at the given tags (each a field with its own wire
 * type) and hands them to the caller: how item-scan.ts captures ids and names while the
 * scanner does the rest. Only the outermost message of a scan uses such a table.
 */
export function withStops(table: ScanTable, tags: readonly number[]): ScanTable {
  const acts = table.acts.slice();
  for (const tag of tags) {
    if (tag >= acts.length || acts[tag] === Act.Slow) throw new Error(`cannot stop at ${tag}`);
    acts[tag] = Act.Stop;
  }
  return { ...table, acts };
}
