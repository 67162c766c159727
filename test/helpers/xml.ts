// A strict little XML parser for tests: what a feed reader's parser refuses, this throws on (unbalanced or
// mismatched tags, a bare `&` or `<` in text, an unknown entity, characters XML 1.0 forbids, two roots,
// duplicate attributes). Supports what our documents use: a declaration, elements, attributes, text, entities.

export type XmlElement = { name: string; attrs: Record<string, string>; children: XmlElement[]; text: string };

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const NAME = /^[A-Za-z_][\w.:-]*/;
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function decode(raw: string): string {
  if (/[<]/.test(raw)) throw new Error(`bare < in ${JSON.stringify(raw.slice(0, 40))}`);
  return raw.replace(/&([^;]*);|&/g, (_match, name: string | undefined) => {
    if (name === undefined) throw new Error("bare &");
    if (name.startsWith("#x")) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    const v = ENTITIES[name];
    if (v === undefined) throw new Error(`unknown entity &${name};`);
    return v;
  });
}

export function parseXml(source: string): XmlElement {
  if (FORBIDDEN.test(source)) throw new Error("a character XML 1.0 forbids");
  let s = source.replace(/^<\?xml[^?]*\?>\s*/, "");
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  while (s.length > 0) {
    const lt = s.indexOf("<");
    const text = lt === -1 ? s : s.slice(0, lt);
    if (text) {
      const top = stack[stack.length - 1];
      if (!top) {
        if (text.trim()) throw new Error("text outside the root element");
      } else top.text += decode(text);
    }
    if (lt === -1) break;
    s = s.slice(lt);
    if (s.startsWith("</")) {
      const m = s.match(/^<\/([^\s>]+)\s*>/);
      const open = stack.pop();
      if (!m || !open || open.name !== m[1]) throw new Error(`mismatched </${m?.[1]}>`);
      s = s.slice(m[0].length);
      continue;
    }
    const name = s.slice(1).match(NAME)?.[0];
    if (!name) throw new Error(`bad tag at ${JSON.stringify(s.slice(0, 20))}`);
    s = s.slice(1 + name.length);
    const el: XmlElement = { name, attrs: {}, children: [], text: "" };
    for (;;) {
      const attr = s.match(/^\s+([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/);
      if (!attr) break;
      if (attr[1]! in el.attrs) throw new Error(`duplicate attribute ${attr[1]}`);
      el.attrs[attr[1]!] = decode(attr[3] ?? attr[4] ?? "");
      s = s.slice(attr[0].length);
    }
    const end = s.match(/^\s*(\/?)>/);
    if (!end) throw new Error(`unterminated <${name}>`);
    s = s.slice(end[0].length);
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else if (root) throw new Error("two root elements");
    else root = el;
    if (!end[1]) stack.push(el);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (!root) throw new Error("no root element");
  return root;
}

export const childrenNamed = (el: XmlElement, name: string) => el.children.filter((c) => c.name === name);
export function child(el: XmlElement, name: string): XmlElement {
  const found = childrenNamed(el, name);
  if (found.length !== 1) throw new Error(`<${el.name}> has ${found.length} <${name}>`);
  return found[0]!;
}
