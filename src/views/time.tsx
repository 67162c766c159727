// A relative time ("3 minutes ago") with the exact time, in the reader's zone, as its title.
import { exactTime, relativeTime } from "../lib/time";

export function RelTime(props: { ts: number; tz: string; now?: number }) {
  return (
    <time datetime={new Date(props.ts).toISOString()} title={exactTime(props.ts, props.tz)}>
      {relativeTime(props.ts, props.now)}
    </time>
  );
}
