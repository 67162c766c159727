// The shape every language's messages must have: exactly the keys of en.ts (kept apart from index.ts so that a
// language file can import it without an import cycle).
import type { en } from "./en";

export type MessageKey = keyof typeof en;
/** A language's messages: every key of en.ts, no other (an extra or missing key is a type error). */
export type Messages = { readonly [K in MessageKey]: string };
