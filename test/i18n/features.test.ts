// Each feature's main page in Spanish (issue 12): with Accept-Language: es (or a member whose setting is es) the
// page's own words are Spanish and a few of its English strings are gone. English stays the default: each
// feature's own tests assert its English text.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { HOUR } from "../../src/config";
import { MailboxPage } from "../../src/features/dev/views";
import { sendDigests } from "../../src/features/notifications";
import { withLocale } from "../../src/i18n";
import { AVATAR_MAX_BYTES } from "../../src/lib/avatar";
import { confirmedUser } from "../helpers/accounts";
import { Client, ORIGIN } from "../helpers/client";
import { insertPost } from "../helpers/posts";
import { ownerWithSite, store, visit } from "../sites/helpers";

const ES = { "Accept-Language": "es-ES,es;q=0.9" };

/** The page's text: tags dropped, entities of quotes undone, whitespace collapsed. */
const textOf = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ");

async function spanishPage(res: Response): Promise<string> {
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Language")).toBe("es");
  return textOf(await res.text());
}

function expectNone(text: string, english: string[]) {
  for (const words of english) expect(text, words).not.toContain(words);
}

describe("messages in Spanish", () => {
  it("the conversations list, a thread and its form errors", async () => {
    const ana = await confirmedUser("esma");
    const bea = await confirmedUser("esmb");
    const empty = await spanishPage(await ana.client.get("/messages", ES));
    expect(empty).toContain("Aún no tienes mensajes.");
    expectNone(empty, ["No messages yet", "Send message"]);

    expect((await ana.client.post(`/messages/${bea.username}`, { body: "hola" }, ES)).status).toBe(303);
    const list = await spanishPage(await ana.client.get("/messages", ES));
    expect(list).toContain("Tú: hola");
    const thread = await spanishPage(await ana.client.get(`/messages/${bea.username}`, ES));
    expect(thread).toContain(`Mensajes con ${bea.username}`);
    expect(thread).toContain(`Nadie más que tú y ${bea.username} puede ver estos mensajes.`);
    expect(thread).toContain("Enviar");
    expectNone(thread, ["All messages", "Only you and", "You "]);

    const tooLong = await ana.client.post(`/messages/${bea.username}`, { body: "x".repeat(2001) }, ES);
    expect(tooLong.status).toBe(422);
    expect(await tooLong.text()).toContain("Los mensajes pueden tener como máximo 2000 caracteres.");
    const blank = await ana.client.post(`/messages/${bea.username}`, { body: "  " }, ES);
    expect(await blank.text()).toContain("Escribe un mensaje primero.");
    const self = await ana.client.get(`/messages/${ana.username}`, ES);
    expect(self.status).toBe(400);
    expect(await self.text()).toContain("No puedes enviarte mensajes a ti.");
  });
});

describe("notifications in Spanish", () => {
  it("groups people with Spanish plurals and conjugates the verb for one or many", async () => {
    const author = await confirmedUser("esna");
    const fans = await Promise.all([confirmedUser("esn1"), confirmedUser("esn2"), confirmedUser("esn3")]);
    const postId = await insertPost(author.id, "un pensamiento", Date.now());
    expect((await fans[0]!.client.post(`/post/${postId}/like`)).status).toBe(303);
    expect((await fans[0]!.client.post(`/follow/${author.username}`)).status).toBe(303);
    const one = await spanishPage(await author.client.get("/notifications", ES));
    expect(one).toContain(`A ${fans[0]!.username} le gustó tu publicación: «un pensamiento»`);
    expect(one).toContain(`${fans[0]!.username} empezó a seguirte`);
    expect(one).toContain("Elige qué notificaciones te llegan también por correo");
    expectNone(one, ["liked your post", "followed you", "Choose which notifications"]);

    for (const fan of fans.slice(1)) expect((await fan.client.post(`/post/${postId}/like`)).status).toBe(303);
    const many = await spanishPage(await author.client.get("/notifications", ES));
    // The first like was read with the page, so the two new ones start a group of their own.
    expect(many).toContain(`A ${fans[2]!.username} y 1 persona más les gustó tu publicación: «un pensamiento»`);

    const settings = await spanishPage(await author.client.get("/notifications/settings", ES));
    expect(settings).toContain("Envíame también un correo cada hora cuando");
    expect(settings).toContain("A alguien le gusta tu publicación");
    expectNone(settings, ["Someone likes your post", "Also send me"]);
  });

  it("the digest is in the recipient's language, counted with Spanish plurals", async () => {
    const member = await confirmedUser("esnd");
    await env.DB.prepare("UPDATE users SET locale = 'es' WHERE id = ?").bind(member.id).run();
    expect((await member.client.post("/notifications/settings", { mail_follow: "y" })).status).toBe(303);
    for (const prefix of ["esdf1", "esdf2"]) {
      const fan = await confirmedUser(prefix);
      expect((await fan.client.post(`/follow/${member.username}`)).status).toBe(303);
    }
    await sendDigests(env, Date.now() + HOUR);
    const mail = await env.DB.prepare(`SELECT subject, text FROM mail_outbox WHERE "to" = ? AND kind = 'notification_digest'`)
      .bind(member.email)
      .first<{ subject: string; text: string }>();
    expect(mail?.subject).toBe("[Roost] 1 notificación nueva");
    expect(mail?.text).toMatch(/y 1 persona más empezaron a seguirte\./);
    expect(mail?.text).toContain(`Hola, ${member.username}:`);
    expect(mail?.text).toContain("Recibes este correo porque lo elegiste.");
    expect(mail?.text).not.toContain("followed you");
  });
});

describe("search in Spanish", () => {
  it("the form, the prompt and the empty result", async () => {
    const client = new Client();
    const blank = await spanishPage(await client.get("/search", ES));
    expect(blank).toContain("Buscar publicaciones y personas");
    expect(blank).toContain("Escribe una palabra para encontrar publicaciones y personas.");
    expectNone(blank, ["Search posts and people", "Type a word"]);
    const none = await spanishPage(await client.get("/search?q=zzqqxxnothing", ES));
    expect(none).toContain("No hay resultados para «zzqqxxnothing».");
    expect(none).not.toContain("No results for");
  });
});

describe("blocks in Spanish", () => {
  it("the button, the flash and the refusals", async () => {
    const ana = await confirmedUser("esba");
    const ben = await confirmedUser("esbb");
    const profile = await spanishPage(await ana.client.get(`/user/${ben.username}`, ES));
    expect(profile).toContain("Bloquear");
    const blocked = await ana.client.post(`/block/${ben.username}`, {}, { ...ES, "HX-Request": "true", "HX-Request-Type": "partial" });
    expect(blocked.status).toBe(200);
    const text = textOf(await blocked.text());
    expect(text).toContain(`Has bloqueado a ${ben.username}. No se le avisa.`);
    expect(text).toContain(`Desbloquear a ${ben.username}`);
    const again = await ana.client.post(`/block/${ben.username}`, {}, ES);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain(`Ya has bloqueado a ${ben.username}.`);
    const self = await ana.client.post(`/block/${ana.username}`, {}, ES);
    expect(await self.text()).toContain("No puedes bloquearte a ti.");
    const account = await spanishPage(await ana.client.get("/account", ES));
    expect(account).toContain("Miembros bloqueados");
    expectNone(account, ["Blocked members", "Nobody is told"]);
  });
});

describe("a blocked member's post in Spanish", () => {
  it("the notice and its Unblock button", async () => {
    const ana = await confirmedUser("esbpa");
    const ben = await confirmedUser("esbpb");
    const postId = await insertPost(ben.id, "un secreto", Date.now());
    expect((await ana.client.post(`/block/${ben.username}`, {}, ES)).status).toBe(303);
    const notice = await spanishPage(await ana.client.get(`/post/${postId}`, ES));
    expect(notice).toContain(`Publicación de ${ben.username}`);
    expect(notice).toContain(`Has bloqueado a ${ben.username}, así que sus publicaciones están ocultas para ti.`);
    expect(notice).toContain(`Desbloquear a ${ben.username}`);
    expectNone(notice, ["un secreto", "You blocked", "Post by", "Unblock"]);
  });
});

describe("federation's pages in Spanish", () => {
  it("the remote servers page, its form errors and flashes, for an Administrator", { timeout: 30_000 }, async () => {
    const admin = await confirmedUser("esfa", { role: "Administrator" });
    const empty = await spanishPage(await admin.client.get("/admin/servers", ES));
    expect(empty).toContain("Servidores remotos");
    expect(empty).toContain("Bloquear un servidor");
    expect(empty).toContain("Motivo (opcional, solo lo ven los Administradores)");
    expect(empty).toContain("Ningún servidor remoto ha entregado nada todavía.");
    expectNone(empty, ["Remote servers", "Block a server", "Blocked servers", "Servers Roost talks to", "No server is blocked"]);

    const errors: [Record<string, string>, number, string][] = [
      [{ host: "" }, 422, "Escribe el servidor que quieres bloquear."],
      [{ host: "not a host!" }, 422, "Escribe el nombre de host de un servidor, como mastodon.example."],
      [{ host: `${"a".repeat(250)}.example` }, 422, "Un nombre de host tiene como máximo 253 caracteres."],
      [{ host: "long.example", reason: "x".repeat(501) }, 422, "El motivo puede tener como máximo 500 caracteres."],
    ];
    for (const [form, status, message] of errors) {
      const res = await admin.client.post("/admin/servers/block", form, ES);
      expect(res.status, message).toBe(status);
      expect(textOf(await res.text())).toContain(message);
    }

    expect((await admin.client.post("/admin/servers/block", { host: "malo.example", reason: "spam" }, ES)).status).toBe(303);
    const listed = await spanishPage(await admin.client.get("/admin/servers", ES));
    expect(listed).toContain("Has bloqueado malo.example y sus subdominios.");
    expect(listed).toContain("Servidores bloqueados");
    expect(listed).toContain("Desbloquear");
    expect(listed).toContain("Motivo");
    const again = await admin.client.post("/admin/servers/block", { host: "malo.example" }, ES);
    expect(again.status).toBe(409);
    expect(textOf(await again.text())).toContain("malo.example ya está bloqueado.");

    expect((await admin.client.post("/admin/servers/unblock", { host: "malo.example" }, ES)).status).toBe(303);
    expect(await spanishPage(await admin.client.get("/admin/servers", ES))).toContain("Has desbloqueado malo.example.");
    const missing = await admin.client.post("/admin/servers/unblock", { host: "malo.example" }, ES);
    expect(missing.status).toBe(404);
    expect(textOf(await missing.text())).toContain("Ese servidor no está bloqueado.");
    const get = await admin.client.get("/admin/servers/block", ES);
    expect(get.status).toBe(405);
    expect(textOf(await get.text())).toContain("Usa el botón del formulario para hacer esto.");
  });

  it("the account page's fediverse section and its flashes", { timeout: 30_000 }, async () => {
    const me = await confirmedUser("esfl");
    const member = await spanishPage(await me.client.get("/account", ES));
    expect(member).toContain("El fediverso");
    expect(member).toContain("La gente de Mastodon y otros servidores del fediverso puede encontrarte como");
    expect(member).toContain("Salir del fediverso");
    expectNone(member, ["The fediverse", "Leave the fediverse", "People on Mastodon"]);

    expect((await me.client.post("/account/fediverse", { choice: "leave" }, ES)).status).toBe(303);
    const left = await spanishPage(await me.client.get("/account", ES));
    expect(left).toContain("Has salido del fediverso: otros servidores ya no encuentran ni siguen tu cuenta.");
    expect(left).toMatch(/Dejaste el fediverso .+: la gente de Mastodon y otros servidores no puede encontrar ni seguir a /);
    expect(left).toContain("Volver al fediverso");
    expectNone(left, ["You left", "Rejoin the fediverse"]);

    expect((await me.client.post("/account/fediverse", { choice: "leave" }, ES)).status).toBe(303);
    expect(await spanishPage(await me.client.get("/account", ES))).toContain("Ya habías salido del fediverso.");
    const bad = await me.client.post("/account/fediverse", { choice: "maybe" }, ES);
    expect(bad.status).toBe(422);
    expect(textOf(await bad.text())).toContain("Elige salir del fediverso o volver a él.");
    expect((await me.client.post("/account/fediverse", { choice: "rejoin" }, ES)).status).toBe(303);
    expect(await spanishPage(await me.client.get("/account", ES))).toContain("Has vuelto al fediverso");
  });
});

describe("upload and form errors in Spanish", () => {
  const upload = (client: Client, bytes: Uint8Array | null) => {
    const body = new FormData();
    if (bytes) body.set("avatar", new File([bytes], "me.png", { type: "image/png" }));
    return client.fetch("/edit-profile/avatar", { method: "POST", body, headers: { Origin: ORIGIN, ...ES } });
  };

  it("an avatar that is missing, not a picture or too large; an over-large or malformed form", { timeout: 30_000 }, async () => {
    const me = await confirmedUser("esav");
    const cases: [Uint8Array | null, number, string][] = [
      [null, 422, "Elige una imagen para subirla."],
      [new TextEncoder().encode("GIF89a"), 415, "Ese archivo no es una imagen PNG, JPEG ni WebP."],
      [new Uint8Array(AVATAR_MAX_BYTES + 1), 413, "Esa imagen es demasiado grande: como máximo 1 MB."],
      [new Uint8Array(2 * AVATAR_MAX_BYTES), 413, "Esa imagen es demasiado grande: como máximo 1 MB."],
    ];
    for (const [bytes, status, message] of cases) {
      const res = await upload(me.client, bytes);
      expect(res.status, message).toBe(status);
      const text = textOf(await res.text());
      expect(text).toContain(message);
      expectNone(text, ["Choose a picture", "not a PNG", "too large"]);
    }
    const big = await me.client.post("/edit-profile", { name: "x", location: "", about_me: "a".repeat(70 * 1024) }, ES);
    expect(big.status).toBe(413);
    expect(await big.text()).toContain("Esa solicitud es demasiado grande.");
    const forms: [string, string, string][] = [
      ["application/json", "{}", "Este formulario debe enviarse como formulario web."],
      ["application/x-www-form-urlencoded; charset=iso-8859-1", "body=caf%E9", "Este formulario debe enviarse en UTF-8."],
      ["application/x-www-form-urlencoded", "body=%ZZ", "Los datos de este formulario están mal formados o incompletos."],
    ];
    for (const [type, body, message] of forms) {
      const res = await me.client.fetch("/edit-profile", { method: "POST", body, headers: { Origin: ORIGIN, "Content-Type": type, ...ES } });
      expect(res.status, message).toBe(400);
      expect(await res.text()).toContain(message);
    }
  });
});

describe("about, privacy and the front page in Spanish", () => {
  it("says what Roost is and what it stores", async () => {
    const client = new Client();
    const front = await client.get("/", ES);
    const home = await spanishPage(front);
    expect(home).toContain("Tu propio blog, entre amigos.");
    expect(home).toContain("Crea tu blog");
    expectNone(home, ["Your own blog, among friends", "Create your blog", "I already have an account"]);
    const about = await spanishPage(await client.get("/about", ES));
    expect(about).toMatch(/Acerca de \w+/);
    expect(about).toContain("Todo lo que puedes hacer aquí también puedes hacerlo con la API JSON");
    expectNone(about, ["For developers", "Register, confirm your email"]);
    const privacy = await spanishPage(await client.get("/privacy", ES));
    expect(privacy).toContain("Sesiones y cookies");
    expect(privacy).toMatch(/Con la sesión iniciada, Tus datos descarga en JSON todo lo que \w+ guarda sobre ti/);
    expectNone(privacy, ["What you write", "Sessions and cookies", "Site analytics"]);
  });
});

describe("the development mailbox in Spanish", () => {
  it("labels its fields", () => {
    // Rendered inside the scope: nested components render when the page is turned into text.
    const html = withLocale("es", () =>
      String(
        MailboxPage({
          mails: [{ id: 1, to: "a@example.com", kind: "confirm", subject: "x", text: "y", status: "failed", attempts: 3, lastError: "boom", createdAt: 0 }],
          limit: 50,
        }),
      ),
    );
    const text = textOf(html);
    for (const words of ["Buzón de desarrollo", "Para", "Estado", "(3 intentos)", "Último error", "también en JSON"]) expect(text).toContain(words);
    expectNone(text, ["Development mailbox", "Last error", "attempts"]);
  });
});

describe("site analytics in Spanish", () => {
  it("the sites list, the report with its panels, filters and chart, and the form errors", async () => {
    const { u, site } = await ownerWithSite("essite");
    await store([visit(site.id, { ts: Date.now() - 60_000, path: "/hola" }), visit(site.id, { ts: Date.now() - 120_000, path: "/hola" })]);
    const list = await spanishPage(await u.client.get("/sites", ES));
    expect(list).toContain("Tus sitios");
    expect(list).toContain("Añadir un sitio");
    expectNone(list, ["Your sites", "Add a site", "Base URL"]);

    const report = await spanishPage(await u.client.get(`/sites/${site.id}?period=7d&f=country:is:NZ`, ES));
    for (const words of [
      "Visitantes únicos",
      "Páginas principales",
      "Tasa de rebote",
      "País es Nueva Zelanda",
      "Añadir filtro",
      "Fragmento de seguimiento",
      "Páginas vistas y visitantes por día",
      "Mostrar el periodo anterior en el gráfico",
      "Hoy",
      "Zona horaria",
    ]) {
      expect(report, words).toContain(words);
    }
    expectNone(report, ["Unique visitors", "Top pages", "Bounce rate", "Add filter", "Tracking snippet", "Pageviews and visitors", "Time zone"]);

    const bad = await u.client.post("/sites", { name: "", base_url: "ftp://x.example" }, ES);
    expect(bad.status).toBe(422);
    const errors = textOf(await bad.text());
    expect(errors).toContain("Escribe un nombre para el sitio.");
    expect(errors).toContain("Solo se pueden seguir direcciones http:// y https://.");
    const badFilter = await u.client.get(`/sites/${site.id}?f=planet:is:Mars`, ES);
    expect(badFilter.status).toBe(400);
    expect(textOf(await badFilter.text())).toContain("No existe la dimensión «planet» para filtrar.");
  });
});

describe("goals and sharing in Spanish", () => {
  it("the goals page, its errors and flash; the sharing page and a protected link", async () => {
    const { u, site } = await ownerWithSite("esgoal");
    const goals = await spanishPage(await u.client.get(`/sites/${site.id}/goals`, ES));
    for (const words of ["Objetivos y embudos de", "Aún no hay objetivos.", "Añadir objetivo", "Añade al menos 2 objetivos para crear un embudo."]) {
      expect(goals, words).toContain(words);
    }
    expectNone(goals, ["No goals yet", "Add goal", "Funnels"]);
    const bad = await u.client.post(`/sites/${site.id}/goals`, { kind: "page", value: "" }, ES);
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("Escribe la ruta de una página, como /pricing o /blog/*.");
    expect((await u.client.post(`/sites/${site.id}/goals`, { kind: "event", value: "signup" }, ES)).status).toBe(303);
    expect(await spanishPage(await u.client.get(`/sites/${site.id}/goals`, ES))).toContain("Objetivo añadido: Evento signup.");

    const sharing = await spanishPage(await u.client.get(`/sites/${site.id}/sharing`, ES));
    for (const words of ["Compartir", "Informe público", "Enlaces de solo lectura", "Aún no hay enlaces.", "Crear enlace"])
      expect(sharing, words).toContain(words);
    expectNone(sharing, ["Public report", "Read-only links", "Create link"]);
    const short = await u.client.post(`/sites/${site.id}/shares`, { label: "", password: "short" }, ES);
    expect(short.status).toBe(422);
    expect(await short.text()).toContain("Una contraseña debe tener al menos 8 caracteres (o déjala vacía).");
  });
});

describe("feeds in Spanish", () => {
  it("titles the Explore feed and answers an unknown member in the reader's language", async () => {
    const client = new Client();
    const feed = await client.get("/explore/feed.atom", ES);
    expect(feed.status).toBe(200);
    const xml = await feed.text();
    expect(xml).toMatch(/<title type="text">Explorar \w+<\/title>/);
    expect(xml).not.toContain("The newest posts on");
    const missing = await client.get("/user/nobody-here-at-all/feed.atom", ES);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("No hay ningún usuario con ese nombre.");
  });
});

describe("the API documentation page in Spanish", () => {
  it("has Spanish headings; the API's own document stays English", async () => {
    const page = await spanishPage(await new Client().get("/api", ES));
    for (const words of ["Inicio rápido", "Errores", "Esquemas", "Cuerpo de la solicitud", "Pruébalo", "Autenticación:"]) expect(page, words).toContain(words);
    expectNone(page, ["Quick start", "Try it", "Request body"]);
  });
});
