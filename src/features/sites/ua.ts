// User-agent parsing for analytics: browser, OS and device class by a few ordered regexes, plus the
// "obvious bot" test the beacon uses to drop crawlers, scripts and headless browsers. Only these derived
// labels are stored; the user-agent string itself never leaves the request.

export type Device = "desktop" | "mobile" | "tablet";
export type UaInfo = { browser: string; os: string; device: Device };

/**
 * Crawlers, monitors, HTTP libraries and automation announce themselves; real browsers all start with
 * "Mozilla/". Anything else (including an empty or tiny user agent) is treated as a bot.
 */
const BOT_WORDS =
  /crawl|spider|slurp|scraper|archiver|headless|phantomjs|puppeteer|playwright|selenium|webdriver|lighthouse|pagespeed|pingdom|uptime|monitor|facebookexternalhit|embedly|preview|python|curl\/|wget|go-http|java\/|okhttp|axios|node-fetch|undici|libwww|httpclient|feedfetcher|mediapartners/i;
/** Googlebot, bingbot, YandexBot, AhrefsBot…; case-sensitive so a phone model such as "CUBOT" is not one. */
const BOT_NAME = /[Bb]ot\b|[Bb]ot[/;_-]/;

export function isBot(ua: string): boolean {
  if (ua.length < 20 || !/^Mozilla\/\d/.test(ua)) return true;
  return BOT_NAME.test(ua) || BOT_WORDS.test(ua);
}

// Order matters: Chromium-based browsers also say "Chrome", and Chrome also says "Safari".
const BROWSERS: [string, RegExp][] = [
  ["Edge", /\bEdg(e|A|iOS)?\//],
  ["Opera", /\bOPR\/|\bOPT\/|\bOpera\b/],
  ["Samsung Internet", /\bSamsungBrowser\//],
  ["Yandex", /\bYaBrowser\//],
  ["Vivaldi", /\bVivaldi\//],
  ["Firefox", /\bFirefox\/|\bFxiOS\//],
  ["Chrome", /\bChrome\/|\bCriOS\//],
  ["Safari", /\bVersion\/[\d.]+.*\bSafari\/|\bMobile\/\w+.*\bSafari\//],
  ["Internet Explorer", /\bMSIE |\bTrident\//],
];

const SYSTEMS: [string, RegExp][] = [
  ["Windows", /\bWindows\b/],
  ["iOS", /\biPhone\b|\biPad\b|\biPod\b/],
  ["Android", /\bAndroid\b/],
  ["ChromeOS", /\bCrOS\b/],
  ["macOS", /\bMacintosh\b|\bMac OS X\b/],
  ["Linux", /\bLinux\b|\bX11\b/],
];

export function parseUserAgent(ua: string): UaInfo {
  const browser = BROWSERS.find(([, re]) => re.test(ua))?.[0] ?? "Other";
  const os = SYSTEMS.find(([, re]) => re.test(ua))?.[0] ?? "Other";
  return { browser, os, device: deviceClass(ua) };
}

function deviceClass(ua: string): Device {
  if (/\biPad\b|\bTablet\b|\bPlayBook\b|\bSilk\//.test(ua)) return "tablet";
  // Android phones say "Mobile"; Android tablets do not.
  if (/\bAndroid\b/.test(ua)) return /\bMobile\b/.test(ua) ? "mobile" : "tablet";
  if (/\bMobi|\biPhone\b|\biPod\b|\bWindows Phone\b/.test(ua)) return "mobile";
  return "desktop";
}
