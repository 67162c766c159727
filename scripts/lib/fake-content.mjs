// Fake-but-plausible people and Markdown posts for the seed script, from small built-in word lists (no faker
// dependency). Everything draws from one seeded PRNG, so `--seed N` reproduces the same data set.

/** mulberry32: tiny, fast, good enough for test data, and reproducible (Math.random cannot be seeded). */
export function createRandom(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return {
    next,
    int,
    between: (lo, hi) => lo + int(hi - lo + 1),
    /** @type {<T>(list: T[]) => T} */
    pick: (list) => list[int(list.length)],
    chance: (p) => next() < p,
    /** Index in [0, n) biased towards 0: a few very active / popular members, a long quiet tail. */
    skewed: (n, power = 2) => Math.floor(n * next() ** power),
    /** Fisher-Yates, in place. */
    shuffle(list) {
      for (let i = list.length - 1; i > 0; i--) {
        const j = int(i + 1);
        [list[i], list[j]] = [list[j], list[i]];
      }
      return list;
    },
  };
}

const FIRST = (
  "Ada Alan Alice Amara Anna Ben Bianca Carlos Chen Chloe Dana David Elena Emil Emma Fatima Felix Grace Hana Hugo " +
  "Ines Ivan Jack Jade Jonas Julia Kai Karin Leila Leo Lina Lucas Maya Mei Miguel Mila Nadia Noah Nora Olga Omar " +
  "Oscar Paula Priya Quinn Rafael Rosa Ruth Sam Sara Sofia Tariq Tess Theo Uma Victor Wen Yara Yusuf Zoe"
).split(" ");
const LAST = (
  "Abbott Alvarez Andersen Baker Bauer Becker Brennan Castillo Costa Dubois Eriksen Fischer Garcia Gupta Haddad " +
  "Hansen Ito Jensen Kaur Khan Kim Kowalski Larsen Lopez Martin Moreau Murphy Nakamura Nguyen Novak Okafor Olsen " +
  "Park Patel Perez Petrov Quinn Rossi Santos Schmidt Silva Singh Sousa Tanaka Torres Varga Wagner Walsh Weber " +
  "Williams Wong Yilmaz Young Zhang Zimmermann"
).split(" ");
const ADJECTIVES =
  "amber brave calm clever cosmic curious dusty eager fuzzy gentle golden happy hidden lucky misty nimble quiet rapid rusty silver sleepy sunny swift tidy wild witty".split(
    " ",
  );
const NOUNS =
  "badger comet falcon fern harbor heron koala lantern maple meadow otter owl panda pebble pine quill raven river robin sparrow teapot tiger walrus willow wren".split(
    " ",
  );
const CITIES = [
  "Lisbon, Portugal",
  "Porto, Portugal",
  "Berlin, Germany",
  "Hamburg, Germany",
  "Paris, France",
  "Lyon, France",
  "Madrid, Spain",
  "Valencia, Spain",
  "Rome, Italy",
  "Milan, Italy",
  "Amsterdam, Netherlands",
  "Copenhagen, Denmark",
  "Oslo, Norway",
  "Stockholm, Sweden",
  "Helsinki, Finland",
  "Warsaw, Poland",
  "Prague, Czechia",
  "Vienna, Austria",
  "Dublin, Ireland",
  "London, UK",
  "Edinburgh, UK",
  "Reykjavik, Iceland",
  "New York, USA",
  "Portland, USA",
  "Austin, USA",
  "Chicago, USA",
  "Toronto, Canada",
  "Vancouver, Canada",
  "Mexico City, Mexico",
  "Bogotá, Colombia",
  "São Paulo, Brazil",
  "Buenos Aires, Argentina",
  "Lagos, Nigeria",
  "Nairobi, Kenya",
  "Cape Town, South Africa",
  "Cairo, Egypt",
  "Istanbul, Turkey",
  "Tel Aviv, Israel",
  "Mumbai, India",
  "Bengaluru, India",
  "Singapore",
  "Tokyo, Japan",
  "Osaka, Japan",
  "Seoul, South Korea",
  "Taipei, Taiwan",
  "Sydney, Australia",
  "Wellington, New Zealand",
];
const ROLES =
  "designer developer teacher nurse photographer writer student researcher baker cyclist gardener librarian musician chemist carpenter translator".split(" ");
const LIKES =
  "coffee|tea|sourdough|old maps|bird watching|chess|jazz|vinyl records|climbing|sci-fi novels|board games|open source|typography|hiking|houseplants|rainy days|Rust|SQLite".split(
    "|",
  );
const ABOUT = [
  (r) => `${cap(r.pick(ROLES))} who likes ${r.pick(LIKES)} and ${r.pick(LIKES)}.`,
  (r) => `Mostly here for the ${r.pick(TOPICS)} posts.`,
  (r) => `${cap(r.pick(ROLES))} by day, ${r.pick(ROLES)} by night.`,
  (r) => `Writing about ${r.pick(TOPICS)} and ${r.pick(TOPICS)}. Opinions my own.`,
  (r) => `I post about ${r.pick(TOPICS)}, sometimes ${r.pick(LIKES)}.`,
];
const TOPICS = "web performance|databases|gardening|cooking|travel|photography|music history|small software|cycling|books|type design|accessibility".split("|");
const WORDS = (
  "the a an and but or so because while when after before this that these those it we you they I our your some many " +
  "few every each other new old small big quick slow simple hard easy quiet loud early late " +
  "cache query index server page request browser garden kitchen recipe bread coffee morning evening weekend city " +
  "train station river bridge market book chapter song album camera photo trip map idea draft note list plan bug " +
  "feature release test deploy edge worker database table row column migration cookie session token link post " +
  "write read build fix ship try learn share find keep make take see think know like want need love " +
  "today yesterday tomorrow again still just really maybe finally almost always never sometimes"
).split(" ");
const SITES = [
  "https://example.com/notes",
  "https://example.org/blog/2024/first-steps",
  "https://developer.mozilla.org/en-US/docs/Web/HTTP",
  "https://en.wikipedia.org/wiki/SQLite",
  "https://www.sqlite.org/lang_select.html",
  "https://htmx.org/docs/",
  "https://hono.dev/docs/",
  "https://example.net/recipes/bread",
  "https://developers.cloudflare.com/d1/",
];
const CODE = [
  ["js", "const posts = await db.select().from(schema.posts).limit(20);\nconsole.log(posts.length);"],
  ["python", "def greet(name):\n    return f\"Hello, {name}!\"\n\nprint(greet('Roost'))"],
  ["sh", "npm run seed -- --users 100 --posts 2000\nnpm start"],
  ["sql", "SELECT id, created_at FROM posts\nWHERE author_id = ?\nORDER BY created_at DESC\nLIMIT 20;"],
  ["css", ".post-body {\n  max-width: 65ch;\n  line-height: 1.5;\n}"],
  ["", "$ curl -I http://127.0.0.1:8787/\nHTTP/1.1 200 OK"],
];

const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

/** A username matching the app's rule (a letter, then letters, digits, dots, underscores), unique in `taken`. */
function uniqueUsername(r, first, last, taken) {
  const styles = [
    () => `${first}${last}`.toLowerCase(),
    () => `${first}_${last}`.toLowerCase(),
    () => `${first}.${last}`.toLowerCase(),
    () => `${first}${r.between(1, 99)}`.toLowerCase(),
    () => `${r.pick(ADJECTIVES)}_${r.pick(NOUNS)}`,
    () => `${r.pick(ADJECTIVES)}${cap(r.pick(NOUNS))}`,
  ];
  const base = r.pick(styles)();
  let candidate = base;
  // Deterministic suffixes once the base is taken: with 10k+ users from ~3.6k name pairs, collisions are common.
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${base}${n}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** One member's profile fields (no ids, hashes or timestamps). `taken` holds lower-cased usernames in use. */
export function fakeUser(r, taken) {
  const first = r.pick(FIRST);
  const last = r.pick(LAST);
  const username = uniqueUsername(r, first, last, taken);
  // Reserved example domains only: seeded addresses must never reach a real inbox.
  const domain = r.pick(["example.com", "example.org", "example.net"]);
  return {
    username,
    email: `${username.toLowerCase()}@${domain}`,
    name: r.chance(0.9) ? `${first} ${last}` : null,
    location: r.chance(0.75) ? r.pick(CITIES) : null,
    aboutMe: r.chance(0.7) ? r.pick(ABOUT)(r) : null,
  };
}

function words(r, n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(r.pick(WORDS));
  return out;
}

/** A sentence with the occasional inline Markdown: **bold**, _emphasis_, `code`, a [link](url). */
function sentence(r) {
  const parts = words(r, r.between(6, 16));
  const at = r.int(parts.length - 2) + 1;
  const roll = r.next();
  if (roll < 0.12) {
    parts.splice(at, 2, `**${parts[at]} ${parts[at + 1]}**`);
  } else if (roll < 0.22) {
    parts[at] = `_${parts[at]}_`;
  } else if (roll < 0.3) {
    parts[at] = `\`${r.pick(["npm start", "SELECT 1", "git push", "wrangler dev", "ls -la", "await fetch()"])}\``;
  } else if (roll < 0.4) {
    parts.splice(at, 2, `[${parts[at]} ${parts[at + 1]}](${r.pick(SITES)})`);
  }
  return `${cap(parts.join(" "))}${r.pick([".", ".", ".", "!", "?"])}`;
}

function paragraph(r, min = 1, max = 4) {
  const n = r.between(min, max);
  const out = [];
  for (let i = 0; i < n; i++) out.push(sentence(r));
  return out.join(" ");
}

const BLOCKS = [
  [0.45, (r) => paragraph(r)],
  [0.1, (r) => `${r.pick(["##", "###", "#"])} ${cap(words(r, r.between(2, 5)).join(" "))}`],
  [0.12, (r) => Array.from({ length: r.between(2, 5) }, () => `- ${cap(words(r, r.between(2, 7)).join(" "))}`).join("\n")],
  [0.08, (r) => Array.from({ length: r.between(2, 4) }, (_, i) => `${i + 1}. ${cap(words(r, r.between(3, 8)).join(" "))}`).join("\n")],
  [0.1, (r) => `> ${paragraph(r, 1, 2)}`],
  [
    0.08,
    (r) => {
      const [lang, code] = r.pick(CODE);
      return `\`\`\`${lang}\n${code}\n\`\`\``;
    },
  ],
  [0.07, (r) => `${paragraph(r, 1, 1)} More at ${r.pick(SITES)}`], // a bare URL, linkified by the renderer
];

function block(r) {
  let roll = r.next();
  for (const [weight, make] of BLOCKS) {
    roll -= weight;
    if (roll < 0) return make(r);
  }
  return paragraph(r);
}

/**
 * A post's Markdown source: mostly short microblog posts, some longer pieces with headings, lists, quotes
 * and code. Always well under the app's 5,000-character limit.
 */
export function fakePostMarkdown(r) {
  const roll = r.next();
  if (roll < 0.4) return paragraph(r, 1, 3);
  const blocks = [paragraph(r)];
  const extra = roll < 0.85 ? r.between(1, 2) : r.between(3, 6);
  for (let i = 0; i < extra; i++) blocks.push(block(r));
  return blocks.join("\n\n");
}

// --- Hashtags and private messages (issue 12) ---------------------------------------------------------------

/**
 * Hashtags the seed puts on posts, most popular first (picked with `skewed`, so the first few are on many posts
 * and the last on few: a busy /tags page and quiet ones). Mixed case on purpose: the app stores them lower-cased.
 */
export const TAGS = (
  "coffee webdev SQLite photography gardening travel books music cycling cooking opensource htmx design a11y " +
  "weekend bread typography birdwatching chess vinyl climbing houseplants rainydays maps edgecompute jazz"
).split(" ");

/**
 * A post's Markdown with 1–3 hashtags added as a closing line of their own (a new paragraph, so they never land
 * inside a code block or a list item): "#coffee #sqlite". Which tags the post then has is for the app's own
 * renderer (src/lib/markdown.ts renderPost) to say, not for this function.
 */
export function withHashtags(r, source) {
  const picked = new Set();
  const n = r.between(1, 3);
  for (let i = 0; i < n; i++) picked.add(TAGS[r.skewed(TAGS.length, 2)]);
  return `${source}\n\n${[...picked].map((t) => `#${t}`).join(" ")}`;
}

/** A post's Markdown with a closing line that @mentions `username` ("cc @alice"), a paragraph of its own. */
export function withMention(r, source, username) {
  return `${source}\n\n${r.pick(["cc", "Thanks", "h/t", "With", "Ask"])} @${username}`;
}

const GREETINGS = ["Hi!", "Hey,", "Hello!", "Thanks!", "Good morning.", "Quick question:", "Ha, yes.", "Agreed."];

/** A private message: plain text (messages are not Markdown), one to three short sentences, well under 2,000 chars. */
export function fakeMessage(r) {
  const sentences = Array.from({ length: r.between(1, 3) }, () => `${cap(words(r, r.between(3, 12)).join(" "))}${r.pick([".", ".", "!", "?"])}`);
  if (r.chance(0.3)) sentences.unshift(r.pick(GREETINGS));
  if (r.chance(0.05)) sentences.push(r.pick(SITES));
  return sentences.join(" ");
}
