// A relative time ("3 minutes ago") with the exact time, in the reader's zone, as its title.
// The server writes the text, so the page is right without JavaScript; public/app.js re-computes the text of
// every time[data-relative] from its datetime while the page stays open (same Intl wording, see there).
import { exactTime, relativeTime } from "../lib/time";

export function RelTime(props: { ts: number; tz: string; now?: number }) {
  return (
    <time datetime={new Date(props.ts).toISOString()} title={exactTime(props.ts, props.tz)} data-relative="">
      {relativeTime(props.ts, props.now)}
    </time>
  );
}
