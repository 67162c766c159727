// The kinds of notification: the one list every other part reads (the mail bit, the settings form's label,
// the sentence on the page and in the digest). Adding a kind (mention, like) is a line here and a
// subscriber in subscribers.ts; nothing else changes.

/** What a line needs to say: who (the latest actor and how many others), and what it is about. */
export type NotificationLine = { actor: string; others: number; excerpt: string | null };

type Kind = {
  /** Its bit in notification_settings.mail_kinds. Never reuse a bit: members' stored choices keep them. */
  bit: number;
  /** The settings form's label. */
  label: string;
  /** The sentence, in plain text (views escape it); `who` is "alice", "alice and bob" or "alice and 3 others". */
  sentence: (who: string, line: NotificationLine) => string;
};

const about = (excerpt: string | null) => (excerpt ? `: "${excerpt}"` : "");

export const KINDS = {
  follow: { bit: 1, label: "Someone follows you", sentence: (who) => `${who} followed you` },
  comment: { bit: 2, label: "Someone comments on your post", sentence: (who, l) => `${who} commented on your post${about(l.excerpt)}` },
  reply: {
    bit: 4,
    label: "Someone comments on a post you commented on",
    sentence: (who, l) => `${who} also commented on a post you commented on${about(l.excerpt)}`,
  },
  // The moderator is not named: a member should not be able to single them out.
  moderated: { bit: 8, label: "A moderator disables your comment", sentence: (_who, l) => `A moderator disabled your comment${about(l.excerpt)}` },
  mention: { bit: 16, label: "Someone mentions you", sentence: (who, l) => `${who} mentioned you${about(l.excerpt)}` },
  like: { bit: 32, label: "Someone likes your post", sentence: (who, l) => `${who} liked your post${about(l.excerpt)}` },
} satisfies Record<string, Kind>;

export type NotificationKind = keyof typeof KINDS;

export const isKind = (kind: string): kind is NotificationKind => Object.hasOwn(KINDS, kind);
export const KIND_NAMES: NotificationKind[] = Object.keys(KINDS).filter(isKind);

/** "alice", "alice and bob", "alice and 3 others". */
export function whoDidIt(actor: string, others: number): string {
  if (others <= 0) return actor;
  return others === 1 ? `${actor} and 1 other` : `${actor} and ${others} others`;
}

/** The sentence for one (possibly grouped) notification; an unknown kind (a newer deploy's row) reads plainly. */
export function sentenceOf(kind: string, line: NotificationLine): string {
  const who = whoDidIt(line.actor, line.others);
  return isKind(kind) ? KINDS[kind].sentence(who, line) : `${who} did something`;
}

/** mail_kinds bits → the kinds chosen. */
export const kindsOfBits = (bits: number): NotificationKind[] => KIND_NAMES.filter((k) => (bits & KINDS[k].bit) !== 0);
export const bitsOfKinds = (kinds: NotificationKind[]): number => kinds.reduce((bits, k) => bits | KINDS[k].bit, 0);

/** How much of a post or comment a line quotes; queries fetch one character more, to know when to cut. */
export const EXCERPT_CHARS = 60;

/** The quoted text on one line, cut at EXCERPT_CHARS with an ellipsis. */
export function excerptOf(text: string | null): string | null {
  if (!text) return null;
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS - 1)}…` : flat;
}
