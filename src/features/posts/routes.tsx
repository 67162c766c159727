// Home page. The feeds (All / Followed) arrive with the social-core work; for now it greets the reader.
import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { renderPage } from "../../views/render";

export const postRoutes = new Hono<AppEnv>();

postRoutes.get("/", (c) => {
  const user = c.get("user");
  return renderPage(
    c,
    { title: "" },
    <section>
      <h1>Hello, {user ? user.username : "Stranger"}!</h1>
      {!user && (
        <p>
          <a href="/auth/login">Log in</a> or <a href="/auth/register">register</a> to write posts and follow people.
        </p>
      )}
    </section>,
  );
});
