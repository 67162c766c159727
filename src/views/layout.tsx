// The page shell: head, navigation (what the current user may do), flash messages, main content, footer.
import type { Context } from "hono";
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { WebEnv } from "../env";
import { currentLocale, t } from "../i18n";
import type { Flash } from "../views/flash";
import { Footer } from "./footer";
import { Nav } from "./nav";
import { titleWithUnread } from "./notification-badge";

export function Layout(props: { c: Context<WebEnv>; title: string; flashes: Flash[]; head?: Child; children: Child }) {
  const { c } = props;
  const appName = c.get("config").appName;
  const user = c.get("user");
  // The unread count shows where the nav shows its badge: confirmed members only.
  const unread = user?.confirmed ? user.unreadNotifications : 0;
  return (
    <>
      {raw("<!doctype html>")}
      {/* data-just-now: public/app.js's words for a time under 45 s old, in this page's language. */}
      <html lang={currentLocale()} data-just-now={t("time.justNow")}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{titleWithUnread(props.title ? `${props.title} · ${appName}` : appName, unread)}</title>
          <link rel="stylesheet" href="/app.css" />
          <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
          {/* htmx would otherwise add its indicator CSS as a constructed stylesheet; app.css has it. */}
          <meta name="htmx-config" content='{"includeIndicatorCSS": false}' />
          <script src="/htmx.min.js" defer></script>
          <script src="/ui.js" defer></script>
          <script src="/app.js" defer></script>
          {props.head}
        </head>
        <body hx-boost:inherited="true">
          <a class="skip-link" href="#main">
            {t("layout.skipToContent")}
          </a>
          <Nav c={c} appName={appName} />
          <main id="main">
            <div class="flashes" role="status" aria-live="polite">
              {props.flashes.map((f) => (
                <p class={`flash flash-${f.kind}`}>{f.text}</p>
              ))}
            </div>
            {props.children}
          </main>
          <Footer c={c} appName={appName} />
        </body>
      </html>
    </>
  );
}
