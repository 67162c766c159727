// The nav's count of unread notifications (features/notifications serves its refresh at /notifications/badge).
// With JavaScript it asks for itself again every 30 seconds and when the tab is shown again; public/app.js
// cancels the request while the tab is hidden. Without JavaScript it is as fresh as the page.

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
    >
      {unread > 0 && (
        <span class="badge">
          {unread > 99 ? "99+" : unread}
          <span class="visually-hidden"> unread</span>
        </span>
      )}
    </span>
  );
}
