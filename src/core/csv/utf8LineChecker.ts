/**
 * Finds the line of the first byte that is not UTF-8 (Unicode table 3-7: no overlongs, no
 * surrogates, nothing above U+10FFFF), fed chunk by chunk. The fast path decodes with a fatal
 * TextDecoder, which says only *that* the input is bad; this says *where*, so the message can name
 * a line. It runs only after the decoder has refused, so speed does not matter here.
 */
export interface Utf8LineChecker {
  /** The 1-based line of the first invalid byte in this chunk, or null when the chunk is fine. */
  feed(bytes: Uint8Array): number | null;
  /** At the end of input: the line of a sequence cut short, or null. */
  end(): number | null;
}

export function createUtf8LineChecker(): Utf8LineChecker {
  let line = 1;
  let need = 0;
  let lo = 0x80;
  let hi = 0xbf;
  return {
    feed(bytes) {
      for (let i = 0; i < bytes.length; i++) {
        const b = bytes[i]!;
        if (need > 0) {
          if (b < lo || b > hi) return line;
          lo = 0x80;
          hi = 0xbf;
          need--;
          continue;
        }
        if (b < 0x80) {
          if (b === 0x0a) line++;
        } else if (b >= 0xc2 && b <= 0xdf) {
          need = 1;
        } else if (b === 0xe0) {
          need = 2;
          lo = 0xa0;
        } else if ((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) {
          need = 2;
        } else if (b === 0xed) {
          need = 2;
          hi = 0x9f;
        } else if (b === 0xf0) {
          need = 3;
          lo = 0x90;
        } else if (b >= 0xf1 && b <= 0xf3) {
          need = 3;
        } else if (b === 0xf4) {
          need = 3;
          hi = 0x8f;
        } else {
          return line;
        }
      }
      return null;
    },
    end() {
      return need > 0 ? line : null;
    },
  };
}
