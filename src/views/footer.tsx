// The footer on every page: what Roost is, the API reference, what it stores (privacy) and where its code is.
import type { Context } from "hono";
import type { WebEnv } from "../env";

export function Footer(props: { c: Context<WebEnv>; appName: string }) {
  const source = props.c.get("config").sourceUrl || "/about#source";
  return (
    <footer class="site-footer">
      <div>
        <p>{props.appName}: your own blog, your followers, no tracking.</p>
        <nav aria-label="Footer">
          <ul>
            <li>
              <a href="/about">About</a>
            </li>
            <li>
              <a href="/api">API</a>
            </li>
            <li>
              <a href="/privacy">Privacy</a>
            </li>
            <li>
              <a href={source}>Source</a>
            </li>
          </ul>
        </nav>
      </div>
    </footer>
  );
}
