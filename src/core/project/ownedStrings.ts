// What a build keeps from the files it read (ref names, config values, source and model names)
// outlives the files' texts. In V8 a substring of 13 characters or more is a view into the string
// it was cut from (a "sliced string"): one ref name kept from a model keeps the whole model's text
// alive. On the real-shaped 50,000-model project that was 200 MB of texts held to the end of the run
// by a few characters each (BENCHMARKS.md, findings 16). The copies made here hold only their own
// characters.

/** V8 copies substrings shorter than this instead of slicing: they pin nothing. */
const SLICE_MIN_LENGTH = 13;

/** `text`, equal in value, holding no other string alive. */
export function ownString(text: string): string {
  // Two pieces joined: join() writes them into one fresh flat string (V8 20 and 24; an empty piece
  // would let it hand back `text` itself). The former copy, a rope of a space and the text sliced
  // after the space, held its characters too but as a view (32 bytes more per string: 470,000 kept
  // strings at 50,000 real-shaped models), and cost more CPU (BENCHMARKS.md, finding 22).
  return text.length < SLICE_MIN_LENGTH ? text : [text.slice(0, 1), text.slice(1)].join("");
}

/** Returns `own`: a value with every string in it (in place) holding its own characters. */
export function createStringOwner(): <T>(value: T) => T {
  // Copies are not shared: looking each value up in a Map cost more CPU than the copies cost memory.
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return ownString(value);
    if (typeof value !== "object" || value === null) return value;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (typeof item === "string" || (typeof item === "object" && item !== null)) value[i] = walk(item);
      }
      return value;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const item = record[key];
      if (typeof item === "string" || (typeof item === "object" && item !== null)) record[key] = walk(item);
    }
    return value;
  };
  return <T>(value: T): T => walk(value) as T;
}
