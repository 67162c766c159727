// User-agent parsing for analytics: browser, OS and device class by a few ordered regexes, plus the
// bot test (isbot, with our browser-prefix rule on top) the beacon uses to drop crawlers, scripts and
// headless browsers. Only these derived labels are stored; the user-agent string itself never leaves
// the request.
import { createIsbotFromList, list } from "isbot";

export type Device = "desktop" | "mobile" | "tablet";
export type UaInfo = { browser: string; os: string; device: Device };

/**
 * isbot's list, less one guess: it takes any "Name/1.0;" token for a bot, which would drop an unknown new
 * browser; we would rather count it (a test pins this, so a renamed pattern shows up as a failure).
 */
const isbotList = createIsbotFromList(list.filter((pattern) => pattern !== String.raw`\b\w+/1\.0;`));

/**
 * Crawlers, monitors, HTTP libraries and automation, by isbot's maintained list. On top of it: every real
 * browser starts with "Mozilla/", so anything else (including the empty user agent, which isbot lets
 * through by design, or a tiny one) is not a person either.
 */
export function isBot(ua: string): boolean {
  return ua.length < 20 || !/^Mozilla\/\d/.test(ua) || isbotList(ua);
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
