// The shared frame of every mail: a small, table-free HTML document with inline styles (mail clients drop
// <style> sheets and external CSS) and a plain-text footer. Mail templates supply the body.
import { escapeHtml } from "../lib/html";

const FONT = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

function footerLine(appName: string): string {
  return `This message was sent by ${appName} because this address was used on the site. If that was not you, you can ignore it.`;
}

/**
 * A complete HTML mail. `bodyHtml` is trusted markup built by a template (escape user data in it with
 * escapeHtml or use mailButton); the app name is escaped here.
 */
export function mailHtml(appName: string, bodyHtml: string): string {
  const name = escapeHtml(appName);
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${name}</title>`,
    "</head>",
    `<body style="margin:0;padding:24px 12px;background:#f4f4f5;color:#18181b;${FONT};font-size:16px;line-height:1.5">`,
    '<div style="max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #e4e4e7;border-radius:8px;padding:24px">',
    `<p style="margin:0 0 16px;font-size:20px;font-weight:600">${name}</p>`,
    `<div>${bodyHtml}</div>`,
    "</div>",
    `<p style="max-width:560px;margin:16px auto 0;color:#71717a;font-size:13px">${escapeHtml(footerLine(appName))}</p>`,
    "</body>",
    "</html>",
  ].join("\n");
}

/** A button-styled link for the one action a mail asks for; the URL stays visible for clients that hide it. */
export function mailButton(href: string, label: string): string {
  // Only our own absolute links belong in a mail; anything else (javascript:, relative) is a template bug.
  if (!/^https?:\/\//i.test(href)) throw new Error(`mailButton needs an absolute http(s) URL, got ${JSON.stringify(href)}`);
  const url = escapeHtml(href);
  return (
    `<p style="margin:24px 0"><a href="${url}" style="display:inline-block;background:#2563eb;color:#ffffff;` +
    `text-decoration:none;padding:10px 18px;border-radius:6px;font-weight:600">${escapeHtml(label)}</a></p>` +
    `<p style="margin:0 0 16px;color:#52525b;font-size:14px;word-break:break-all">${url}</p>`
  );
}

/** The plain-text alternative: the template's text followed by the same signature and footer. */
export function mailText(appName: string, bodyText: string): string {
  return `${bodyText.trimEnd()}\n\n-- \n${appName}\n${footerLine(appName)}\n`;
}
