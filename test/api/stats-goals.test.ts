// The stats API's goals and custom properties, in Plausible's Stats API v1 names: breakdown by event:goal
// (every goal with visitors, events = conversions, conversion_rate: the report's Goals panel), an
// event:goal==<name> filter on the aggregate, breakdown by event:props:<key> and event:props:<key> filters
// (the report's property lists), the `events` metric. Owner only (another member's site 404, no token 401);
// a goal the site does not have and every unsupported combination are 400s that say why.
import { beforeAll, describe, expect, it } from "vitest";
import { DAY } from "../../src/config";
import type { Account } from "../helpers/accounts";
import { confirmedUser } from "../helpers/accounts";
import { d1Queries } from "../helpers/http";
import { goalTable, ownerWithGoals } from "../sites/goal-fixtures";
import { addSite, hexId, store, uniqueHost, visit } from "../sites/helpers";
import { ApiClient, bearer, getToken } from "./helpers";

describe("stats API: goals and custom properties", () => {
  let owner: Account;
  let api: ApiClient;
  let site: { id: number };
  let props: { id: number };
  let other: ApiClient;
  beforeAll(async () => {
    // Three goals (Event signup, Page /pricing, Page /blog/*) over goalFixture's visits: 4 unique visitors in 7 days.
    const g = await ownerWithGoals("statsgoal");
    owner = g.u;
    site = g.site;
    api = new ApiClient(bearer(await getToken(owner.email, owner.password)));
    // A second site without goals: signups that carry a plan (two pro, one free), and a pageview.
    props = await addSite(owner.client, `https://${uniqueHost("statsprops")}`, "Props");
    const t = Date.now() - (Date.now() % DAY);
    const signup = (n: number, plan: string, country: string) =>
      visit(props.id, { visitor: hexId(n), ts: t + n * 1000, path: "/join", event: "signup", country, props: JSON.stringify({ plan }) });
    await store([signup(1, "pro", "DE"), signup(2, "pro", "FR"), signup(3, "free", "DE"), visit(props.id, { visitor: hexId(4), ts: t + 5000, path: "/" })]);
    const o = await confirmedUser("statsgoalother");
    other = new ApiClient(bearer(await getToken(o.email, o.password)));
  });

  it("breakdown by event:goal is the report's Goals panel: every goal by name, zeros included, with the same figures", async () => {
    for (const [f, apiFilter] of [
      ["", ""],
      ["country:is:DE", "visit:country==DE"],
    ]) {
      const html = await (await owner.client.get(`/sites/${site.id}?period=7d${f ? `&f=${encodeURIComponent(f)}` : ""}`)).text();
      const q = `period=7d&property=event:goal&metrics=visitors,events,conversion_rate${apiFilter ? `&filters=${encodeURIComponent(apiFilter)}` : ""}`;
      const r = await api.get(`/sites/${site.id}/stats/breakdown?${q}`);
      expect(r.status, f).toBe(200);
      expect(r.body).toMatchObject({ property: "event:goal", metric: "visitors" });
      const label = (name: string) => (name.startsWith("Visit ") ? `Page ${name.slice(6)}` : `Event ${name}`);
      const rows = r.body.results.map((x: { goal: string; visitors: number; events: number; conversion_rate: number }) => [
        label(x.goal),
        String(x.visitors),
        String(x.events),
        `${x.conversion_rate}%`,
      ]);
      // The panel lists goals in the order they were added; the API biggest first.
      expect([...rows].sort(), f).toEqual([...goalTable(html)].sort());
    }
    const unfiltered = await api.get(`/sites/${site.id}/stats/breakdown?period=7d&property=event:goal&metrics=visitors,events,conversion_rate`);
    expect(unfiltered.body.results).toEqual([
      { goal: "Visit /pricing", visitors: 3, events: 3, conversion_rate: 75 },
      { goal: "signup", visitors: 3, events: 3, conversion_rate: 75 },
      { goal: "Visit /blog/*", visitors: 1, events: 2, conversion_rate: 25 },
    ]);
    // Ordered by the first metric asked; the default metric is visitors.
    const byEvents = await api.get(`/sites/${site.id}/stats/breakdown?period=7d&property=event:goal&metrics=events&limit=1`);
    expect(byEvents.body).toMatchObject({ metric: "events", limit: 1, results: [{ goal: "Visit /pricing", events: 3 }] });
    const plain = await api.get(`/sites/${site.id}/stats/breakdown?period=7d&property=event:goal`);
    expect(plain.body.results[2]).toEqual({ goal: "Visit /blog/*", visitors: 1 });
  });

  it("an event:goal filter: the aggregate is that goal's visitors, conversions and conversion rate; the goal breakdown is its one row", async () => {
    const one = await api.get(`/sites/${site.id}/stats/aggregate?period=7d&metrics=visitors,events,conversion_rate&filters=event:goal==Visit%20/blog/*`);
    expect(one.status).toBe(200);
    expect(one.body.results).toEqual({ visitors: { value: 1 }, events: { value: 2 }, conversion_rate: { value: 25 } });
    // With another filter: Germany's 3 visitors all signed up.
    const de = await api.get(`/sites/${site.id}/stats/aggregate?period=7d&metrics=conversion_rate,visitors&filters=event:goal==signup;visit:country==DE`);
    expect(de.body.results).toEqual({ conversion_rate: { value: 100 }, visitors: { value: 3 } });
    const row = await api.get(`/sites/${site.id}/stats/breakdown?period=7d&property=event:goal&filters=event:goal==signup`);
    expect(row.body.results).toEqual([{ goal: "signup", visitors: 3 }]);
    // A day without visitors: no rate rather than a division by zero.
    const empty = await api.get(`/sites/${site.id}/stats/aggregate?period=day&date=2026-01-05&metrics=visitors,conversion_rate&filters=event:goal==signup`);
    expect(empty.body.results).toEqual({ visitors: { value: 0 }, conversion_rate: { value: null } });
  });

  it("a goal the site does not have is a 400 that lists its goals (or says it has none)", async () => {
    const r = await api.get(`/sites/${site.id}/stats/aggregate?filters=event:goal==purchase`);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error: "bad request",
      message: 'filters: this site has no goal "purchase". Its goals: signup, Visit /pricing, Visit /blog/*.',
    });
    // A page goal is named "Visit <pattern>": the bare pattern is not a goal's name.
    expect((await api.get(`/sites/${site.id}/stats/aggregate?filters=event:goal==/pricing`)).body.message).toMatch(
      /^filters: this site has no goal "\/pricing"/,
    );
    const none = await api.get(`/sites/${props.id}/stats/breakdown?property=event:goal&filters=event:goal==signup`);
    expect(none.status).toBe(400);
    expect(none.body.message).toMatch(/^filters: this site has no goals yet, so there is no goal "signup"\. Add goals on the site's Goals page\.$/);
    // A site without goals: the goal breakdown is an empty list, not an error.
    expect((await api.get(`/sites/${props.id}/stats/breakdown?property=event:goal`)).body.results).toEqual([]);
  });

  it("breakdown by event:props:<key> lists the property's values (custom events that carried it); event:props filters the report", async () => {
    const plans = await api.get(`/sites/${props.id}/stats/breakdown?period=7d&property=event:props:plan`);
    expect(plans.status).toBe(200);
    expect(plans.body).toMatchObject({ property: "event:props:plan", metric: "events" });
    expect(plans.body.results).toEqual([
      { plan: "pro", events: 2 },
      { plan: "free", events: 1 },
    ]);
    const de = await api.get(`/sites/${props.id}/stats/breakdown?period=7d&property=event:props:plan&filters=visit:country==DE`);
    expect(de.body.results).toEqual([
      { plan: "free", events: 1 },
      { plan: "pro", events: 1 },
    ]);
    const pro = await api.get(`/sites/${props.id}/stats/aggregate?period=7d&metrics=visitors,events&filters=event:props:plan==pro`);
    expect(pro.body.results).toEqual({ visitors: { value: 2 }, events: { value: 2 } });
    const notPro = await api.get(`/sites/${props.id}/stats/breakdown?period=7d&property=visit:country&filters=event:props:plan!=pro`);
    expect(notPro.body.results).toEqual([
      { country: "DE", visitors: 1 },
      { country: "NZ", visitors: 1 },
    ]);
    // A key nobody sent: an empty list.
    expect((await api.get(`/sites/${props.id}/stats/breakdown?property=event:props:colour`)).body.results).toEqual([]);
    // Paging goes past the report's ten values per key.
    const many = Array.from({ length: 25 }, (_, i) =>
      visit(props.id, {
        visitor: hexId(100 + i),
        ts: Date.now() - 1000 - i,
        event: "download",
        props: JSON.stringify({ file: `f${String(i).padStart(2, "0")}.pdf` }),
      }),
    );
    await store(many);
    const p3 = await api.get(`/sites/${props.id}/stats/breakdown?property=event:props:file&limit=10&page=3`);
    expect(p3.body.results).toHaveLength(5);
    expect(p3.body.results[4]).toEqual({ file: "f24.pdf", events: 1 });
  });

  it("the events metric counts every hit: pageviews and custom events", async () => {
    const r = await api.get(`/sites/${site.id}/stats/aggregate?period=7d&metrics=pageviews,events`);
    expect(r.body.results).toEqual({ pageviews: { value: 6 }, events: { value: 9 } });
    const de = await api.get(`/sites/${site.id}/stats/aggregate?period=7d&metrics=events&filters=visit:country==DE`);
    expect(de.body.results).toEqual({ events: { value: 7 } });
  });

  it("costs the same round trips as any other stats answer (the goals come with the report)", async () => {
    for (const path of [
      "breakdown?property=event:goal&metrics=visitors,events,conversion_rate",
      "aggregate?filters=event:goal==signup&metrics=conversion_rate",
      "breakdown?property=event:props:plan",
    ]) {
      await api.get(`/sites/${site.id}/stats/${path}`);
      const r = await api.get(`/sites/${site.id}/stats/${path}`);
      expect(d1Queries(r.res), path).toBeLessThanOrEqual(2);
    }
  });

  describe("who may ask", () => {
    const PATHS = ["breakdown?property=event:goal", "breakdown?property=event:props:plan", "aggregate?filters=event:goal==signup"];
    it.each(PATHS)("%s: another member's site is a 404 (before any goal is judged), no token a 401", async (path) => {
      const theirs = await other.get(`/sites/${site.id}/stats/${path}`);
      expect(theirs.status).toBe(404);
      expect(theirs.body).toEqual({ error: "not found", message: "There is no site with that id among yours." });
      // Not even a goal's name leaks: a goal that does not exist is the same 404.
      expect((await other.get(`/sites/${site.id}/stats/aggregate?filters=event:goal==nope`)).status).toBe(404);
      const anon = await new ApiClient().get(`/sites/${site.id}/stats/${path}`);
      expect(anon.status).toBe(401);
      expect(anon.body.error).toBe("unauthorized");
    });
  });

  describe("bad parameters are 400s that say why", () => {
    const CASES: [string, RegExp][] = [
      ["aggregate?metrics=conversion_rate", /^metrics: "conversion_rate" is not available here: a conversion rate is a goal's \(filter by event:goal/],
      ["aggregate?metrics=events&compare=previous_period", /^compare: "events" has no previous-period comparison/],
      [
        "aggregate?filters=event:goal==signup&metrics=pageviews",
        /^metrics: "pageviews" is not available here: an event:goal filter does not answer it\. Available: visitors, events, conversion_rate\.$/,
      ],
      ["aggregate?filters=event:goal==signup&metrics=frogs", /^metrics: unknown metric "frogs"\. Available: visitors, events, conversion_rate\.$/],
      ["aggregate?filters=event:goal==signup&compare=previous_period", /^compare: a goal's figures have no previous-period comparison/],
      ["aggregate?filters=event:goal!=signup", /^filters: a goal filter is event:goal==<name>/],
      ["aggregate?filters=event:goal~sign", /^filters: a goal filter is event:goal==<name>/],
      ["aggregate?filters=event:goal==", /^filters: name the goal/],
      ["aggregate?filters=event:goal==signup|other", /^filters: "\|" \(either of several values\) is not supported/],
      ["aggregate?filters=event:goal==signup;event:goal==Visit /pricing", /^filters: filter by at most one goal/],
      ["timeseries?filters=event:goal==signup", /^filters: event:goal filters the aggregate and a breakdown by event:goal only/],
      ["breakdown?property=event:page&filters=event:goal==signup", /^filters: event:goal filters the aggregate and a breakdown by event:goal only/],
      ["breakdown?property=event:goal&metrics=pageviews", /^metrics: "pageviews" is not available here: a breakdown by event:goal does not answer it/],
      ["breakdown?property=event:goal&metrics=bounce_rate", /^metrics: "bounce_rate" is not available here/],
      ["breakdown?property=event:props:", /^property: "event:props:" needs a property key of 1 to 64/],
      [`breakdown?property=event:props:${"k".repeat(65)}`, /^property: "event:props:k+" needs a property key/],
      ["breakdown?property=event:props:a%20b", /^property: "event:props:a b" needs a property key/],
      [
        "breakdown?property=event:props:plan&metrics=visitors",
        /^metrics: "visitors" is not available here: a breakdown by event:props:plan does not answer it\. Available: events\.$/,
      ],
      ["breakdown?property=event:props", /^property: unknown property "event:props"/],
      ["aggregate?filters=event:props:==pro", /^filters: "event:props:" needs a property key/],
      ["aggregate?filters=event:props:plan~pr", /^filters: A property filter's operator is is or is_not/],
      ["aggregate?filters=event:props:plan==*pr*", /^filters: A property filter's operator is is or is_not/],
      [`aggregate?filters=event:props:plan==${"x".repeat(257)}`, /^filters: A property filter's value can be at most 256 characters\.$/],
    ];
    it.each(CASES)("%s", async (query, message) => {
      const r = await api.get(`/sites/${site.id}/stats/${query}`);
      expect(r.status).toBe(400);
      expect(r.body.error).toBe("bad request");
      expect(r.body.message).toMatch(message);
    });
  });

  it("is documented: the names, metrics and the goal filter in the OpenAPI document", async () => {
    const doc = (await new ApiClient().get("/openapi.json")).body;
    const params = (p: string) => doc.paths[`/sites/{id}/stats/${p}`].get.parameters as { name: string; description: string }[];
    const text = (p: string, name: string) => params(p).find((x) => x.name === name)?.description ?? "";
    expect(text("breakdown", "property")).toContain("event:goal");
    expect(text("breakdown", "property")).toContain("event:props:<key>");
    expect(text("aggregate", "filters")).toContain("event:goal==signup");
    expect(text("aggregate", "metrics")).toContain("conversion_rate");
  });
});
