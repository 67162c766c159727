// About, Privacy, and the short pitch a stranger sees on the front page. The privacy text says what the
// code does (README "Limits", "Security", "Site analytics"); change both together.
import { ButtonLink } from "../../views/ui/button";
import { Card } from "../../views/ui/card";

/** The one-sentence answer to "what is this?", shown to strangers on the front page and on About. */
export const TAGLINE = "is a place for your own blog: write in Markdown, gather followers, and read the people you follow, with no ads and no tracking.";

/** The pitch's headline: also the stranger's front-page title. */
export const PITCH_HEADLINE = "Your own blog, among friends";

export function Pitch(props: { appName: string }) {
  return (
    <section class="hero" aria-labelledby="hero-title">
      <h1 id="hero-title">{PITCH_HEADLINE}.</h1>
      <p class="hero-lead">
        {props.appName} {TAGLINE}
      </p>
      <ul class="hero-points">
        <li>
          <strong>Your own blog</strong>
          Every post lives on your profile, with a permalink and comments.
        </li>
        <li>
          <strong>Followers, not an algorithm</strong>
          Your feed is the people you follow, newest first.
        </li>
        <li>
          <strong>No tracking</strong>
          No ads, no third-party scripts, no selling what you read.
        </li>
      </ul>
      <div class="hero-actions">
        <ButtonLink href="/auth/register">Create your blog</ButtonLink>
        <ButtonLink href="/auth/login" variant="secondary">
          I already have an account
        </ButtonLink>
      </div>
    </section>
  );
}

export function AboutPage(props: { appName: string; sourceUrl: string }) {
  return (
    <article>
      <h1>About {props.appName}</h1>
      <p>
        {props.appName} {TAGLINE}
      </p>
      <p>
        Register, confirm your email, and write. Follow people to see their posts on your home page; comment on theirs. Moderators keep the comments civil. If
        you run a website, {props.appName} can also count its visitors for you without cookies.
      </p>
      <h2>For developers</h2>
      <p>
        Everything you can do here you can also do through the <a href="/api">JSON API</a>.
      </p>
      <h2 id="source">Source</h2>
      {props.sourceUrl ? (
        <p>
          {props.appName} is open source: <a href={props.sourceUrl}>read the code</a>.
        </p>
      ) : (
        <p>{props.appName} is open source; ask the operator of this site where its copy of the code is kept.</p>
      )}
    </article>
  );
}

export function PrivacyPage(props: { appName: string }) {
  const app = props.appName;
  return (
    <article>
      <h1>Privacy</h1>
      <p>What {app} stores about you, why, and for how long. It shows no ads, loads nothing from other sites, and sells nothing.</p>
      <Card>
        <h2>Your account</h2>
        <ul>
          <li>Your email address, to confirm the account, reset a forgotten password and tell you when your password or address changes.</li>
          <li>Your username and what you choose to put on your profile (name, location, about me), shown on your profile.</li>
          <li>Your password only as a salted PBKDF2 hash: nobody can read it back.</li>
          <li>When you joined and when you were last seen, shown on your profile.</li>
          <li>Accounts never confirmed are deleted after 7 days.</li>
        </ul>
      </Card>
      <Card>
        <h2>What you write</h2>
        <p>Your posts, comments and whom you follow, to show them to others. They are public. Deleting your account deletes them all.</p>
      </Card>
      <Card>
        <h2>Sessions and cookies</h2>
        <p>
          One cookie keeps you logged in (its token is stored only as a hash; it ends after 7 days idle, or 30 with "Keep me logged in"). A short-lived cookie
          carries a message to the next page, and one remembers your feed tab. No tracking or advertising cookies.
        </p>
      </Card>
      <Card>
        <h2>Site analytics</h2>
        <p>
          If a member counts visitors to their own website with {app}, the counter sets no cookie and stores no IP address or browser string. A visitor is
          counted with a hash of a daily random key, the site, the address and the browser; each key is deleted after two days, after which nobody can link the
          count to anyone. Do Not Track and Global Privacy Control are honoured: nothing is counted.
        </p>
      </Card>
      <Card>
        <h2>Your data</h2>
        <p>
          Logged in, <a href="/account">Your Data</a> downloads everything {app} holds about you as JSON, or deletes your account and everything in it.
        </p>
      </Card>
    </article>
  );
}
