// Open-redirect guard: `next` may only name a path on this site.

/** Returns `next` if it is a local absolute path ("/x"), else null. */
export function safeNextPath(next: string | undefined | null): string | null {
  if (!next || typeof next !== "string" || next.length > 2000) return null;
  if (!next.startsWith("/")) return null;
  // "//evil" and "/\evil" are protocol-relative to browsers; control characters can smuggle either.
  if (next.startsWith("//") || next.startsWith("/\\")) return null;
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return null;
  try {
    const url = new URL(next, "http://roost.invalid");
    if (url.origin !== "http://roost.invalid") return null;
    // Dot segments can normalise "/.//evil" into "//evil": check again after the URL parser's work.
    const path = url.pathname + url.search + url.hash;
    return path.startsWith("//") || path.startsWith("/\\") ? null : path;
  } catch {
    return null;
  }
}
