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
      <nav aria-label="Main">
        <a class="brand" href="/">
          {props.appName}
        </a>
        <ul class="nav-links">
          <li>
            <a href="/" aria-current={current("/")}>
              Home
            </a>
          </li>
          <li>
            <a href="/explore" aria-current={current("/explore")}>
              Explore
            </a>
          </li>
          {user && (
            <li>
              <a href={profile} aria-current={current(profile)}>
                Profile
              </a>
            </li>
          )}
          {user && (
            <li>
              <a href="/sites" aria-current={current("/sites")}>
                Sites
              </a>
            </li>
          )}
          {user?.confirmed && (
            <li>
              <a href="/notifications">Notifications</a> <NotificationBadge unread={user.unreadNotifications} />
            </li>
          )}
          {user?.confirmed && (
            <li>
              <a href="/messages">Messages</a>
              {user.unreadConversations > 0 && (
                <span class="nav-count">
                  <span class="badge">
                    {user.unreadConversations}
                    <span class="visually-hidden"> unread</span>
                  </span>
                </span>
              )}
            </li>
          )}
          {can(user, Permission.MODERATE) && (
            <li>
              <a href="/moderate" aria-current={current("/moderate")}>
                Moderate
              </a>
            </li>
          )}
          <li>
            <search>
              <form class="nav-search" method="get" action="/search">
                <input type="search" name="q" aria-label="Search posts and people" placeholder="Search" maxlength={200} />
              </form>
            </search>
          </li>
        </ul>
        <ul class="nav-account">
          {user ? (
            <li>
              <Menu label="Account" class="account-menu">
                <li>
                  <a href="/posts/stats" aria-current={props.c.req.path === "/posts/stats" ? "page" : undefined}>
                    Your Posts
                  </a>
                </li>
                <li>
                  <a href="/auth/change-password">Change Password</a>
                </li>
                <li>
                  <a href="/auth/change-email">Change Email</a>
                </li>
                <li>
                  <a href="/account">Your Data</a>
                </li>
                {can(user, Permission.ADMIN) && (
                  <li>
                    <a href="/admin/servers">Remote Servers</a>
                  </li>
                )}
                <li class="menu-separator">
                  <form method="post" action="/auth/logout">
                    <button type="submit">Log Out</button>
                  </form>
                </li>
              </Menu>
            </li>
          ) : (
            <>
              <li>
                <a href="/auth/login">Log In</a>
              </li>
              <li>
                <a href="/auth/register">Register</a>
              </li>
            </>
          )}
        </ul>
      </nav>
    </header>
  );
}
