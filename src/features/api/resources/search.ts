// /search: posts and people, found as the site's /search finds them (features/search: the same safe FTS
// query, ranking and numbered pages). A blank or missing q is a 400; text without words finds nothing.
import { parseBefore, SEARCH_WINDOW, search } from "../../search";
import { linksOf } from "../context";
import { endpoint } from "../endpoint";
import { examples } from "../examples";
import { SearchQuery, SearchResults } from "../schemas";
import { searchResultsJson } from "../serializers";

export const searchEndpoints = [
  endpoint("GET", "/search", "search", "Search", {
    summary: "Search posts and people",
    description: `Ranked best first among the newest ${SEARCH_WINDOW} matches; \`next\` then continues with the older ones (\`before\`). Your words are looked up as plain words (no search operators: quotes, \`AND\`, \`*\` and the like are ignored as punctuation), the last one as a prefix. A q of only punctuation finds nothing; a blank q is a 400.`,
    query: SearchQuery,
    responses: { 200: { description: "A page of results.", schema: SearchResults, example: (l) => examples(l).searchResults } },
    handler: async (c, { query, user }) => {
      const result = await search(
        c.get("db"),
        { q: query.q, kind: query.type ?? "all", page: Number(query.page ?? 1), before: query.type === "people" ? null : parseBefore(query.before) },
        user?.id ?? null,
      );
      return c.json(searchResultsJson(linksOf(c), result));
    },
  }),
];
