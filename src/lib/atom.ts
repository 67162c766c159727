// Atom 1.0 (RFC 4287) documents as text: no library, the format is small. Every text value is XML-escaped and
// stripped of characters XML 1.0 cannot carry (a post body with a NUL or a form feed would otherwise make the
// whole feed unparseable: readers refuse the document, not the entry). Entry content is HTML sent as
// `type="html"` (escaped markup), which every reader sanitises again; ours is already our Markdown allowlist.
//
// @example
//   renderAtom({ id: "https://roost.example/explore", title: "Explore", updated: Date.now(),
//     selfUrl: "https://roost.example/explore/feed.atom", alternateUrl: "https://roost.example/explore",
//     entries: [{ id, title, link, published, updated, author: { name: "alice", uri }, html: "<p>hi</p>" }] });

export type AtomPerson = { name: string; uri?: string };
export type AtomEntry = { id: string; title: string; link: string; published: number; updated: number; author: AtomPerson; html: string };
export type AtomFeed = {
  /** A stable IRI for the feed (never changes when the feed moves). */
  id: string;
  title: string;
  subtitle?: string;
  /** Epoch ms: the newest change among the entries (or the owner's creation when there are none). */
  updated: number;
  selfUrl: string;
  /** The HTML page the feed mirrors. */
  alternateUrl: string;
  author?: AtomPerson;
  generator?: string;
  entries: AtomEntry[];
};

export const ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8";

// Characters outside XML 1.0's Char production (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/F).
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Text safe inside an XML element or a double-quoted attribute. */
export function xmlText(value: string): string {
  return value.replace(NOT_XML, "").replace(/[&<>"']/g, (ch) => XML_ESCAPES[ch]!);
}

const date = (ms: number) => new Date(ms).toISOString();

function person(tag: "author", p: AtomPerson): string {
  const uri = p.uri ? `<uri>${xmlText(p.uri)}</uri>` : "";
  return `<${tag}><name>${xmlText(p.name)}</name>${uri}</${tag}>`;
}

function entry(e: AtomEntry): string {
  return [
    "<entry>",
    `<id>${xmlText(e.id)}</id>`,
    `<title type="text">${xmlText(e.title)}</title>`,
    `<link rel="alternate" type="text/html" href="${xmlText(e.link)}"/>`,
    `<published>${date(e.published)}</published>`,
    `<updated>${date(e.updated)}</updated>`,
    person("author", e.author),
    `<content type="html">${xmlText(e.html)}</content>`,
    "</entry>",
  ].join("");
}

export function renderAtom(feed: AtomFeed): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `<id>${xmlText(feed.id)}</id>`,
    `<title type="text">${xmlText(feed.title)}</title>`,
    feed.subtitle ? `<subtitle type="text">${xmlText(feed.subtitle)}</subtitle>` : "",
    `<updated>${date(feed.updated)}</updated>`,
    `<link rel="self" type="application/atom+xml" href="${xmlText(feed.selfUrl)}"/>`,
    `<link rel="alternate" type="text/html" href="${xmlText(feed.alternateUrl)}"/>`,
    feed.author ? person("author", feed.author) : "",
    feed.generator ? `<generator>${xmlText(feed.generator)}</generator>` : "",
    ...feed.entries.map(entry),
    "</feed>\n",
  ].join("");
}
