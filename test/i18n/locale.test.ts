// Which language a reader gets (issue 12): the member's setting, else Accept-Language, else English; pages say
// it in <html lang> and Content-Language; mails follow the recipient; the edge cache keeps one copy per language.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { confirmedUser, expectSentToLogin, latestMailTo, register, uniqueUser } from "../helpers/accounts";
import { Client, ORIGIN } from "../helpers/client";

const ES = { "Accept-Language": "es-MX,es;q=0.9,en;q=0.5" };
const EN = { "Accept-Language": "en-US,en;q=0.9" };

const langOf = (html: string) => /<html lang="(\w+)"/.exec(html)?.[1];

const profileForm = (locale: string) => ({ name: "", location: "", about_me: "", locale });

describe("the reader's language", () => {
  it("follows Accept-Language for a visitor, else English", async () => {
    const client = new Client();
    for (const [headers, lang, skip] of [
      [ES, "es", "Saltar al contenido"],
      [EN, "en", "Skip to content"],
      [{ "Accept-Language": "fr-FR,de;q=0.8" }, "en", "Skip to content"],
      [{}, "en", "Skip to content"],
    ] as const) {
      const res = await client.get("/auth/login", headers);
      const html = await res.text();
      expect(langOf(html)).toBe(lang);
      expect(html).toContain(skip);
      expect(res.headers.get("Content-Language")).toBe(lang);
      expect(res.headers.get("Vary")).toContain("Accept-Language");
    }
  });

  it("follows the member's setting over Accept-Language, and 'automatic' gives the browser's back", async () => {
    const me = await confirmedUser("lang");
    expect((await me.client.post("/edit-profile", profileForm("es"), EN)).status).toBe(303);
    const row = await env.DB.prepare("SELECT locale FROM users WHERE id = ?").bind(me.id).first<{ locale: string | null }>();
    expect(row?.locale).toBe("es");
    expect(langOf(await (await me.client.get("/edit-profile", EN)).text())).toBe("es");

    expect((await me.client.post("/edit-profile", profileForm("en"), ES)).status).toBe(303);
    expect(langOf(await (await me.client.get("/edit-profile", ES)).text())).toBe("en");

    expect((await me.client.post("/edit-profile", profileForm(""), ES)).status).toBe(303);
    const page = await (await me.client.get("/edit-profile", ES)).text();
    expect(langOf(page)).toBe("es");
    // The select shows the setting: automatic.
    expect(page).toMatch(/<option value="" selected="">Automático/);
  });

  it.each([
    ["an unknown one", "fr", "Choose a language from the list."],
    ["500 characters", "x".repeat(500), "Choose a language from the list."],
    ["the wrong case", "EN", "Choose a language from the list."],
  ])("refuses %s with a message, never a 500", async (_, locale, message) => {
    const me = await confirmedUser("badlang");
    const res = await me.client.post("/edit-profile", profileForm(locale), EN);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain(message);
    const spanish = await me.client.post("/edit-profile", profileForm(locale), ES);
    expect(spanish.status).toBe(422);
    expect(await spanish.text()).toContain("Elige un idioma de la lista.");
    const row = await env.DB.prepare("SELECT locale FROM users WHERE id = ?").bind(me.id).first<{ locale: string | null }>();
    expect(row?.locale).toBeNull();
  });

  it("needs a session to change it", async () => {
    expectSentToLogin(await new Client().post("/edit-profile", profileForm("es")));
  });
});

describe("forms and flashes in Spanish", () => {
  it("a registration with bad input answers 422 with Spanish messages", async () => {
    const u = uniqueUser("formes");
    const res = await new Client().post("/auth/register", { email: "not-an-email", username: "9bad", password: "short", password2: "other" }, ES);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(langOf(html)).toBe("es");
    expect(html).toContain("Escribe una dirección de correo válida.");
    expect(html).toContain("El nombre de usuario debe empezar por una letra");
    expect(html).toContain("La contraseña debe tener al menos 8 caracteres.");
    // The same form in English still says it in English.
    const en = await new Client().post("/auth/register", { email: u.email, username: u.username, password: "short", password2: "short" }, EN);
    expect(await en.text()).toContain("Password must be at least 8 characters.");
  });

  it("a wrong password and the log-out flash are in Spanish", async () => {
    const me = await confirmedUser("flashes");
    const wrong = await new Client().post("/auth/login", { email: me.email, password: "wrong password!" }, ES);
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain("Correo electrónico o contraseña incorrectos.");
    const out = await me.client.post("/auth/logout", {}, ES);
    const { html } = await me.client.follow(out);
    expect(html).toContain("Has cerrado la sesión.");
  });
});

describe("mail in the recipient's language", () => {
  it("registering in Spanish sends the confirmation in Spanish", async () => {
    const u = uniqueUser("mailes");
    expect((await register(new Client(), u)).status).toBe(303);
    const english = await latestMailTo(u.email);
    expect(english?.subject).toContain("Confirm Your Account");

    const v = uniqueUser("mailes");
    const client = new Client();
    const res = await client.post("/auth/register", { email: v.email, username: v.username, password: v.password, password2: v.password }, ES);
    expect(res.status).toBe(303);
    const mail = await latestMailTo(v.email);
    expect(mail?.subject).toContain("Confirma tu cuenta");
    expect(mail?.text).toContain(`Hola, ${v.username}:`);
  });

  it("a member who chose Spanish gets the reset mail in Spanish whatever the browser asking for it says", async () => {
    const me = await confirmedUser("resetes");
    await me.client.post("/edit-profile", profileForm("es"), EN);
    await new Client().post("/auth/reset", { email: me.email }, EN);
    const mail = await latestMailTo(me.email);
    expect(mail?.subject).toContain("Restablece tu contraseña");
  });
});

describe("the edge cache and languages", () => {
  const app = createApp();
  const ON = { ...env, EDGE_CACHE_SECONDS: "30", EDGE_CACHE_STALE_SECONDS: "60" };
  async function visit(path: string, headers: Record<string, string>) {
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(new URL(path, ORIGIN), { headers }), ON as Env, ctx);
    const html = await res.text();
    await waitOnExecutionContext(ctx);
    return { html, state: (res.headers.get("Server-Timing") ?? "").match(/cache;desc="(\w+)"/)?.[1], vary: res.headers.get("Vary") };
  }

  it("never serves a Spanish page to an English reader, nor the reverse", async () => {
    const me = await confirmedUser("cachelang");
    const path = `/user/${me.username}`;
    const es1 = await visit(path, ES);
    const en1 = await visit(path, EN);
    expect([es1.state, en1.state]).toEqual(["miss", "miss"]);
    const es2 = await visit(path, { "Accept-Language": "es" });
    const en2 = await visit(path, {});
    expect([es2.state, en2.state]).toEqual(["hit", "hit"]);
    expect(langOf(es2.html)).toBe("es");
    expect(langOf(en2.html)).toBe("en");
    expect(es2.vary).toContain("Accept-Language");
  });
});

describe("every main page in Spanish", () => {
  it.each([
    ["/explore", "Todas las publicaciones de Roost"],
    ["/auth/login", "¿Olvidaste tu contraseña?"],
    ["/auth/register", "¿Ya tienes una cuenta?"],
    ["/auth/reset", "Restablece tu contraseña"],
  ])("%s for a visitor", async (path, spanish) => {
    const res = await new Client().get(path, ES);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(langOf(html)).toBe("es");
    expect(html).toContain(spanish);
    expect(html).toContain("Iniciar sesión");
  });

  it("the profile, post, follower list and a 404 for a visitor", async () => {
    const author = await confirmedUser("pageses");
    await author.client.post("/", { body: "Hola #mundo" });
    const postId = (await env.DB.prepare("SELECT id FROM posts WHERE author_id = ?").bind(author.id).first<{ id: number }>())!.id;
    const client = new Client();
    for (const [path, spanish] of [
      [`/user/${author.username}`, `Publicaciones de ${author.username}`],
      [`/post/${postId}`, `Publicación de ${author.username}`],
      [`/post/${postId}`, "para comentar."],
      [`/followers/${author.username}`, `Seguidores de ${author.username}`],
      ["/tags/mundo", "Publicaciones con la etiqueta #mundo"],
    ] as const) {
      const html = await (await client.get(path, ES)).text();
      expect(langOf(html)).toBe("es");
      expect(html, path).toContain(spanish);
    }
    const missing = await client.get("/no/such/page", ES);
    expect(missing.status).toBe(404);
    const html = await missing.text();
    expect(html).toContain("Página no encontrada");
    expect(html).toContain("Esa página no existe.");
  });

  it("a member's pages, flashes and dates", async () => {
    const me = await confirmedUser("memberes");
    await me.client.post("/edit-profile", profileForm("es"));
    for (const [path, spanish] of [
      ["/", `¡Hola, ${me.username}!`],
      ["/edit-profile", "Edita tu perfil"],
      ["/account", "Descargar mis datos"],
      ["/auth/change-password", "Cambia tu contraseña"],
      ["/auth/change-email", "Cambia tu dirección de correo"],
      [`/user/${me.username}`, "Miembro desde el"],
    ] as const) {
      const html = await (await me.client.get(path)).text();
      expect(langOf(html), path).toBe("es");
      expect(html, path).toContain(spanish);
      expect(html, path).toContain("Cerrar sesión");
    }
    const posted = await me.client.post("/", { body: "Mi primera publicación" });
    const { html } = await me.client.follow(posted);
    expect(html).toContain("Tu publicación se ha publicado.");
    // Relative and long dates through Intl in Spanish.
    expect(html).toMatch(/ahora mismo|hace \d+ (segundos|minutos?)/);
    const profile = await (await me.client.get(`/user/${me.username}`)).text();
    expect(profile).toMatch(/Miembro desde el \d{1,2} de [a-z]+ de \d{4}\./);
  });

  it("the JSON API stays in English whatever the browser says", async () => {
    const res = await new Client().get("/api/v1/no-such-thing", { ...ES, Accept: "application/json" });
    expect(res.headers.get("Content-Language")).toBeNull();
    expect(JSON.stringify(await res.json())).not.toMatch(/[áéíóúñ¿]/);
  });
});
