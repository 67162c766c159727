// The like button and reply box under a note by someone elsewhere in the Followed feed (issue 13). Shared UI: the
// posts feature renders them in the feed, the federation feature answers htmx with them (posts cannot import
// federation). Plain forms that POST and redirect back without JavaScript; htmx swaps the answer in place.
import { raw } from "hono/html";
import { t, tn } from "../i18n";
import { MAX_COMMENT_LENGTH } from "../lib/markdown";
import { HxForm, TextArea } from "./form";
import { Button } from "./ui/button";

/** Where the member acts on remote note `id` (remote_posts.id): `like`, `unlike`, `reply`; `replies` lists what they sent. */
export const remoteNoteAction = (id: number, action: "like" | "unlike" | "reply" | "replies") => `/fediverse/notes/${id}/${action}`;
/** Where the member edits or deletes reply `id` (remote_replies.id) they sent. */
export const remoteReplyAction = (id: number, action: "edit" | "delete") => `/fediverse/replies/${id}/${action}`;

/** Like / Liked: a one-button form that htmx swaps for the new button. No count: the note's server keeps it. */
export function RemoteLikeButton(props: { noteId: number; liked: boolean; handle: string }) {
  const action = remoteNoteAction(props.noteId, props.liked ? "unlike" : "like");
  return (
    <form class="like-form" method="post" action={action} hx-post={action} hx-target="this" hx-swap="outerHTML">
      <button type="submit" class="like-button" aria-pressed={props.liked ? "true" : "false"} title={t("federation.note.likeWho", { handle: props.handle })}>
        {props.liked ? `♥ ${t("federation.note.liked")}` : `♡ ${t("federation.note.like")}`}
      </button>
    </form>
  );
}

export type RemoteReplyBoxProps = {
  noteId: number;
  handle: string;
  /** How many replies the member sent to this note. */
  count: number;
  /** The member's replies, each with Edit and Delete; the feed passes none and links to them instead. */
  replies?: { id: number; body: string; bodyHtml: string; updatedAt: number | null }[];
  body?: string;
  error?: string;
  sent?: boolean;
  /** What just happened to one of the replies: the box opens with this status line instead of "sent". */
  done?: "edited" | "deleted";
  /** A refused edit: that reply's form opens again with the text and the reason. */
  editing?: { id: number; body: string; error: string };
};

/** "Reply": a disclosure with the member's reply form (Markdown, the comment limits), and what they sent. */
export function RemoteReplyBox(props: RemoteReplyBoxProps) {
  const { noteId, handle, replies = [] } = props;
  const id = `remote-reply-${noteId}`;
  const status = props.sent ? t("federation.note.sent", { handle }) : props.done ? t(`federation.note.${props.done}`, { handle }) : null;
  return (
    <details class="remote-reply" id={id} open={props.sent || props.done !== undefined || props.error !== undefined || props.replies !== undefined}>
      <summary>{props.count > 0 ? tn("federation.note.replies", props.count) : t("federation.note.reply")}</summary>
      {status && (
        <p class="flash flash-success" role="status">
          {status}
        </p>
      )}
      {props.replies === undefined && props.count > 0 && (
        <p>
          <a href={remoteNoteAction(noteId, "replies")} hx-get={remoteNoteAction(noteId, "replies")} hx-target={`#${id}`} hx-swap="outerHTML">
            {t("federation.note.seeReplies")}
          </a>
        </p>
      )}
      {replies.length > 0 && (
        <ul class="remote-replies" aria-label={t("federation.note.yourReplies")}>
          {/* Rendered by lib/markdown (the comment allowlist) when it was written. */}
          {replies.map((r) => (
            <li id={`remote-reply-sent-${r.id}`}>
              {raw(r.bodyHtml)}
              {r.updatedAt !== null && <p class="hint">{t("federation.note.editedMark")}</p>}
              <ReplyEditForm reply={r} box={id} handle={handle} editing={props.editing?.id === r.id ? props.editing : undefined} />
              <HxForm id={`remote-reply-delete-${r.id}`} class="remote-reply-delete" action={remoteReplyAction(r.id, "delete")} target={`#${id}`}>
                <Button variant="secondary" label={t("federation.note.deleteWhich", { handle })}>
                  {t("federation.note.delete")}
                </Button>
              </HxForm>
            </li>
          ))}
        </ul>
      )}
      <HxForm id={`${id}-form`} action={remoteNoteAction(noteId, "reply")} target={`#${id}`}>
        <TextArea
          form={id}
          name="body"
          label={t("federation.note.replyLabel", { handle })}
          hint={t("federation.note.replyHint", { handle, max: MAX_COMMENT_LENGTH })}
          value={props.body}
          error={props.error}
          maxlength={MAX_COMMENT_LENGTH}
          rows={3}
        />
        <Button>{t("federation.note.send")}</Button>
      </HxForm>
    </details>
  );
}

/** "Edit" under one of the member's replies: a disclosure with its text in a form; it answers with the whole box. */
function ReplyEditForm(props: { reply: { id: number; body: string }; box: string; handle: string; editing?: { body: string; error: string } }) {
  const form = `remote-reply-edit-${props.reply.id}`;
  return (
    <details class="remote-reply-edit" open={props.editing !== undefined}>
      <summary>{t("federation.note.edit")}</summary>
      <HxForm id={form} action={remoteReplyAction(props.reply.id, "edit")} target={`#${props.box}`}>
        <TextArea
          form={form}
          name="body"
          label={t("federation.note.editLabel", { handle: props.handle })}
          value={props.editing?.body ?? props.reply.body}
          error={props.editing?.error}
          maxlength={MAX_COMMENT_LENGTH}
          rows={3}
        />
        <Button>{t("federation.note.save")}</Button>
      </HxForm>
    </details>
  );
}
