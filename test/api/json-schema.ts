// A small JSON Schema (2020-12) validator for exactly the subset the API's OpenAPI document emits, written
// independently of zod so it checks the published document, not the code that produced it. An unknown
// keyword is an error: if the generator starts emitting something new, this validator must learn it
// rather than silently accept anything.

export type Schema = Record<string, unknown>;

const ANNOTATIONS = new Set(["description", "title", "examples", "default", "deprecated", "readOnly", "writeOnly"]);
const KNOWN = new Set([
  "$ref",
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "enum",
  "const",
  "anyOf",
  "oneOf",
  "format",
  "pattern",
  "minLength",
  "maxLength",
  "minimum",
  "maximum",
  "minItems",
  "maxItems",
]);

const FORMATS: Record<string, (s: string) => boolean> = {
  uri: (s) => {
    try {
      return /^[a-z][a-z0-9+.-]*:/i.test(s) && !!new URL(s);
    } catch {
      return false;
    }
  },
  "date-time": (s) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s) && !Number.isNaN(Date.parse(s)),
};

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function typeMatches(want: string, v: unknown): boolean {
  const got = typeOf(v);
  return want === got || (want === "number" && got === "integer");
}

/** Returns every violation as "path: problem"; an empty list means valid. */
export function validate(schema: Schema, value: unknown, resolve: (ref: string) => Schema, path = "$"): string[] {
  const errors: string[] = [];
  for (const key of Object.keys(schema)) {
    if (!KNOWN.has(key) && !ANNOTATIONS.has(key)) errors.push(`${path}: schema uses unsupported keyword "${key}"`);
  }
  if (typeof schema.$ref === "string") return [...errors, ...validate(resolve(schema.$ref), value, resolve, path)];
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => typeMatches(t, value))) return [...errors, `${path}: expected ${types.join(" or ")}, got ${typeOf(value)}`];
  }
  if (schema.const !== undefined && value !== schema.const) errors.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  for (const key of ["anyOf", "oneOf"] as const) {
    const options = schema[key] as Schema[] | undefined;
    if (!options) continue;
    const passing = options.filter((s) => validate(s, value, resolve, path).length === 0).length;
    if (key === "anyOf" ? passing === 0 : passing !== 1) errors.push(`${path}: matches ${passing} of the ${key} alternatives`);
  }
  if (typeof value === "string") {
    if (typeof schema.minLength === "number" && [...value].length < schema.minLength) errors.push(`${path}: shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === "number" && [...value].length > schema.maxLength) errors.push(`${path}: longer than ${schema.maxLength}`);
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) errors.push(`${path}: does not match ${schema.pattern}`);
    if (typeof schema.format === "string") {
      const check = FORMATS[schema.format];
      if (!check) errors.push(`${path}: unsupported format ${schema.format}`);
      else if (!check(value)) errors.push(`${path}: not a valid ${schema.format}: ${JSON.stringify(value)}`);
    }
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) errors.push(`${path}: below ${schema.minimum}`);
    if (typeof schema.maximum === "number" && value > schema.maximum) errors.push(`${path}: above ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) errors.push(`${path}: fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) errors.push(`${path}: more than ${schema.maxItems} items`);
    if (schema.items) {
      const items = schema.items as Schema;
      for (const [i, item] of value.entries()) errors.push(...validate(items, item, resolve, `${path}[${i}]`));
    }
  }
  if (typeOf(value) === "object") {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const name of (schema.required ?? []) as string[]) if (!(name in obj)) errors.push(`${path}: missing required "${name}"`);
    for (const [name, v] of Object.entries(obj)) {
      if (props[name]) errors.push(...validate(props[name]!, v, resolve, `${path}.${name}`));
      else if (schema.additionalProperties === false) errors.push(`${path}: unexpected property "${name}"`);
      else if (typeof schema.additionalProperties === "object") errors.push(...validate(schema.additionalProperties as Schema, v, resolve, `${path}.${name}`));
    }
  }
  return errors;
}
