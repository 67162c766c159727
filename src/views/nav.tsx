// Site navigation: links shown depend on who is logged in and what their role allows.
import type { Context } from "hono";
import type { WebEnv } from "../env";
import { can, Permission } from "../lib/permissions";

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
          {can(user, Permission.MODERATE) && (
            <li>
              <a href="/moderate">Moderate</a>
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
