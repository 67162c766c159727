// The web side of federation safety (issue 13): the Administrator's remote-servers page (block list and the
// servers Roost has heard from) and the member's "Leave the fediverse" setting on the account page.
import { Field, FormError, HxForm } from "../../views/form";
import { DataTable } from "../../views/table";
import { RelTime } from "../../views/time";
import { Badge } from "../../views/ui/badge";
import { Button } from "../../views/ui/button";
import { EmptyState } from "../../views/ui/empty-state";
import { type BlockedServer, hostCandidates, type KnownServer, MAX_BLOCK_REASON } from "./servers";

export type BlockFormState = { values?: Record<string, string>; errors?: Record<string, string> };

/** The block form's two fields: what each asks for (the values and errors come with each rendering). */
const BLOCK_FIELDS = [
  { name: "host", label: "Server", hint: "A host name such as mastodon.example; its subdomains are blocked too.", required: true, maxlength: 253 },
  { name: "reason", label: "Reason (optional, only Administrators see it)", required: false, maxlength: MAX_BLOCK_REASON },
] as const;

export function BlockServerForm(props: BlockFormState) {
  const { values = {}, errors = {} } = props;
  return (
    <HxForm id="block-server-form" action="/admin/servers/block">
      <FormError error={errors._form} />
      {BLOCK_FIELDS.map((f) => (
        <Field form="block-server" {...f} value={values[f.name]} error={errors[f.name]} />
      ))}
      <Button variant="danger">Block server</Button>
    </HxForm>
  );
}

const isBlockedBy = (blocked: Set<string>, host: string) => hostCandidates(host).some((h) => blocked.has(h));

export function ServersPage(props: { blocked: BlockedServer[]; known: KnownServer[]; form: BlockFormState; tz: string; now: number }) {
  const { blocked, known, tz, now } = props;
  const blockedHosts = new Set(blocked.map((b) => b.host));
  return (
    <section class="narrow">
      <h1>Remote servers</h1>
      <p>
        Roost refuses every activity from a blocked server (and from its subdomains) and fetches nothing from it. Blocking does not tell the server; lifting a
        block lets it talk to Roost again.
      </p>
      <h2>Block a server</h2>
      <BlockServerForm {...props.form} />
      <h2 id="blocked-servers-title">Blocked servers</h2>
      {blocked.length === 0 ? (
        <EmptyState>No server is blocked.</EmptyState>
      ) : (
        <section class="table-scroll" tabindex={0} aria-labelledby="blocked-servers-title">
          <DataTable
            class="servers"
            columns={[{ header: "Server" }, { header: "Reason" }, { header: "Blocked" }, { header: "Action" }]}
            rows={blocked}
            cells={(b) => (
              <>
                <td>{b.host}</td>
                <td>{b.reason ?? ""}</td>
                <td>
                  <RelTime ts={b.createdAt} tz={tz} now={now} />
                </td>
                <td>
                  <form method="post" action="/admin/servers/unblock">
                    <input type="hidden" name="host" value={b.host} />
                    <Button variant="secondary" label={`Unblock ${b.host}`}>
                      Unblock
                    </Button>
                  </form>
                </td>
              </>
            )}
          />
        </section>
      )}
      <h2 id="known-servers-title">Servers Roost talks to</h2>
      <p>Servers whose signed activities Roost accepted, most recent first.</p>
      {known.length === 0 ? (
        <EmptyState>No remote server has delivered anything yet.</EmptyState>
      ) : (
        <section class="table-scroll" tabindex={0} aria-labelledby="known-servers-title">
          <DataTable
            class="servers"
            columns={[{ header: "Server" }, { header: "First seen" }, { header: "Last seen" }, { header: "Activities", num: true }]}
            rows={known}
            cells={(k) => (
              <>
                <td>
                  {k.host} {isBlockedBy(blockedHosts, k.host) && <Badge tone="bad">blocked</Badge>}
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
      )}
    </section>
  );
}

/** The account page's section: leave the fediverse, or rejoin it. */
export function FediverseSection(props: { leftAt: number | null; handle: string; tz: string; now: number }) {
  const left = props.leftAt !== null;
  return (
    <section id="fediverse" aria-labelledby="fediverse-heading">
      <h2 id="fediverse-heading">The fediverse</h2>
      {left ? (
        <p>
          You left the fediverse <RelTime ts={props.leftAt ?? 0} tz={props.tz} now={props.now} />: people on Mastodon and other servers cannot find or follow{" "}
          {props.handle}, and your posts are not sent to them. Your profile and posts on Roost are unchanged.
        </p>
      ) : (
        <p>
          People on Mastodon and other fediverse servers can find you as {props.handle}, follow you and read your posts. Leaving tells their servers your
          account is gone; you can rejoin later.
        </p>
      )}
      <form method="post" action="/account/fediverse" class="stack-form">
        <input type="hidden" name="choice" value={left ? "rejoin" : "leave"} />
        <Button variant={left ? "primary" : "danger"}>{left ? "Rejoin the fediverse" : "Leave the fediverse"}</Button>
      </form>
    </section>
  );
}
