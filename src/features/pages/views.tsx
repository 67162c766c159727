// About, Privacy, and the short pitch a stranger sees on the front page. The privacy text says what the
// code does (README "Limits", "Security", "Site analytics"); change both together. The words are in src/i18n
// (pages.*), in every language.
import { t } from "../../i18n";
import { LinkedText, SLOT } from "../../views/linked-text";
import { ButtonLink } from "../../views/ui/button";
import { Card } from "../../views/ui/card";

/** The pitch's headline, in the reader's language: also the stranger's front-page title. */
export const pitchHeadline = () => t("pages.pitch.headline");

export function Pitch(props: { appName: string }) {
  return (
    <section class="hero" aria-labelledby="hero-title">
      <h1 id="hero-title">{pitchHeadline()}.</h1>
      <p class="hero-lead">
        {props.appName} {t("pages.tagline")}
      </p>
      <ul class="hero-points">
        <li>
          <strong>{t("pages.pitch.blog")}</strong>
          {t("pages.pitch.blogText")}
        </li>
        <li>
          <strong>{t("pages.pitch.followers")}</strong>
          {t("pages.pitch.followersText")}
        </li>
        <li>
          <strong>{t("pages.pitch.noTracking")}</strong>
          {t("pages.pitch.noTrackingText")}
        </li>
      </ul>
      <div class="hero-actions">
        <ButtonLink href="/auth/register">{t("pages.pitch.register")}</ButtonLink>
        <ButtonLink href="/auth/login" variant="secondary">
          {t("pages.pitch.login")}
        </ButtonLink>
      </div>
    </section>
  );
}

export function AboutPage(props: { appName: string; sourceUrl: string }) {
  return (
    <article>
      <h1>{t("pages.about.heading", { app: props.appName })}</h1>
      <p>
        {props.appName} {t("pages.tagline")}
      </p>
      <p>{t("pages.about.how", { app: props.appName })}</p>
      <h2>{t("pages.about.developers")}</h2>
      <p>
        <LinkedText text={t("pages.about.api", { link: SLOT })} link={<a href="/api">{t("pages.about.apiLink")}</a>} />
      </p>
      <h2 id="source">{t("pages.about.source")}</h2>
      {props.sourceUrl ? (
        <p>
          <LinkedText text={t("pages.about.openSource", { app: props.appName, link: SLOT })} link={<a href={props.sourceUrl}>{t("pages.about.readCode")}</a>} />
        </p>
      ) : (
        <p>{t("pages.about.askOperator", { app: props.appName })}</p>
      )}
    </article>
  );
}

export function PrivacyPage(props: { appName: string }) {
  const app = props.appName;
  return (
    <article>
      <h1>{t("pages.privacy.title")}</h1>
      <p>{t("pages.privacy.intro", { app })}</p>
      <Card>
        <h2>{t("pages.privacy.account")}</h2>
        <ul>
          <li>{t("pages.privacy.email")}</li>
          <li>{t("pages.privacy.profile")}</li>
          <li>{t("pages.privacy.password")}</li>
          <li>{t("pages.privacy.seen")}</li>
          <li>{t("pages.privacy.unconfirmed")}</li>
        </ul>
      </Card>
      <Card>
        <h2>{t("pages.privacy.writing")}</h2>
        <p>{t("pages.privacy.writingText")}</p>
      </Card>
      <Card>
        <h2>{t("pages.privacy.sessions")}</h2>
        <p>{t("pages.privacy.sessionsText")}</p>
      </Card>
      <Card>
        <h2>{t("pages.privacy.analytics")}</h2>
        <p>{t("pages.privacy.analyticsText", { app })}</p>
      </Card>
      <Card>
        <h2>{t("pages.privacy.data")}</h2>
        <p>
          <LinkedText text={t("pages.privacy.dataText", { app, link: SLOT })} link={<a href="/account">{t("pages.privacy.dataLink")}</a>} />
        </p>
      </Card>
    </article>
  );
}
