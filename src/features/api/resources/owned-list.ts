// The handlers of list endpoints: a page of what one user or post owns (/users/{id}/posts/, /posts/{id}/comments/,
// …; 404 when the owner does not exist), or of everything (/posts/, /comments/): the page under its key, with
// prev/next links on the list's URL. Each load is told who is asking: blocks hide posts, comments and people
// from the caller, as on the web (features/blocks).
import type { z } from "zod";
import type { Db } from "../../../db";
import type { OwnedPage, PageRequest } from "../../../lib/pagination";
import { type ApiContext, linksOf } from "../context";
import { listEndpoint, type Tag } from "../endpoint";
import { ApiError } from "../errors";
import { examples } from "../examples";
import { listJson } from "../serializers";

type Links = ReturnType<typeof linksOf>;

export function ownedList<K extends string, T, J>(spec: {
  key: K;
  /** The 404's message: the owner named in the path does not exist. */
  missing: string;
  load: (db: Db, id: number, page: PageRequest, callerId: number | null) => Promise<OwnedPage<T>>;
  url: (l: Links, id: number) => string;
  json: (l: Links, item: T) => J;
}) {
  return async (c: ApiContext, { id, page }: { id: number; page: PageRequest }) => {
    const l = linksOf(c);
    const list = await spec.load(c.get("db"), id, page, c.get("user")?.id ?? null);
    if (!list.found) throw new ApiError(404, spec.missing);
    return c.json(listJson(spec.key, list, spec.url(l, id), (x) => spec.json(l, x)));
  };
}

export function everyoneList<K extends string, T, J>(spec: {
  key: K;
  load: (db: Db, page: PageRequest, callerId: number | null) => Promise<OwnedPage<T>>;
  url: (l: Links) => string;
  json: (l: Links, item: T) => J;
}) {
  return async (c: ApiContext, { page }: { page: PageRequest }) => {
    const l = linksOf(c);
    const list = await spec.load(c.get("db"), page, c.get("user")?.id ?? null);
    return c.json(listJson(spec.key, list, spec.url(l), (x) => spec.json(l, x)));
  };
}

/** The lists of everything: each one's tag, what one item is called, and its example's name in examples.ts. */
const EVERYONE_LISTS = {
  posts: { tag: "Posts", item: "post", example: "postList" },
  comments: { tag: "Comments", item: "comment", example: "commentList" },
} satisfies Record<string, { tag: Tag; item: string; example: keyof ReturnType<typeof examples> }>;

/**
 * The endpoint of such a list, `/posts/` or `/comments/` (`listPosts`, `listComments`, "Every post, newest
 * first"): path, operation id, tag, summary, example and handler follow from the key; the page's schema and
 * the description are each list's own.
 */
export function everyoneListEndpoint<K extends keyof typeof EVERYONE_LISTS, T, J>(
  key: K,
  schema: z.ZodType,
  load: (db: Db, page: PageRequest, callerId: number | null) => Promise<OwnedPage<T>>,
  json: (l: Links, item: T) => J,
  doc: { description: string },
) {
  const { tag, item, example } = EVERYONE_LISTS[key];
  const list = { description: `A page of ${key}.`, schema, example: (l: Links) => examples(l)[example] };
  return listEndpoint(`/${key}/`, `list${tag}`, tag, {
    summary: `Every ${item}, newest first`,
    ...doc,
    list,
    handler: everyoneList({ key, load, url: (l) => l[key], json }),
  });
}
