// The nav's count of unread notifications (features/notifications serves its refresh at /notifications/badge).
// With JavaScript it asks for itself again every 30 seconds and when the tab is shown again; public/app.js
// cancels the request while the tab is hidden. Without JavaScript it is as fresh as the page.
// The same count leads the tab title ("(3) Home · Roost", see the layout); data-unread carries it for app.js,
// which puts it in document.title after each refresh.
import { t } from "../i18n";

/** The count as people see it: at most "99+". */
export function unreadLabel(unread: number): string {
  return unread > 99 ? "99+" : String(unread);
}

/** The document title with the unread count in front once there is one. */
export function titleWithUnread(title: string, unread: number): string {
  return unread > 0 ? `(${unreadLabel(unread)}) ${title}` : title;
}

export function NotificationBadge(props: { unread: number }) {
  const { unread } = props;
  return (
    <span
      id="notification-badge"
      class="nav-count"
      hx-get="/notifications/badge"
      hx-trigger="every 30s, roost:visible from:document"
      hx-swap="outerHTML"
      data-poll="paused-when-hidden"
      data-unread={unreadLabel(unread)}
    >
      {unread > 0 && (
        <span class="badge">
          {unreadLabel(unread)}
          <span class="visually-hidden"> {t("nav.unread")}</span>
        </span>
      )}
    </span>
  );
}
