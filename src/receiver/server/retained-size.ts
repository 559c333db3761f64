/**
 * Rough heap cost of a decoded message, in bytes, by V8's usual sizes: an object header
 * and a slot per property, a string's characters, an array's slots. It need not be exact;
 * it must grow with what a request really keeps, so a request of a million empty
 * attributes (2 MB on the wire, about 170 MB decoded) counts as what it costs, not as
 * its wire size. Bytes fields are views into the request buffer, which the caller adds.
 */
export function retainedSize(value: unknown): number {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    switch (typeof v) {
      case 'string':
        total += STRING_BYTES + v.length;
        break;
      case 'bigint':
        total += BOXED_BYTES;
        break;
      case 'object':
        if (v === null) break;
        if (ArrayBuffer.isView(v)) {
          total += VIEW_BYTES;
        } else if (Array.isArray(v)) {
          total += OBJECT_BYTES + SLOT_BYTES * v.length;
          for (const item of v) stack.push(item);
        } else {
          const keys = Object.keys(v);
          total += OBJECT_BYTES + SLOT_BYTES * keys.length;
          for (const key of keys) {
            // Type names and oneof cases are shared constant strings.
            if (key !== '$typeName' && key !== 'case') {
              stack.push((v as Record<string, unknown>)[key]);
            }
          }
        }
        break;
      default:
        break;
    }
  }
  return total;
}

const OBJECT_BYTES = 32;
const SLOT_BYTES = 8;
const STRING_BYTES = 16;
const BOXED_BYTES = 16;
const VIEW_BYTES = 72;
