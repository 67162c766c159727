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
  500: "Internal server error",
};

export function ErrorPage(props: { status: number; message: string }) {
  return (
    <section class="error-page">
      <h1>{TITLES[props.status] ?? "Error"}</h1>
      <p>{props.message}</p>
      <p>
        <a href="/">Back to the home page</a>
      </p>
    </section>
  );
}
