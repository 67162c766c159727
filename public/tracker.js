/* Roost analytics tracker: <script defer src="https://ROOST/tracker.js" data-site="ID"></script>
 * Sends one pageview per page (and per history navigation in single-page apps) to ROOST/sites/ID/visit, and
 * custom events through window.roost.track("name"). No cookies, no storage, nothing sent when the browser
 * asks not to be tracked (Do Not Track or Global Privacy Control). */
(function () {
  "use strict";
  var script = document.currentScript;
  var site = script && script.getAttribute("data-site");
  if (!site || !/^\d+$/.test(site)) return;
  var endpoint = new URL("/sites/" + site + "/visit", script.src).href;
  var optedOut = navigator.doNotTrack === "1" || window.doNotTrack === "1" || navigator.globalPrivacyControl === true;
  var lastUrl = null;

  function send(event) {
    if (optedOut) return;
    // text/plain keeps the request "simple": no CORS preflight, and sendBeacon survives the page unloading.
    var body = JSON.stringify({ url: location.href, referrer: document.referrer || "", event: event || "pageview" });
    try {
      if (navigator.sendBeacon && navigator.sendBeacon(endpoint, new Blob([body], { type: "text/plain" }))) return;
    } catch (e) {
      /* fall back to fetch */
    }
    if (window.fetch) {
      fetch(endpoint, { method: "POST", body: body, keepalive: true, credentials: "omit", headers: { "Content-Type": "text/plain" } }).catch(function () {});
    }
  }

  function pageview() {
    // Only when the address really changed (replaceState with the same URL, hash-only moves do not count).
    var url = location.origin + location.pathname + location.search;
    if (url === lastUrl) return;
    lastUrl = url;
    send("pageview");
  }

  window.roost = {
    track: function (name) {
      if (typeof name === "string" && name) send(name);
    },
  };

  var push = history.pushState;
  history.pushState = function () {
    var result = push.apply(this, arguments);
    pageview();
    return result;
  };
  window.addEventListener("popstate", pageview);

  if (document.visibilityState === "prerender") {
    document.addEventListener("visibilitychange", function once() {
      if (document.visibilityState === "prerender") return;
      document.removeEventListener("visibilitychange", once);
      pageview();
    });
  } else {
    pageview();
  }
})();
