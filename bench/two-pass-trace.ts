// Bench-only alternative to src/encode/trace.ts, to measure the other length-prefix
// strategy: pass 1 computes every nested message's exact length (pre-order list), pass 2
// writes forward with the known lengths, so nothing is ever moved. Same bytes as
// encodeTraceExport (the bench checks). Not shipped.
import type { AttributeMap, SpanLike } from '../src/encode/sdk-types.js';
import {
  createWriter,
  double,
  finish,
  fixed32Field,
  idField,
  string,
  tag,
  timeField,
  varint,
  type Writer,
} from '../src/encode/writer.js';

const vsize = (v: number): number =>
  v < 0
    ? 10
    : v < 0x80
      ? 1
      : v < 0x4000
        ? 2
        : v < 0x200000
          ? 3
          : v < 0x10000000
            ? 4
            : Math.ceil(Math.log2(v + 1) / 7);
const ssize = (s: string): number => {
  const n = utf8Length(s);
  return vsize(n) + n;
};
const ldsize = (field: number, n: number): number => (field < 16 ? 1 : 2) + vsize(n) + n;

function anySize(v: unknown, lens: number[]): number {
  switch (typeof v) {
    case 'string':
      return 1 + ssize(v);
    case 'boolean':
      return 2;
    case 'number':
      return Number.isInteger(v) ? 1 + vsize(v) : 9;
    case 'object': {
      if (v === null) return 0;
      if (v instanceof Uint8Array) return 1 + vsize(v.length) + v.length;
      const i = lens.push(0) - 1;
      let n = 0;
      if (Array.isArray(v)) {
        for (const item of v) {
          const j = lens.push(0) - 1;
          const m = anySize(item, lens);
          lens[j] = m;
          n += ldsize(1, m);
        }
      } else n = attrsSize(1, v as AttributeMap, lens);
      lens[i] = n;
      return ldsize(5, n);
    }
  }
  return 0;
}

function attrsSize(field: number, map: AttributeMap, lens: number[]): number {
  let n = 0;
  for (const key in map) {
    if (!Object.hasOwn(map, key)) continue;
    const i = lens.push(0) - 1;
    const j = lens.push(0) - 1;
    const v = anySize(map[key], lens);
    lens[j] = v;
    const kv = 1 + ssize(key) + ldsize(2, v);
    lens[i] = kv;
    n += ldsize(field, kv);
  }
  return n;
}

function spanSize(s: SpanLike, lens: number[]): number {
  const i = lens.push(0) - 1;
  const ctx = s.spanContext();
  let n = 18 + 10 + (s.parentSpanContext?.spanId ? 10 : 0) + 1 + ssize(s.name) + 2 + 18;
  n += attrsSize(9, s.attributes, lens) + 1 + vsize(s.droppedAttributesCount);
  for (const e of s.events) {
    const j = lens.push(0) - 1;
    const m =
      9 +
      1 +
      ssize(e.name) +
      (e.attributes ? attrsSize(3, e.attributes, lens) : 0) +
      1 +
      vsize(e.droppedAttributesCount || 0);
    lens[j] = m;
    n += ldsize(11, m);
  }
  n += 1 + vsize(s.droppedEventsCount) + 1 + vsize(s.droppedLinksCount);
  const j = lens.push(0) - 1;
  const st = (s.status.message ? 1 + ssize(s.status.message) : 0) + 1 + vsize(s.status.code);
  lens[j] = st;
  n += ldsize(15, st) + 2 + 4;
  const ts = ctx.traceState?.serialize();
  if (ts) n += 1 + ssize(ts);
  lens[i] = n;
  return n;
}

// Pass 2: a "fork" writes the precomputed length. The lengths live beside the writer (not
// on it) so the shared writer functions see one object shape, as in encodeTraceExport.
type W2 = Writer;
const lengths = { list: [] as number[], next: 0 };
const open = (w: W2): void => varint(w, lengths.list[lengths.next++]!);

function writeAttrs(w: W2, field: number, map: AttributeMap): void {
  for (const key in map) {
    if (!Object.hasOwn(map, key)) continue;
    tag(w, field, 2);
    open(w);
    tag(w, 1, 2);
    string(w, key);
    tag(w, 2, 2);
    open(w);
    writeAny(w, map[key]);
  }
}

function writeAny(w: W2, v: unknown): void {
  switch (typeof v) {
    case 'string':
      tag(w, 1, 2);
      string(w, v);
      return;
    case 'boolean':
      tag(w, 2, 0);
      varint(w, v ? 1 : 0);
      return;
    case 'number':
      if (Number.isInteger(v)) {
        tag(w, 3, 0);
        varint(w, v);
      } else {
        tag(w, 4, 1);
        double(w, v);
      }
      return;
    case 'object': {
      if (v === null || v instanceof Uint8Array) return;
      const isArray = Array.isArray(v);
      tag(w, isArray ? 5 : 6, 2);
      open(w);
      if (isArray) {
        for (const item of v) {
          tag(w, 1, 2);
          open(w);
          writeAny(w, item);
        }
      } else writeAttrs(w, 1, v as AttributeMap);
    }
  }
}

/** Two-pass encoding of spans sharing one resource and scope per group (bench fixture). */
export function encodeTraceTwoPass(spans: readonly SpanLike[]): Uint8Array {
  const byRes = new Map<unknown, Map<unknown, SpanLike[]>>();
  for (const s of spans) {
    let m = byRes.get(s.resource);
    if (!m) {
      m = new Map();
      byRes.set(s.resource, m);
    }
    const l = m.get(s.instrumentationScope);
    if (l) l.push(s);
    else m.set(s.instrumentationScope, [s]);
  }
  const lens: number[] = [];
  let total = 0;
  for (const [, byScope] of byRes) {
    const first = [...byScope.values()][0]![0]!;
    const i = lens.push(0) - 1;
    const r = lens.push(0) - 1;
    const resLen = attrsSize(1, first.resource.attributes, lens) + 2;
    lens[r] = resLen;
    let rs = ldsize(1, resLen);
    for (const list of byScope.values()) {
      const sc = list[0]!.instrumentationScope;
      const j = lens.push(0) - 1;
      const k = lens.push(0) - 1;
      const scLen = 1 + ssize(sc.name) + (sc.version ? 1 + ssize(sc.version) : 0);
      lens[k] = scLen;
      let ss = ldsize(1, scLen);
      for (const s of list) ss += ldsize(2, spanSize(s, lens));
      lens[j] = ss;
      rs += ldsize(2, ss);
    }
    lens[i] = rs;
    total += ldsize(1, rs);
  }
  const w: W2 = createWriter(total);
  lengths.list = lens;
  lengths.next = 0;
  for (const [res, byScope] of byRes) {
    tag(w, 1, 2);
    open(w);
    tag(w, 1, 2);
    open(w);
    writeAttrs(w, 1, (res as SpanLike['resource']).attributes);
    tag(w, 2, 0);
    varint(w, 0);
    for (const list of byScope.values()) {
      const sc = list[0]!.instrumentationScope;
      tag(w, 2, 2);
      open(w);
      tag(w, 1, 2);
      open(w);
      tag(w, 1, 2);
      string(w, sc.name);
      if (sc.version) {
        tag(w, 2, 2);
        string(w, sc.version);
      }
      for (const s of list) {
        tag(w, 2, 2);
        open(w);
        const ctx = s.spanContext();
        idField(w, 1, ctx.traceId);
        idField(w, 2, ctx.spanId);
        const ts = ctx.traceState?.serialize();
        if (ts) {
          tag(w, 3, 2);
          string(w, ts);
        }
        if (s.parentSpanContext?.spanId) {
          idField(w, 4, s.parentSpanContext.spanId);
        }
        tag(w, 5, 2);
        string(w, s.name);
        tag(w, 6, 0);
        varint(w, s.kind + 1);
        timeField(w, 7, s.startTime);
        timeField(w, 8, s.endTime);
        writeAttrs(w, 9, s.attributes);
        tag(w, 10, 0);
        varint(w, s.droppedAttributesCount);
        for (const e of s.events) {
          tag(w, 11, 2);
          open(w);
          timeField(w, 1, e.time);
          tag(w, 2, 2);
          string(w, e.name);
          if (e.attributes) writeAttrs(w, 3, e.attributes);
          tag(w, 4, 0);
          varint(w, e.droppedAttributesCount || 0);
        }
        tag(w, 12, 0);
        varint(w, s.droppedEventsCount);
        tag(w, 14, 0);
        varint(w, s.droppedLinksCount);
        tag(w, 15, 2);
        open(w);
        if (s.status.message) {
          tag(w, 2, 2);
          string(w, s.status.message);
        }
        tag(w, 3, 0);
        varint(w, s.status.code);
        fixed32Field(
          w,
          16,
          (ctx.traceFlags & 0xff) | 0x100 | (s.parentSpanContext?.isRemote ? 0x200 : 0),
        );
      }
    }
  }
  return finish(w);
}

/** The UTF-8 byte length of a string (lone surrogates count as U+FFFD, 3 bytes). */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
