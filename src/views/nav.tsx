// Site navigation: links shown depend on who is logged in and what their role allows.
import type { Context } from "hono";
import type { WebEnv } from "../env";
import { can, Permission } from "../lib/permissions";
import { NotificationBadge } from "./notification-badge";

export function Nav(props: { c: Context<WebEnv>; appName: string }) {
  const user = props.c.get("user");
  return (
    <header class="site-header">
      <nav aria-label="Main">
        <a class="brand" href="/">
          {props.appName}
        </a>
        <ul class="nav-links">
          <li>
            <a href="/">Home</a>
          </li>
          <li>
            <a href="/explore">Explore</a>
          </li>
          {user && (
            <li>
              <a href={`/user/${encodeURIComponent(user.username)}`}>Profile</a>
            </li>
          )}
          {user && (
            <li>
              <a href="/sites">Sites</a>
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
              <a href="/moderate">Moderate</a>
            </li>
          )}
        </ul>
        <ul class="nav-account">
          {user ? (
            <li>
              <details class="account-menu">
                <summary>Account</summary>
                <ul>
                  <li>
                    <a href="/auth/change-password">Change Password</a>
                  </li>
                  <li>
                    <a href="/auth/change_email">Change Email</a>
                  </li>
                  <li>
                    <a href="/account">Your Data</a>
                  </li>
                  <li>
                    <form method="post" action="/auth/logout">
                      <button type="submit" class="link-button">
                        Log Out
                      </button>
                    </form>
                  </li>
                </ul>
              </details>
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
