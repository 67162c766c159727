// A translated sentence with one element inside it ("Read the <a>JSON API</a> docs."): the message holds a
// {link} placeholder where the element goes, so each language places it where its word order wants it.
//
// @example
//   <LinkedText text={t("pages.about.api", { link: SLOT })} link={<a href="/api">{t("pages.about.apiLink")}</a>} />
import type { Child } from "hono/jsx";

/** What to pass for the {link} placeholder; never appears in a message. */
export const SLOT = "\u0000";

export function LinkedText(props: { text: string; link: Child }) {
  const at = props.text.indexOf(SLOT);
  if (at < 0) return <>{props.text}</>;
  return (
    <>
      {props.text.slice(0, at)}
      {props.link}
      {props.text.slice(at + SLOT.length)}
    </>
  );
}
