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

import { t } from "../i18n";
import { NotificationBadge } from "./notification-badge";

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
                <li>
                  <a href="/posts/stats" aria-current={props.c.req.path === "/posts/stats" ? "page" : undefined}>
                    {t("nav.yourPosts")}
                  </a>
                </li>
                <li>
                  <a href="/auth/change-password">{t("nav.changePassword")}</a>
                </li>
                <li>
                  <a href="/auth/change-email">{t("nav.changeEmail")}</a>
                </li>
                <li>
                  <a href="/account">{t("nav.yourData")}</a>
                </li>
                {can(user, Permission.ADMIN) && (
                  <li>
                    <a href="/admin/servers">{t("nav.remoteServers")}</a>
                  </li>
                )}
                <li class="menu-separator">
                  <form method="post" action="/auth/logout">
                    <button type="submit">{t("nav.logOut")}</button>
                  </form>
                </li>
              </Menu>
            </li>
          ) : (
            <>
              <li>
                <a href="/auth/login">{t("nav.logIn")}</a>
              </li>
              <li>
                <a href="/auth/register">{t("nav.register")}</a>
              </li>
            </>
          )}
        </ul>
      </nav>
    </header>
  );
}
