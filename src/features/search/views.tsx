// The search page: a form that works as a plain GET without JavaScript and, with htmx, searches while
// the person types (debounced; the address bar follows with hx-replace-url), and the results fragment
// that both the page and htmx requests render. Highlights come from lib/fts.ts markedToHtml (escaped).
import { raw } from "hono/html";
import { t } from "../../i18n";
import { MAX_QUERY_CHARS, markedToHtml } from "../../lib/fts";
import { AuthorName, ProfileLink } from "../../views/author";
import { Avatar } from "../../views/avatar";
import { RelTime } from "../../views/time";
import type { PersonHit, PostHit } from "./queries";
import { type HitsPage, type SearchResult, searchQuery } from "./service";

function PersonItem(props: { person: PersonHit }) {
  const p = props.person;
  return (
    <li class="person-hit">
      <span class="post-avatar">
        <Avatar user={p} size={40} />
      </span>
      <div>
        <ProfileLink username={p.username} class="post-author">
          {raw(markedToHtml(p.usernameMarked))}
        </ProfileLink>
        {p.nameMarked && <span class="muted"> {raw(markedToHtml(p.nameMarked))}</span>}
        {p.locationMarked && <span class="muted"> · {raw(markedToHtml(p.locationMarked))}</span>}
        {p.aboutSnippet && <p class="search-snippet">{raw(markedToHtml(p.aboutSnippet))}</p>}
      </div>
    </li>
  );
}

function PostHitItem(props: { post: PostHit; tz: string; now: number }) {
  const p = props.post;
  return (
    <li class="post search-hit" id={`post-${p.id}`}>
      <span class="post-avatar">
        <Avatar user={{ id: p.authorId, username: p.authorUsername, avatar: p.authorAvatar }} size={40} />
      </span>
      <div class="post-main">
        <div class="post-meta">
          <AuthorName author={p} />
          {" · "}
          <a href={`/post/${p.id}`} class="post-date">
            <RelTime ts={p.createdAt} tz={props.tz} now={props.now} />
          </a>
        </div>
        <p class="search-snippet">
          <a href={`/post/${p.id}`}>{raw(markedToHtml(p.snippet))}</a>
        </p>
      </div>
    </li>
  );
}

/**
 * Previous / next within a window of matches; past a window's last page, "Older matches" starts the next
 * window (its `before` cursor); from the first page of a later window, back to the newest matches.
 */
function ResultsPager(props: { r: SearchResult; hits: HitsPage<unknown> | null }) {
  const { r } = props;
  const more = !!props.hits?.more;
  const older = props.hits?.older ?? null;
  if (r.page === 1 && r.before === null && !more && older === null) return null;
  const at = (page: number, before: number | null) => `/search${searchQuery(r.q, r.kind, page, before)}`;
  return (
    <nav class="pager" aria-label={t("search.pages")}>
      {r.page > 1 ? (
        <a href={at(r.page - 1, r.before)} rel="prev">
          {t("search.previous")}
        </a>
      ) : r.before !== null ? (
        <a href={at(1, null)} rel="first">
          {t("search.newestMatches")}
        </a>
      ) : (
        <span />
      )}
      <span class="muted">{r.before === null ? t("pager.page", { page: r.page }) : t("search.olderMatchesPage", { page: r.page })}</span>
      {more ? (
        <a href={at(r.page + 1, r.before)} rel="next">
          {t("search.next")}
        </a>
      ) : older !== null ? (
        <a href={at(1, older)} rel="next">
          {t("search.olderMatches")}
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}

/** What htmx swaps into #search-results; the page renders the same. */
export function SearchResults(props: { r: SearchResult; tz: string; now: number }) {
  const { r } = props;
  if (!r.q) return <p class="muted">{t("search.prompt")}</p>;
  const people = r.people?.items ?? [];
  const posts = r.posts?.items ?? [];
  if (people.length === 0 && posts.length === 0) {
    return (
      <div class="empty-state">
        <p>{t("search.noResults", { q: r.q })}</p>
        {(r.page > 1 || r.before !== null) && <a href={`/search${searchQuery(r.q, r.kind, 1)}`}>{t("search.firstPage")}</a>}
      </div>
    );
  }
  return (
    <>
      {people.length > 0 && (
        <section aria-labelledby="people-results">
          <h2 id="people-results">{t("search.people")}</h2>
          <ul class="people-hits">
            {people.map((p) => (
              <PersonItem person={p} />
            ))}
          </ul>
          {r.kind === "all" && r.people?.more && <a href={`/search${searchQuery(r.q, "people", 1)}`}>{t("search.morePeople", { q: r.q })}</a>}
          {r.kind === "people" && <ResultsPager r={r} hits={r.people} />}
        </section>
      )}
      {r.kind === "all" && (
        <section aria-labelledby="post-results">
          <h2 id="post-results">{t("search.posts")}</h2>
          {posts.length === 0 ? (
            <p class="muted">{t("search.noPosts")}</p>
          ) : (
            <ol class="posts">
              {posts.map((p) => (
                <PostHitItem post={p} tz={props.tz} now={props.now} />
              ))}
            </ol>
          )}
          <ResultsPager r={r} hits={r.posts} />
        </section>
      )}
    </>
  );
}

export function SearchPage(props: { r: SearchResult; tz: string; now: number }) {
  const { r } = props;
  return (
    <>
      <h1>{t("search.title")}</h1>
      {/* hx-sync replace: a newer keystroke's request cancels the one still in flight, so results never arrive out of order. */}
      <search>
        <form
          class="search-form"
          method="get"
          action="/search"
          hx-get="/search"
          hx-trigger="input changed delay:300ms, search, submit"
          hx-target="#search-results"
          hx-replace-url="true"
          hx-sync="this:replace"
        >
          <label for="search-q">{t("search.label")}</label>
          <input id="search-q" type="search" name="q" value={r.q} maxlength={MAX_QUERY_CHARS} autocomplete="off" />
          {r.kind === "people" && <input type="hidden" name="type" value="people" />}
          <button type="submit">{t("search.button")}</button>
        </form>
      </search>
      <div id="search-results" aria-live="polite">
        <SearchResults {...props} />
      </div>
    </>
  );
}
