// Turns one structured mail template into matching plain-text and HTML bodies, so every mail kind is
// written once; the frame (header, footer, button) comes from mail/layout.ts. Links are absolute,
// built from BASE_URL by the caller.
import { escapeHtml } from "../lib/html";
import { mailButton, mailHtml, mailText } from "./layout";
import type { RenderedMail } from "./outbox";

export type MailTemplate = {
  subject: string;
  greeting: string;
  paragraphs: string[];
  /** The one thing the mail asks the reader to do (omitted for reports). */
  action?: { label: string; url: string };
  closing: string[];
};

export function renderMail(appName: string, t: MailTemplate): RenderedMail {
  const text = [t.greeting, ...t.paragraphs, ...(t.action ? [`${t.action.label}: ${t.action.url}`] : []), ...t.closing].join("\n\n");
  const p = (s: string) => `<p style="margin:0 0 16px">${escapeHtml(s)}</p>`;
  const body = [p(t.greeting), ...t.paragraphs.map(p), ...(t.action ? [mailButton(t.action.url, t.action.label)] : []), ...t.closing.map(p)].join("\n");
  return { subject: `[${appName}] ${t.subject}`, text: mailText(appName, text), html: mailHtml(appName, body) };
}
