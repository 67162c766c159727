// The 4xx/5xx page body, in the same layout as every other page.
const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Please log in",
  403: "Forbidden",
  404: "Page not found",
  405: "Method not allowed",
  409: "Conflict",
  413: "Too large",
  415: "Unsupported type",
  429: "Too many requests",
  422: "Please check your input",
  500: "Internal server error",
  503: "Service unavailable",
};

/** The page's heading and <title> for a status ("Page not found"; lib/errors' ERROR_NAMES are the JSON codes). */
export function errorTitle(status: number): string {
  return TITLES[status] ?? "Error";
}

export function ErrorPage(props: { status: number; message: string }) {
  return (
    <section class="error-page">
      <h1>{errorTitle(props.status)}</h1>
      <p>{props.message}</p>
      <p>
        <a href="/">Back to the home page</a>
      </p>
    </section>
  );
}
