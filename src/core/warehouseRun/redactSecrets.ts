export const REDACTED = "***";

/** Shorter values are too likely to be ordinary words or numbers; redacting them would shred output. */
export const MIN_SECRET_LENGTH = 6;

/**
 * Hides secrets that dbt echoed (a connection error that prints a DSN, a Basic auth header) before
 * any report shows them. Each secret is hidden as written and in base64, standard and URL-safe, at
 * each of the three alignments it can have inside a longer base64 text (`user:token` encoded
 * together does not contain base64(`token`), but does contain these fragments).
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const needles = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    needles.add(secret);
    for (const form of base64Forms(secret)) needles.add(form);
  }
  let result = text;
  for (const needle of [...needles].sort((a, b) => b.length - a.length)) {
    if (result.includes(needle)) result = result.split(needle).join(REDACTED);
  }
  return result;
}

/** The same, for every string inside a JSON-like value (outcomes printed with --json). */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return redactSecrets(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** The base64 characters that depend on the secret's bytes alone, at offsets 0, 1 and 2. */
export function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const forms: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes])
      .toString("base64")
      .replace(/=+$/, "");
    const first = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    const fragment = encoded.slice(first, end);
    // Seven characters: what a six-byte secret leaves at the worst alignment.
    if (fragment.length >= 7) {
      forms.push(fragment);
      forms.push(fragment.replace(/\+/g, "-").replace(/\//g, "_"));
    }
  }
  return [...new Set(forms)];
}
