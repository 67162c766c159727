// Roost's own script: small page behaviours htmx leaves to the page (the CSP allows scripts from this site
// only, so no inline handlers). Everything here is an enhancement; every page works without it.
//
// Polling elements (data-poll, e.g. the nav's notification badge with hx-trigger="every 30s") send no request
// while the tab is hidden, and refresh once when it is shown again (they listen for roost:visible).
document.addEventListener("htmx:before:request", (event) => {
  if (document.hidden && event.target instanceof Element && event.target.closest("[data-poll]")) event.preventDefault();
});
document.addEventListener("visibilitychange", () => {
  if (!document.hidden) document.dispatchEvent(new CustomEvent("roost:visible"));
});

// Relative times (src/views/time.tsx) stay true while the page is open: every 30 s each time[data-relative]
// gets its text again from its datetime. The wording is src/lib/time.ts's relativeTime: the same
// Intl.RelativeTimeFormat in the page's language (<html lang>, src/views/layout.tsx), { numeric: "auto" }, the same
// 45 s "just now" (its words from <html data-just-now>) and rounding. Only ages under a
// week are handled here (just now, minutes, hours, days: what changes while a tab is open); older times keep the
// server's words. test/e2e/time.e2e.ts checks both agree as the clock moves.
(() => {
  const root = document.documentElement;
  const format = new Intl.RelativeTimeFormat(root.lang === "en" ? "en-GB" : root.lang || "en", { numeric: "auto" });
  const justNow = root.dataset.justNow || "just now";
  const MINUTE = 60_000;
  const HOUR = 60 * MINUTE;
  const DAY = 24 * HOUR;
  const WEEK = 7 * DAY;
  const words = (ts, now) => {
    const diff = ts - now;
    const abs = Math.abs(diff);
    if (abs < 45_000) return justNow;
    if (abs >= WEEK) return null;
    if (abs >= DAY) return format.format(Math.round(diff / DAY), "day");
    if (abs >= HOUR) return format.format(Math.round(diff / HOUR), "hour");
    return format.format(Math.round(diff / MINUTE), "minute");
  };
  const refresh = () => {
    const now = Date.now();
    for (const el of document.querySelectorAll("time[data-relative]")) {
      const ts = Date.parse(el.getAttribute("datetime") ?? "");
      const text = Number.isNaN(ts) ? null : words(ts, now);
      if (text !== null && el.textContent !== text) el.textContent = text;
    }
  };
  setInterval(() => {
    if (!document.hidden) refresh();
  }, 30_000);
  document.addEventListener("roost:visible", refresh);
})();

// Copy buttons: <button data-copy="#id" hidden> copies the text of #id. They stay hidden without JavaScript or
// without the Clipboard API (the text is selectable anyway); the status beside the button says what happened.
(() => {
  const reveal = (root) => {
    if (!navigator.clipboard) return;
    for (const button of root.querySelectorAll("button[data-copy][hidden]")) button.hidden = false;
  };
  document.addEventListener("click", async (event) => {
    const button = event.target instanceof Element ? event.target.closest("button[data-copy]") : null;
    if (!button) return;
    const source = document.querySelector(button.getAttribute("data-copy"));
    const status = button.parentElement?.querySelector(".copy-status");
    try {
      await navigator.clipboard.writeText(source?.textContent ?? "");
      if (status) status.textContent = "Copied.";
    } catch {
      if (status) status.textContent = "Could not copy: select the text and copy it instead.";
    }
  });
  reveal(document);
  document.addEventListener("htmx:after:swap", () => reveal(document));
})();

// The tab title leads with the unread notification count, "(3) Home · Roost" (server-rendered by the layout).
// When the nav's badge refreshes, its data-unread replaces the count in document.title ("0": none shown).
document.addEventListener("htmx:after:swap", () => {
  const badge = document.getElementById("notification-badge");
  const count = badge?.getAttribute("data-unread");
  if (count == null) return;
  const bare = document.title.replace(/^\(\d+\+?\) /, "");
  const title = count === "0" ? bare : `(${count}) ${bare}`;
  if (document.title !== title) document.title = title;
});

// Profile popups (src/views/author.tsx ProfileLink): each link loads its card once, whichever comes first of
// a half-second hover and keyboard focus (htmx's `once` is per trigger, so the second trigger is cancelled
// here). Escape closes the card (and brings the focus back to the name if it was in the card); it opens
// again once the pointer and the focus have left the name and one comes back. Blur closes it through CSS.
(() => {
  document.addEventListener("htmx:before:request", (event) => {
    const link = event.target instanceof Element ? event.target.closest("a[data-profile-popup]") : null;
    if (!link) return;
    if (link.hasAttribute("data-popup-loaded")) event.preventDefault();
    else link.setAttribute("data-popup-loaded", "");
  });
  const hostOf = (node) => (node instanceof Element ? node.closest(".profile-link") : null);
  // Before a card shows (and once it has loaded): if it would leave the window on the right, it opens
  // leftwards instead (public/app.css). Below 40rem CSS pins it to the page's edges, so nothing to measure.
  const narrow = window.matchMedia("(max-width: 40rem)");
  const place = (host) => {
    const popup = host?.querySelector(".profile-popup");
    if (!popup?.firstElementChild || narrow.matches) return;
    host.removeAttribute("data-popup-end");
    if (popup.getBoundingClientRect().right > document.documentElement.clientWidth) host.setAttribute("data-popup-end", "");
  };
  document.addEventListener("mouseover", (event) => place(hostOf(event.target)));
  document.addEventListener("focusin", (event) => place(hostOf(event.target)));
  document.addEventListener("htmx:after:swap", (event) => place(hostOf(event.target)));
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const hosts = new Set(document.querySelectorAll(".profile-link:hover"));
    const focused = hostOf(event.target);
    if (focused) hosts.add(focused);
    for (const host of hosts) {
      if (host.querySelector(".profile-popup:empty")) continue;
      host.setAttribute("data-dismissed", "");
      if (host.querySelector(".profile-popup")?.contains(document.activeElement)) host.querySelector("a[data-profile-popup]")?.focus();
    }
  });
  // Dismissed until both the pointer and the focus are outside the name and its card.
  const leave = (stillThere) => (event) => {
    const host = hostOf(event.target);
    if (!host?.hasAttribute("data-dismissed") || host.contains(event.relatedTarget) || stillThere(host)) return;
    host.removeAttribute("data-dismissed");
  };
  document.addEventListener("mouseout", leave((host) => host.contains(document.activeElement)));
  document.addEventListener("focusout", leave((host) => host.matches(":hover")));
})();
