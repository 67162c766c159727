// Site navigation: links shown depend on who is logged in and what their role allows. The link for the
// section you are in carries aria-current="page"; the account actions sit in a Menu at the header's right edge.
import type { Context } from "hono";
import type { WebEnv } from "../env";
import { can, Permission } from "../lib/permissions";
import { Menu } from "./ui/menu";

/** The nav link a path belongs to ("/post/3" is under Home, "/followers/x" under nobody). */
function section(path: string): string | undefined {
  if (path === "/" || path === "/all" || path === "/followed") return "/";
  return ["/explore", "/sites", "/moderate", "/user/"].find((p) => path === p || path.startsWith(p.endsWith("/") ? p : `${p}/`));
}

import { type PlainKey, t } from "../i18n";
import { NotificationBadge } from "./notification-badge";

/** A plain link in the account menu or the logged-out list; `marked`: it carries aria-current on its own page. */
type LinkItem = { href: string; key: PlainKey; marked?: boolean };

const ACCOUNT_LINKS: LinkItem[] = [
  { href: "/posts/stats", key: "nav.yourPosts", marked: true },
  { href: "/auth/change-password", key: "nav.changePassword" },
  { href: "/auth/change-email", key: "nav.changeEmail" },
  { href: "/account", key: "nav.yourData" },
];
const ADMIN_LINK: LinkItem = { href: "/admin/servers", key: "nav.remoteServers" };
const LOGGED_OUT_LINKS: LinkItem[] = [
  { href: "/auth/login", key: "nav.logIn" },
  { href: "/auth/register", key: "nav.register" },
];

function LinkItems(props: { links: LinkItem[]; path: string }) {
  return (
    <>
      {props.links.map((l) => (
        <li>
          <a href={l.href} aria-current={l.marked && props.path === l.href ? "page" : undefined}>
            {t(l.key)}
          </a>
        </li>
      ))}
    </>
  );
}

export function Nav(props: { c: Context<WebEnv>; appName: string }) {
  const user = props.c.get("user");
  const here = section(props.c.req.path);
  const profile = user ? `/user/${encodeURIComponent(user.username)}` : "";
  const current = (href: string) => {
    const isCurrent = href === profile ? props.c.req.path === profile : here === href;
    return isCurrent ? ("page" as const) : undefined;
  };
  return (
    <header class="site-header">
      <nav aria-label={t("nav.main")}>
        <a class="brand" href="/">
          {props.appName}
        </a>
        <ul class="nav-links">
          <li>
            <a href="/" aria-current={current("/")}>
              {t("nav.home")}
            </a>
          </li>
          <li>
            <a href="/explore" aria-current={current("/explore")}>
              {t("nav.explore")}
            </a>
          </li>
          {user && (
            <li>
              <a href={profile} aria-current={current(profile)}>
                {t("nav.profile")}
              </a>
            </li>
          )}
          {user && (
            <li>
              <a href="/sites" aria-current={current("/sites")}>
                {t("nav.sites")}
              </a>
            </li>
          )}
          {user?.confirmed && (
            <li>
              <a href="/notifications">{t("nav.notifications")}</a> <NotificationBadge unread={user.unreadNotifications} />
            </li>
          )}
          {user?.confirmed && (
            <li>
              <a href="/messages">{t("nav.messages")}</a>
              {user.unreadConversations > 0 && (
                <span class="nav-count">
                  <span class="badge">
                    {user.unreadConversations}
                    <span class="visually-hidden"> {t("nav.unread")}</span>
                  </span>
                </span>
              )}
            </li>
          )}
          {can(user, Permission.MODERATE) && (
            <li>
              <a href="/moderate" aria-current={current("/moderate")}>
                {t("nav.moderate")}
              </a>
            </li>
          )}
          <li>
            <search>
              <form class="nav-search" method="get" action="/search">
                <input type="search" name="q" aria-label={t("nav.searchLabel")} placeholder={t("nav.search")} maxlength={200} />
              </form>
            </search>
          </li>
        </ul>
        <ul class="nav-account">
          {user ? (
            <li>
              <Menu label={t("nav.account")} class="account-menu">
                <LinkItems links={can(user, Permission.ADMIN) ? [...ACCOUNT_LINKS, ADMIN_LINK] : ACCOUNT_LINKS} path={props.c.req.path} />
                <li class="menu-separator">
                  <form method="post" action="/auth/logout">
                    <button type="submit">{t("nav.logOut")}</button>
                  </form>
                </li>
              </Menu>
            </li>
          ) : (
            <LinkItems links={LOGGED_OUT_LINKS} path={props.c.req.path} />
          )}
        </ul>
      </nav>
    </header>
  );
}
