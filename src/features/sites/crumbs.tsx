// The trail above a page of one site (goals, sharing, raw visits): "Your sites › <site>", the site's name
// linking back to its report.
import { t } from "../../i18n";

export function SiteCrumbs(props: { name: string; href: string }) {
  return (
    <p class="breadcrumbs">
      <a href="/sites">{t("sites.yourSites")}</a> › <a href={props.href}>{props.name}</a>
    </p>
  );
}
