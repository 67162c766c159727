// Tabs between views of one list (All / Followed): links, so each tab has its own URL and works without
// JavaScript; the current one carries aria-current="page".
export type Tab = { href: string; label: string; current: boolean };

export function Tabs(props: { label: string; tabs: Tab[] }) {
  return (
    <nav class="tabs" aria-label={props.label}>
      {props.tabs.map((t) => (
        <a href={t.href} aria-current={t.current ? "page" : undefined}>
          {t.label}
        </a>
      ))}
    </nav>
  );
}
