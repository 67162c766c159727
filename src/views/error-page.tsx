// The 4xx/5xx page body, in the same layout as every other page.
import { type PlainKey, t } from "../i18n";

const TITLES: Record<number, PlainKey> = {
  400: "error.400",
  401: "error.401",
  403: "error.403",
  404: "error.404",
  405: "error.405",
  409: "error.409",
  413: "error.413",
  415: "error.415",
  429: "error.429",
  422: "error.422",
  500: "error.500",
  503: "error.503",
};

/** The page's heading and <title> for a status ("Page not found"; lib/errors' ERROR_NAMES are the JSON codes). */
export function errorTitle(status: number): string {
  return t(TITLES[status] ?? "error.other");
}

export function ErrorPage(props: { status: number; message: string }) {
  return (
    <section class="error-page">
      <h1>{errorTitle(props.status)}</h1>
      <p>{props.message}</p>
      <p>
        <a href="/">{t("error.backHome")}</a>
      </p>
    </section>
  );
}
