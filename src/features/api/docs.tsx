// The /api page: the OpenAPI document rendered for people, in the site's layout. Everything on it comes
// from the generated document (endpoints grouped by tag, auth, permissions, parameters, request and
// response schemas, examples), so it says exactly what the API does; curl lines are derived from it. The page's
// own words (headings, column names) follow the reader's language; the document's prose stays English, like the API.
import type { Child } from "hono/jsx";
import { t } from "../../i18n";
import { DataTable } from "../../views/table";
import { Badge } from "../../views/ui/badge";
import { ERROR_RESPONSE_NAMES, type JsonSchema, type OpenApiDocument, type OpenApiOperation, type OpenApiResponse } from "./openapi";

const STATUS_OF_COMPONENT = Object.fromEntries(Object.entries(ERROR_RESPONSE_NAMES).map(([status, name]) => [name, status]));

/** `**bold**` and `code` spans in the document's prose, as elements (text is escaped by JSX). */
function inline(text: string): Child[] {
  return text.split(/(\*\*[^*]+\*\*|`[^`]+`)/).map((part) => {
    if (part.startsWith("**") && part.endsWith("**") && part.length > 4) return <strong>{part.slice(2, -2)}</strong>;
    if (part.startsWith("`") && part.endsWith("`") && part.length > 2) return <code>{part.slice(1, -1)}</code>;
    return part;
  });
}

function Prose(props: { text: string }) {
  return (
    <>
      {props.text.split(/\n\n+/).map((para) => (
        <p>{inline(para.replace(/\n/g, " "))}</p>
      ))}
    </>
  );
}

/** JSON Schema keywords hold unknown JSON; these read them as what they must be, skipping anything else. */
const isSchema = (v: unknown): v is JsonSchema => typeof v === "object" && v !== null && !Array.isArray(v);
const schemaList = (v: unknown): JsonSchema[] | undefined => (Array.isArray(v) ? v.filter(isSchema) : undefined);
const stringList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

const refName = (ref: string) => ref.replace("#/components/schemas/", "");

/** A schema's type in words: "string (uri)", "Post", "array of Comment", "integer or null". */
function TypeOf(props: { schema: JsonSchema }): Child {
  const s = props.schema;
  if (typeof s.$ref === "string") {
    const name = refName(s.$ref);
    return <a href={`#schema-${name}`}>{name}</a>;
  }
  const alternatives = schemaList(s.anyOf ?? s.oneOf);
  if (alternatives)
    return join(
      alternatives.map((a) => <TypeOf schema={a} />),
      " or ",
    );
  if (Array.isArray(s.enum))
    return (
      <>
        one of{" "}
        {join(
          s.enum.map((v) => <code>{JSON.stringify(v)}</code>),
          ", ",
        )}
      </>
    );
  if (s.const !== undefined) return <code>{JSON.stringify(s.const)}</code>;
  const types = Array.isArray(s.type) ? stringList(s.type) : typeof s.type === "string" && s.type ? [s.type] : ["any"];
  return join(
    types.map((t) => {
      if (t === "array" && isSchema(s.items))
        return (
          <>
            array of <TypeOf schema={s.items} />
          </>
        );
      return s.format && t === "string" ? `string (${s.format})` : t;
    }),
    " or ",
  );
}

function join(items: Child[], sep: string): Child {
  return items.flatMap((item, i) => (i === 0 ? [item] : [sep, item]));
}

/** Limits worth telling a reader (the date-time format's long pattern is left to the format name). */
function constraints(s: JsonSchema): string {
  const out: string[] = [];
  if (typeof s.minLength === "number") out.push(`at least ${s.minLength} characters`);
  if (typeof s.maxLength === "number") out.push(`at most ${s.maxLength} characters`);
  if (typeof s.pattern === "string" && !s.format) out.push(s.pattern === "\\S" ? "not blank" : `matches ${s.pattern}`);
  if (typeof s.minimum === "number" && s.minimum > Number.MIN_SAFE_INTEGER) out.push(`≥ ${s.minimum}`);
  if (typeof s.maximum === "number" && s.maximum < Number.MAX_SAFE_INTEGER) out.push(`≤ ${s.maximum}`);
  return out.join(", ");
}

function Fields(props: { schema: JsonSchema }) {
  const properties = Object.entries(isSchema(props.schema.properties) ? props.schema.properties : {}).filter((e): e is [string, JsonSchema] => isSchema(e[1]));
  const required = new Set(stringList(props.schema.required));
  return (
    <DataTable
      columns={[{ header: t("api.docs.field") }, { header: t("api.docs.type") }, { header: t("api.docs.description") }]}
      rows={properties}
      cells={([name, s]) => (
        <>
          <td>
            <code>{name}</code>
            {required.has(name) ? "" : " (optional)"}
          </td>
          <td>
            <TypeOf schema={s} />
          </td>
          <td>
            {s.description ? inline(String(s.description)) : ""}
            {constraints(s) ? <span class="muted"> {constraints(s)}</span> : ""}
          </td>
        </>
      )}
    />
  );
}

/** The `error` name an error response's example carries. */
function errorNameOf(example: unknown): string {
  return isSchema(example) && typeof example.error === "string" ? example.error : "";
}

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

function curl(root: string, path: string, method: string, op: OpenApiOperation): string {
  const lines = [`curl${method === "GET" ? "" : ` -X ${method}`} "${root}${path.replace("{id}", "42")}"`];
  if (op["x-auth"].startsWith("Password")) lines.push(`-u "susan@example.com:$PASSWORD"`);
  else if (op["x-auth"] !== "None") lines.push(`-H "Authorization: Bearer $TOKEN"`);
  const body = op.requestBody?.content["application/json"].example;
  if (body !== undefined) lines.push(`-H "Content-Type: application/json"`, `-d '${JSON.stringify(body)}'`);
  return lines.join(" \\\n     ");
}

function resolve(doc: OpenApiDocument, r: OpenApiResponse | { $ref: string }): OpenApiResponse {
  return "$ref" in r ? doc.components.responses[r.$ref.replace("#/components/responses/", "")]! : r;
}

function Operation(props: { doc: OpenApiDocument; path: string; method: string; op: OpenApiOperation }) {
  const { doc, path, op } = props;
  const method = props.method.toUpperCase();
  const root = doc.servers[0]!.url;
  const responses = Object.entries(op.responses).map(([status, r]) => [status, resolve(doc, r)] as const);
  const success = responses.filter(([status]) => status.startsWith("2"));
  return (
    <article id={op.operationId}>
      <h3>
        <Badge>{method}</Badge> <code>/api/v1{path}</code>
      </h3>
      <p>
        <strong>{op.summary}.</strong> {op.description ? inline(op.description) : ""}
      </p>
      <p>
        {t("api.docs.authentication")} {op["x-auth"]}
        {op["x-permission"] ? (
          <>
            {" · "}
            {t("api.docs.permission")} <code>{op["x-permission"]}</code>
          </>
        ) : (
          ""
        )}
      </p>
      {op.parameters && (
        <DataTable
          columns={[{ header: t("api.docs.parameter") }, { header: t("api.docs.in") }, { header: t("api.docs.type") }, { header: t("api.docs.description") }]}
          rows={op.parameters}
          cells={(p) => (
            <>
              <td>
                <code>{p.name}</code>
              </td>
              <td>{p.in}</td>
              <td>
                <TypeOf schema={p.schema} />
              </td>
              <td>{inline(p.description)}</td>
            </>
          )}
        />
      )}
      {op.requestBody && (
        <>
          <h4>{t("api.docs.requestBody")}</h4>
          <p>
            JSON: <TypeOf schema={op.requestBody.content["application/json"].schema} />
          </p>
          <pre>{pretty(op.requestBody.content["application/json"].example)}</pre>
        </>
      )}
      <h4>{t("api.docs.responses")}</h4>
      <DataTable
        columns={[{ header: t("api.docs.status") }, { header: t("api.docs.body") }, { header: t("api.docs.meaning") }]}
        rows={responses}
        cells={([status, r]) => (
          <>
            <td>{status}</td>
            <td>{r.content ? <TypeOf schema={r.content["application/json"].schema} /> : "none"}</td>
            <td>
              {r.description}
              {r.headers ? <span class="muted"> Headers: {Object.keys(r.headers).join(", ")}.</span> : ""}
            </td>
          </>
        )}
      />
      {success.map(([status, r]) =>
        r.content?.["application/json"].example !== undefined ? (
          <>
            <h4>{t("api.docs.example", { status })}</h4>
            <pre>{pretty(r.content["application/json"].example)}</pre>
          </>
        ) : (
          ""
        ),
      )}
      <h4>{t("api.docs.tryIt")}</h4>
      <pre>{curl(root, path, method, op)}</pre>
    </article>
  );
}

export function ApiDocsPage(props: { doc: OpenApiDocument }) {
  const { doc } = props;
  const root = doc.servers[0]!.url;
  const byTag = doc.tags.map((tag) => ({
    tag,
    ops: Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => op.tags.includes(tag.name))
        .map(([method, op]) => ({ path, method, op })),
    ),
  }));
  const errors = Object.entries(doc.components.responses).map(([name, r]) => ({
    status: STATUS_OF_COMPONENT[name] ?? name,
    error: errorNameOf(r.content?.["application/json"].example),
    r,
  }));
  return (
    <section class="api-docs">
      <h1>{doc.info.title}</h1>
      <p>
        {t("api.docs.baseUrl")} <code>{root}</code> · {t("api.docs.machine")}{" "}
        <a href="/api/v1/openapi.json">{t("api.docs.document", { version: doc.openapi })}</a>
      </p>
      <Prose text={doc.info.description} />

      <h2>{t("api.docs.quickStart")}</h2>
      <pre>
        {[
          `# 1. Trade your password for a token (valid for an hour)`,
          `TOKEN=$(curl -s -X POST -u "susan@example.com:$PASSWORD" ${root}/tokens/ | sed -E 's/.*"token":"([^"]+)".*/\\1/')`,
          `# 2. Use it`,
          `curl -H "Authorization: Bearer $TOKEN" ${root}/posts/`,
          `curl -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" -d '{"body":"Hello, *Roost*!"}' ${root}/posts/`,
          `# 3. Revoke it when done`,
          `curl -X DELETE -H "Authorization: Bearer $TOKEN" ${root}/tokens/`,
        ].join("\n")}
      </pre>

      <h2>{t("api.docs.errors")}</h2>
      <DataTable
        columns={[{ header: t("api.docs.status") }, { header: <code>error</code> }, { header: t("api.docs.when") }]}
        rows={errors}
        cells={({ status, error, r }) => (
          <>
            <td>{status}</td>
            <td>
              <code>{error}</code>
            </td>
            <td>{r.description}</td>
          </>
        )}
      />

      <h2>{t("api.docs.endpoints")}</h2>
      <nav aria-label={t("api.docs.endpoints")}>
        <ul>
          {byTag.map(({ tag, ops }) => (
            <li>
              <a href={`#tag-${tag.name}`}>{tag.name}</a>:{" "}
              {join(
                ops.map(({ path, method, op }) => (
                  <a href={`#${op.operationId}`}>
                    {method.toUpperCase()} {path}
                  </a>
                )),
                ", ",
              )}
            </li>
          ))}
        </ul>
      </nav>

      {byTag.map(({ tag, ops }) => (
        <section id={`tag-${tag.name}`}>
          <h2>{tag.name}</h2>
          <p>{tag.description}</p>
          {ops.map(({ path, method, op }) => (
            <Operation doc={doc} path={path} method={method} op={op} />
          ))}
        </section>
      ))}

      <h2>{t("api.docs.schemas")}</h2>
      {Object.entries(doc.components.schemas).map(([name, schema]) => (
        <section id={`schema-${name}`}>
          <h3>{name}</h3>
          {schema.description ? <p>{inline(String(schema.description))}</p> : ""}
          <Fields schema={schema} />
        </section>
      ))}
    </section>
  );
}
