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
