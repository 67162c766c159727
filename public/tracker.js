/* Roost analytics, https://ROOST/tracker.js: README "Site analytics" documents it; <= 1.5 KB gzipped (tested). */
(function () {
  "use strict";
  var script = document.currentScript;
  var attr = function (name) {
    return script.getAttribute("data-" + name);
  };
  var site = script && attr("site");
  if (!site || !/^\d+$/.test(site)) return;
  var nav = navigator;
  // Do Not Track or Global Privacy Control: nothing at all is sent, events included.
  var off = nav.doNotTrack === "1" || window.doNotTrack === "1" || nav.globalPrivacyControl === true;
  var endpoint = new URL("/sites/" + site + "/visit", script.src).href;
  var downloads = attr("downloads");
  var files = new RegExp("\\.(" + (downloads || "pdf|zip|gz|dmg|exe|msi|pkg|deb|apk|csv|xlsx?|docx?|pptx?|epub|mp3|mp4|mov|txt|7z|rar|iso").replace(/\W+/g, "|") + ")$", "i");
  var lastUrl;

  function send(event, props) {
    if (off) return;
    // text/plain keeps the request "simple": no CORS preflight, and sendBeacon survives the page unloading.
    var body = JSON.stringify({ url: location.href, referrer: document.referrer, event: event, props: props });
    try {
      if (nav.sendBeacon(endpoint, new Blob([body], { type: "text/plain" }))) return;
    } catch (e) {}
    fetch(endpoint, { method: "POST", body: body, keepalive: true, credentials: "omit", headers: { "Content-Type": "text/plain" } }).catch(function () {});
  }

  function pageview() {
    // Only when the address really changed (replaceState with the same URL, hash-only moves do not count).
    var url = location.origin + location.pathname + location.search;
    if (url === lastUrl) return;
    lastUrl = url;
    send("pageview");
    if (attr("404") !== null || document.querySelector("meta[name=roost-404]")) send("404");
  }

  // Event names: letters, digits, space and _ . : / - only, at most 64 characters.
  function named(prefix, value) {
    return (prefix + value.replace(/[^\w .:\/-]/g, "_")).slice(0, 64);
  }

  function click(e) {
    var a = e.target.closest && e.target.closest("a[href]");
    if (!a || !/^https?:$/.test(a.protocol) || e.button > 1) return;
    if (downloads !== null && (a.hasAttribute("download") || files.test(a.pathname))) send(named("download:", a.pathname.split("/").pop() || a.host));
    else if (attr("outbound") !== null && a.host !== location.host) send(named("outbound:", a.host));
  }
  addEventListener("click", click);
  addEventListener("auxclick", click);

  window.roost = {
    // track("signup", {props: {plan: "pro"}})
    track: function (name, options) {
      if (typeof name === "string" && name) send(name, options && options.props);
    },
  };

  var push = history.pushState;
  history.pushState = function () {
    var result = push.apply(this, arguments);
    pageview();
    return result;
  };
  addEventListener("popstate", pageview);

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
