// The "Your data" page: download everything, the members you blocked (features/blocks), or delete the account
// after typing the password.
import type { Child } from "hono/jsx";
import { Field, FormError, HxForm } from "../../views/form";
import { Button, ButtonLink } from "../../views/ui/button";

export function DeleteForm(props: { error?: string }) {
  return (
    <HxForm id="delete-account-form" action="/account/delete">
      <FormError error={props.error} />
      <Field form="delete-account" name="password" label="Your password" type="password" autocomplete="current-password" required maxlength={128} />
      <Button variant="danger">Delete my account</Button>
    </HxForm>
  );
}

export function AccountPage(props: { error?: string; blocked: Child; fediverse: Child }) {
  return (
    <section class="narrow">
      <h1>Your data</h1>
      <h2>Download</h2>
      <p>
        Everything Roost keeps about you — your account (with your avatar choice and Gravatar opt-in), posts, comments, who you follow and who follows you, whom
        you blocked, your notifications, your private conversations (both sides) and your sites — as one JSON file.
      </p>
      <p>
        <ButtonLink href="/account/export.json" download>
          Download my data
        </ButtonLink>
      </p>
      {props.blocked}
      {props.fediverse}
      <h2>Delete your account</h2>
      <p>This deletes your account with all your posts, comments, follows, sites and their visits, and logs you out everywhere. It cannot be undone.</p>
      <DeleteForm error={props.error} />
    </section>
  );
}
