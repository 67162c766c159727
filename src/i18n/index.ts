// Two languages (issue 12): English and Spanish. The messages live in one file per language (en.ts is the source
// of keys; es.ts must have exactly the same keys, checked by the type checker and by test/i18n/messages.test.ts),
// and `t(key, params)` looks one up in the current locale. There is no fallback: a key missing from a language
// is a type error, and `t` throws on a key it does not know.
//
// The current locale is ambient, per request: middleware/locale.ts runs the rest of the request inside
// `withLocale`, an AsyncLocalStorage scope (nodejs_compat), so views, form errors and services call `t()` without
// a locale being passed through every component. Code that runs for someone other than the reader (a mail to
// its recipient) opens its own scope with `withLocale(recipientLocale, …)`. Outside any scope (the API, cron,
// queue consumers, unit tests of a view) the locale is English.
//
// @example
//   t("nav.home")                          // "Home" / "Inicio"
//   t("posts.comments", { count: 1200 })   // "1,200 comments" / "1200 comentarios" (numbers through Intl)
//   tn("posts.likes", 3)                   // plural by Intl.PluralRules: posts.likes.one / posts.likes.other
import { AsyncLocalStorage } from "node:async_hooks";
import { en } from "./en";
import { es } from "./es";
import type { MessageKey, Messages } from "./types";

export type { MessageKey, Messages };

export const LOCALES = ["en", "es"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

const catalogs: Record<Locale, Messages> = { en, es };

/** The names of the {placeholders} in a message. */
type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;
export type Params<K extends MessageKey> = Record<Placeholders<(typeof en)[K]>, string | number>;
/** Keys of messages without placeholders: a table of them can be passed to t() as a variable. */
export type PlainKey = { [K in MessageKey]: [Placeholders<(typeof en)[K]>] extends [never] ? K : never }[MessageKey];
type ArgsOf<K extends MessageKey> = [Placeholders<(typeof en)[K]>] extends [never] ? [] : [params: Params<K>];

/** Keys that come in a `.one` / `.other` pair, by their stem. */
type PluralStem<K = MessageKey> = K extends `${infer Stem}.other` ? (`${Stem}.one` extends MessageKey ? Stem : never) : never;

/** The BCP 47 tag Intl formats with: English dates keep the day-month-year order Roost has always shown. */
const INTL_TAGS: Record<Locale, string> = { en: "en-GB", es: "es" };

export const isLocale = (value: unknown): value is Locale => typeof value === "string" && LOCALES.some((l) => l === value);

const scope = new AsyncLocalStorage<{ locale: Locale }>();

/** Runs `fn` with `locale` as the current locale (for everything it awaits too). */
export function withLocale<T>(locale: Locale, fn: () => T): T {
  return scope.run({ locale }, fn);
}

/** The current locale: the one of the innermost `withLocale`, else English. */
export function currentLocale(): Locale {
  return scope.getStore()?.locale ?? DEFAULT_LOCALE;
}

/** Changes the current scope's locale (the member's setting, known only once the session is loaded). */
export function switchLocale(locale: Locale): void {
  const store = scope.getStore();
  if (store) store.locale = locale;
}

/** The tag to give Intl formatters for a locale. */
export function intlTag(locale: Locale = currentLocale()): string {
  return INTL_TAGS[locale];
}

const numberFormats = new Map<Locale, Intl.NumberFormat>();
const pluralRules = new Map<Locale, Intl.PluralRules>();

/** A number in the current locale's notation (1,234 / 1234 or 12.345). */
export function formatNumber(n: number, locale: Locale = currentLocale()): string {
  let f = numberFormats.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(INTL_TAGS[locale]);
    numberFormats.set(locale, f);
  }
  return f.format(n);
}

function plural(n: number, locale: Locale): Intl.LDMLPluralRule {
  let r = pluralRules.get(locale);
  if (!r) {
    r = new Intl.PluralRules(INTL_TAGS[locale]);
    pluralRules.set(locale, r);
  }
  return r.select(n);
}

/** Fills a message's {placeholders}; numbers are formatted for the locale. Throws on a missing parameter. */
export function interpolate(message: string, params: Record<string, string | number>, locale: Locale): string {
  return message.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`i18n: missing parameter {${name}} in "${message}"`);
    return typeof value === "number" ? formatNumber(value, locale) : value;
  });
}

/** A message in a given locale. Throws for an unknown key (a key built at run time that does not exist). */
export function translate(locale: Locale, key: MessageKey, params?: Record<string, string | number>): string {
  const message = catalogs[locale][key];
  if (message === undefined) throw new Error(`i18n: no message "${key}" in ${locale}`);
  return params ? interpolate(message, params, locale) : message;
}

/** A message in the current locale. */
export function t<K extends MessageKey>(key: K, ...args: ArgsOf<K>): string {
  return translate(currentLocale(), key, args[0]);
}

/** A counted message: `<stem>.one` or `<stem>.other` by the locale's plural rules, with {count} filled in. */
export function tn<S extends PluralStem>(stem: S, count: number, params: Record<string, string | number> = {}): string {
  const locale = currentLocale();
  const form = plural(count, locale) === "one" ? "one" : "other";
  const key = `${stem}.${form}`;
  if (!isMessageKey(key)) throw new Error(`i18n: no plural "${key}"`);
  return translate(locale, key, { ...params, count });
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/** Every language's messages, for the tests that compare them. */
export const allMessages: Readonly<Record<Locale, Messages>> = catalogs;

/**
 * The best supported language for an Accept-Language header: by q-value (ties keep header order), a regional
 * tag counts for its language (es-MX → es), q=0 means "not this one". Null when nothing matches.
 */
export function negotiate(header: string | null | undefined): Locale | null {
  if (!header) return null;
  const wanted = header
    .slice(0, 1000)
    .split(",")
    .map((part, index) => {
      const [tag = "", ...attrs] = part.trim().split(";");
      // A malformed q-value counts as q=0: the entry is ignored rather than guessed at.
      const q = attrs.find((a) => /^\s*q\s*=/i.test(a));
      const value = q?.split("=")[1]?.trim() ?? "1";
      const weight = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value) ? Number(value) : 0;
      return { lang: tag.trim().toLowerCase().split("-")[0] ?? "", q: weight, index };
    })
    .filter((w) => w.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const w of wanted) if (isLocale(w.lang)) return w.lang;
  return null;
}

/** The reader's language: their own setting, else what their browser asks for, else English. */
export function resolveLocale(setting: string | null | undefined, acceptLanguage: string | null | undefined): Locale {
  if (isLocale(setting)) return setting;
  return negotiate(acceptLanguage) ?? DEFAULT_LOCALE;
}
