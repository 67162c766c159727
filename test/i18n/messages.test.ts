// The message files: every language has exactly English's keys (the type checker says so too: es.ts is typed
// Messages), no empty message, the same {placeholders}, and a real translation (not a copy of the English) except
// where the words are the same in both. And the helpers: t, tn, negotiate, resolveLocale.
import { describe, expect, it } from "vitest";
import { allMessages, LOCALES, negotiate, resolveLocale, t, tn, translate, withLocale } from "../../src/i18n";
import { en } from "../../src/i18n/en";

/** Messages that are rightly the same in English and Spanish (names, shared technical words). */
const SAME_IN_BOTH = new Set<string>(["language.en", "language.es", "error.other"]);

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe.each(LOCALES.filter((l) => l !== "en"))("messages in %s", (locale) => {
  const messages: Record<string, string> = allMessages[locale];

  it("has exactly the English keys (a missing translation fails here, never falls back to English)", () => {
    expect(Object.keys(messages).sort()).toEqual(Object.keys(en).sort());
  });

  it("has no empty message and keeps every {placeholder}", () => {
    for (const [key, english] of Object.entries(en)) {
      expect(messages[key]?.trim(), key).toBeTruthy();
      expect(placeholders(messages[key] ?? ""), key).toEqual(placeholders(english));
    }
  });

  it("translates rather than copies the English", () => {
    const copied = Object.entries(en)
      .filter(([key, english]) => !SAME_IN_BOTH.has(key) && messages[key] === english)
      .map(([key]) => key);
    expect(copied).toEqual([]);
  });

  it("has both plural forms wherever English has them", () => {
    for (const key of Object.keys(en).filter((k) => k.endsWith(".one"))) {
      expect(Object.hasOwn(en, key.replace(/\.one$/, ".other")), key).toBe(true);
    }
  });
});

describe("t and tn", () => {
  it("use the current locale, English outside any scope", () => {
    expect(t("layout.skipToContent")).toBe("Skip to content");
    expect(withLocale("es", () => t("layout.skipToContent"))).toBe("Saltar al contenido");
  });

  it("fill placeholders, formatting numbers for the locale", () => {
    expect(t("mail.greeting", { username: "ana" })).toBe("Dear ana,");
    expect(withLocale("es", () => t("mail.greeting", { username: "ana" }))).toBe("Hola, ana:");
  });

  it("refuse a key that does not exist and a missing parameter (no silent fallback)", () => {
    // Keys built at run time bypass the type check: t throws instead of showing the key or English.
    expect(() => translate("es", "no.such.key" as never)).toThrow(/no message/);
    expect(() => translate("en", "mail.greeting", {})).toThrow(/missing parameter \{username\}/);
  });

  it("pick the plural form by Intl.PluralRules and format the count", () => {
    expect(tn("time.tooManyAttempts", 1)).toBe("Too many attempts. Please try again in 1 minute.");
    expect(tn("time.tooManyAttempts", 1500)).toBe("Too many attempts. Please try again in 1,500 minutes.");
    expect(withLocale("es", () => tn("time.tooManyAttempts", 1))).toBe("Demasiados intentos. Vuelve a intentarlo dentro de 1 minuto.");
    // Spanish groups thousands only from five digits (CLDR), so 1500 stays as it is and 15000 gets a space or dot.
    expect(withLocale("es", () => tn("time.tooManyAttempts", 15000))).toMatch(/dentro de 15.000 minutos\.$/);
  });
});

describe("negotiate (Accept-Language)", () => {
  it.each([
    [null, null],
    ["", null],
    ["es", "es"],
    ["es-MX", "es"],
    ["ES-mx,en;q=0.5", "es"],
    ["en-US,en;q=0.9,es;q=0.8", "en"],
    ["fr-FR,fr;q=0.9,es;q=0.8,en;q=0.7", "es"],
    ["fr, de", null],
    ["en;q=0.2, es;q=0.9", "es"],
    ["es;q=0, en", "en"],
    ["es;q=0", null],
    ["*", null],
    ["es;q=abc, en;q=0.1", "en"],
    [";;;,,,q=", null],
    ["x".repeat(5000), null],
  ])("%j → %j", (header, expected) => {
    expect(negotiate(header)).toBe(expected);
  });

  it("the member's setting wins, then the browser, then English", () => {
    expect(resolveLocale("en", "es-MX")).toBe("en");
    expect(resolveLocale("es", "en")).toBe("es");
    expect(resolveLocale(null, "es-AR,es;q=0.9")).toBe("es");
    expect(resolveLocale("klingon", "fr")).toBe("en");
    expect(resolveLocale(null, undefined)).toBe("en");
  });
});
