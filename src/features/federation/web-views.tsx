// The web side of federation safety (issue 13): the Administrator's remote-servers page (block list and the
// servers Roost has heard from) and the member's "Leave the fediverse" setting on the account page.

import type { Child } from "hono/jsx";
import { t } from "../../i18n";
import { Field, FormError, HxForm } from "../../views/form";
import { LinkedText, SLOT } from "../../views/linked-text";
import { DataTable } from "../../views/table";
import { RelTime } from "../../views/time";
import { Badge } from "../../views/ui/badge";
import { Button } from "../../views/ui/button";
import { EmptyState } from "../../views/ui/empty-state";
import type { RemoteBlockItem } from "./remote-blocks";
import { MAX_FOLLOW_TARGET, type RemoteFollowRow } from "./remote-follows";
import { type BlockedServer, hostCandidates, type KnownServer, MAX_BLOCK_REASON } from "./servers";

export type BlockFormState = { values?: Record<string, string>; errors?: Record<string, string> };

/** The block form's two fields: what each asks for (the values and errors come with each rendering). */
const blockFields = () =>
  [
    { name: "host", label: t("federation.server"), hint: t("federation.serverHint"), required: true, maxlength: 253 },
    { name: "reason", label: t("federation.reasonLabel"), required: false, maxlength: MAX_BLOCK_REASON },
  ] as const;

export function BlockServerForm(props: BlockFormState) {
  const { values = {}, errors = {} } = props;
  return (
    <HxForm id="block-server-form" action="/admin/servers/block">
      <FormError error={errors._form} />
      {blockFields().map((f) => (
        <Field form="block-server" {...f} value={values[f.name]} error={errors[f.name]} />
      ))}
      <Button variant="danger">{t("federation.blockButton")}</Button>
    </HxForm>
  );
}

/** A one-button form POSTing one hidden field (Unblock a host, Unfollow an actor); `label` names what it acts on. */
function OneFieldButton(props: { action: string; name: string; value: string; label: string; children: Child }) {
  return (
    <form method="post" action={props.action}>
      <input type="hidden" name={props.name} value={props.value} />
      <Button variant="secondary" label={props.label}>
        {props.children}
      </Button>
    </form>
  );
}

const isBlockedBy = (blocked: Set<string>, host: string) => hostCandidates(host).some((h) => blocked.has(h));

/**
 * One of the servers page's lists: its heading (and lead), then its empty-state line or its table in a box that
 * scrolls sideways, named by the heading. `numericLast` right-aligns the last column (a count).
 */
function ServerList<T>(props: {
  id: string;
  title: string;
  lead?: string;
  empty: string;
  headers: string[];
  numericLast?: boolean;
  rows: T[];
  cells: (item: T) => Child;
}) {
  const { id, rows } = props;
  const columns = props.headers.map((header, i) => ({ header, num: props.numericLast && i === props.headers.length - 1 }));
  return (
    <>
      <h2 id={id}>{props.title}</h2>
      {props.lead && <p>{props.lead}</p>}
      {rows.length === 0 ? (
        <EmptyState>{props.empty}</EmptyState>
      ) : (
        <section class="table-scroll" tabindex={0} aria-labelledby={id}>
          <DataTable class="servers" columns={columns} rows={rows} cells={props.cells} />
        </section>
      )}
    </>
  );
}

export function ServersPage(props: { blocked: BlockedServer[]; known: KnownServer[]; form: BlockFormState; tz: string; now: number }) {
  const { blocked, known, tz, now } = props;
  const blockedHosts = new Set(blocked.map((b) => b.host));
  return (
    <section class="narrow">
      <h1>{t("federation.title")}</h1>
      <p>{t("federation.lead")}</p>
      <h2>{t("federation.blockHeading")}</h2>
      <BlockServerForm {...props.form} />
      <ServerList
        id="blocked-servers-title"
        title={t("federation.blockedHeading")}
        empty={t("federation.noneBlocked")}
        headers={[t("federation.server"), t("federation.reason"), t("federation.blockedAt"), t("federation.action")]}
        rows={blocked}
        cells={(b) => (
          <>
            <td>{b.host}</td>
            <td>{b.reason ?? ""}</td>
            <td>
              <RelTime ts={b.createdAt} tz={tz} now={now} />
            </td>
            <td>
              <OneFieldButton action="/admin/servers/unblock" name="host" value={b.host} label={t("federation.unblockHost", { host: b.host })}>
                {t("federation.unblock")}
              </OneFieldButton>
            </td>
          </>
        )}
      />
      <ServerList
        id="known-servers-title"
        title={t("federation.knownHeading")}
        lead={t("federation.knownLead")}
        empty={t("federation.noneKnown")}
        headers={[t("federation.server"), t("federation.firstSeen"), t("federation.lastSeen"), t("federation.activities")]}
        numericLast
        rows={known}
        cells={(k) => (
          <>
            <td>
              {k.host} {isBlockedBy(blockedHosts, k.host) && <Badge tone="bad">{t("federation.badgeBlocked")}</Badge>}
            </td>
            <td>
              <RelTime ts={k.firstSeen} tz={tz} now={now} />
            </td>
            <td>
              <RelTime ts={k.lastSeen} tz={tz} now={now} />
            </td>
            <td class="num">{k.activities}</td>
          </>
        )}
      />
    </section>
  );
}

/** The account page's section: leave the fediverse, or rejoin it. */
/** A Block or Unblock button for remote actor `id` (a plain form; `next`: where to come back to). */
export function RemoteBlockButton(props: { id: number; handle: string; blocked?: boolean; next: string }) {
  return (
    <form method="post" action={`/fediverse/${props.blocked ? "unblock" : "block"}/${props.id}`} class="block-form">
      <input type="hidden" name="next" value={props.next} />
      <button type="submit" class="link-button" aria-label={props.blocked ? undefined : t("federation.block.blockLabel", { handle: props.handle })}>
        {props.blocked ? t("federation.block.unblock") : t("federation.block.button")}
      </button>
    </form>
  );
}

/** The member's blocked people elsewhere, each with Unblock (only on their own account page). */
function RemoteBlockList(props: { items: RemoteBlockItem[]; tz: string; now: number }) {
  if (props.items.length === 0) return null;
  return (
    <>
      <h3 id="remote-blocks-heading">{t("federation.block.heading")}</h3>
      <p>{t("federation.block.explain")}</p>
      <ul class="blocked-list" aria-labelledby="remote-blocks-heading">
        {props.items.map((b) => (
          <li>
            <a href={b.profile} class="remote-author" rel="nofollow noopener">
              {b.handle}
            </a>{" "}
            <span class="muted">
              {t("blocks.since")} <RelTime ts={b.since} tz={props.tz} now={props.now} />
            </span>{" "}
            <RemoteBlockButton id={b.remoteActorId} handle={b.handle} blocked next="/account" />
          </li>
        ))}
      </ul>
    </>
  );
}

export function FediverseSection(props: { leftAt: number | null; handle: string; blocked: RemoteBlockItem[]; tz: string; now: number }) {
  const left = props.leftAt !== null;
  return (
    <section id="fediverse" aria-labelledby="fediverse-heading">
      <h2 id="fediverse-heading">{t("federation.fediverse")}</h2>
      {left ? (
        <p>
          <LinkedText
            text={t("federation.leftText", { when: SLOT, handle: props.handle })}
            link={<RelTime ts={props.leftAt ?? 0} tz={props.tz} now={props.now} />}
          />
        </p>
      ) : (
        <p>{t("federation.memberText", { handle: props.handle })}</p>
      )}
      <form method="post" action="/account/fediverse" class="stack-form">
        <input type="hidden" name="choice" value={left ? "rejoin" : "leave"} />
        <Button variant={left ? "primary" : "danger"}>{left ? t("federation.rejoin") : t("federation.leave")}</Button>
      </form>
      <RemoteBlockList items={props.blocked} tz={props.tz} now={props.now} />
    </section>
  );
}

// --- Following people elsewhere --------------------------------------------------------------------------

export type FollowRemoteFormState = { values?: Record<string, string>; errors?: Record<string, string>; localProfile?: string };

/** The "Follow someone elsewhere" form: a handle or a profile URL (also on the Followed feed, as plain markup). */
export function FollowRemoteForm(props: FollowRemoteFormState) {
  const { values = {}, errors = {} } = props;
  return (
    <HxForm id="follow-remote-form" action="/fediverse/follow">
      <Field
        form="follow-remote"
        name="handle"
        label={t("federation.follow.label")}
        hint={t("federation.follow.hint")}
        required
        maxlength={MAX_FOLLOW_TARGET}
        value={values.handle}
        error={errors.handle}
      />
      {props.localProfile && (
        <p>
          <a href={props.localProfile}>{t("federation.follow.localLink")}</a>
        </p>
      )}
      <Button>{t("federation.follow.button")}</Button>
    </HxForm>
  );
}

/** /fediverse/follow: the form, and the people elsewhere the member follows, each with Unfollow. */
export function FollowRemotePage(props: { follows: RemoteFollowRow[]; form: FollowRemoteFormState }) {
  return (
    <section class="narrow">
      <h1>{t("federation.follow.title")}</h1>
      <p>{t("federation.follow.lead")}</p>
      <FollowRemoteForm {...props.form} />
      <h2>{t("federation.follow.listHeading")}</h2>
      {props.follows.length === 0 ? (
        <EmptyState>{t("federation.follow.none")}</EmptyState>
      ) : (
        <ul class="remote-follows">
          {props.follows.map((f) => (
            <li>
              <RemoteActorLink actor={f} /> {!f.accepted && <Badge>{t("federation.follow.pending")}</Badge>}
              <OneFieldButton action="/fediverse/unfollow" name="actor" value={f.uri} label={t("federation.follow.unfollowWho", { handle: f.handle })}>
                {t("federation.follow.unfollow")}
              </OneFieldButton>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A remote person: their name and handle, linked to their profile on their own server. */
export function RemoteActorLink(props: { actor: { uri: string; url: string | null; name: string; handle: string } }) {
  const a = props.actor;
  return (
    <a href={a.url ?? a.uri} rel="nofollow noopener" class="remote-actor">
      {a.name} <span class="muted">{a.handle}</span>
    </a>
  );
}
