// Turns one structured mail template into matching plain-text and HTML bodies, so every mail kind is
// written once. Links are always absolute, built from BASE_URL by the caller.
import { escapeHtml } from "../lib/html";
import type { RenderedMail } from "./outbox";

export type MailTemplate = {
  subject: string;
  greeting: string;
  paragraphs: string[];
  action: { label: string; url: string };
  closing: string[];
};

export function renderMail(appName: string, t: MailTemplate): RenderedMail {
  const subject = `[${appName}] ${t.subject}`;
  const text = [t.greeting, "", ...t.paragraphs.flatMap((p) => [p, ""]), `${t.action.label}: ${t.action.url}`, "", ...t.closing, "", `— ${appName}`].join(
    "\n",
  );
  const p = (s: string) => `<p style="margin:0 0 16px">${escapeHtml(s)}</p>`;
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2328;max-width:560px;margin:0 auto;padding:24px">
${p(t.greeting)}
${t.paragraphs.map(p).join("\n")}
<p style="margin:24px 0"><a href="${escapeHtml(t.action.url)}" style="background:#0b5cad;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">${escapeHtml(t.action.label)}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#57606a">Or paste this link into your browser: ${escapeHtml(t.action.url)}</p>
${t.closing.map(p).join("\n")}
<p style="color:#57606a">— ${escapeHtml(appName)}</p>
</body></html>`;
  return { subject, text, html };
}
