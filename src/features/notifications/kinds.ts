// The kinds of notification: the one list every other part reads (the mail bit, the settings form's label,
// the sentence on the page and in the digest). Adding a kind (mention, like) is a line here and a
// subscriber in subscribers.ts, and its label and sentence in src/i18n; nothing else changes.
import { t, tn } from "../../i18n";

/** What a line needs to say: who (the latest actor and how many others), and what it is about. */
export type NotificationLine = { actor: string; others: number; excerpt: string | null };

type Kind = {
  /** Its bit in notification_settings.mail_kinds. Never reuse a bit: members' stored choices keep them. */
  bit: number;
  /** The settings form's label, in the current language. */
  label: () => string;
  /**
   * The sentence, in plain text (views escape it) and the current language; `who` is "alice" or "alice and 3
   * others", `actors` how many people that is (Spanish conjugates the verb for it: "comentó" / "comentaron").
   */
  sentence: (who: string, actors: number, about: string) => string;
};

export const KINDS = {
  follow: { bit: 1, label: () => t("notifications.kind.follow"), sentence: (who, n) => tn("notifications.sentence.follow", n, { who }) },
  comment: {
    bit: 2,
    label: () => t("notifications.kind.comment"),
    sentence: (who, n, about) => tn("notifications.sentence.comment", n, { who, about }),
  },
  reply: {
    bit: 4,
    label: () => t("notifications.kind.reply"),
    sentence: (who, n, about) => tn("notifications.sentence.reply", n, { who, about }),
  },
  // The moderator is not named: a member should not be able to single them out.
  moderated: { bit: 8, label: () => t("notifications.kind.moderated"), sentence: (_who, _n, about) => t("notifications.sentence.moderated", { about }) },
  mention: {
    bit: 16,
    label: () => t("notifications.kind.mention"),
    sentence: (who, n, about) => tn("notifications.sentence.mention", n, { who, about }),
  },
  like: { bit: 32, label: () => t("notifications.kind.like"), sentence: (who, n, about) => tn("notifications.sentence.like", n, { who, about }) },
  // A boost (Announce) exists only in the fediverse (issue 13): Roost members cannot boost.
  boost: { bit: 64, label: () => t("notifications.kind.boost"), sentence: (who, n, about) => tn("notifications.sentence.boost", n, { who, about }) },
} satisfies Record<string, Kind>;

export type NotificationKind = keyof typeof KINDS;

export const isKind = (kind: string): kind is NotificationKind => Object.hasOwn(KINDS, kind);
export const KIND_NAMES: NotificationKind[] = Object.keys(KINDS).filter(isKind);

/** "alice", "alice and 1 other", "alice and 3 others" (plural by the current language's rules). */
export function whoDidIt(actor: string, others: number): string {
  if (others <= 0) return actor;
  return tn("notifications.andOthers", others, { actor });
}

/** The sentence for one (possibly grouped) notification; an unknown kind (a newer deploy's row) reads plainly. */
export function sentenceOf(kind: string, line: NotificationLine): string {
  const who = whoDidIt(line.actor, line.others);
  const actors = Math.max(0, line.others) + 1;
  const about = line.excerpt ? t("notifications.about", { excerpt: line.excerpt }) : "";
  return isKind(kind) ? KINDS[kind].sentence(who, actors, about) : tn("notifications.sentence.unknown", actors, { who });
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
