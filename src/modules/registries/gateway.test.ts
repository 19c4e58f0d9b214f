// The gateway against `motcua registry-sim`, a child process of this test spoken to over HTTP: tokens, purpose,
// checked answers, faults (garbage, 5xx, slow, down), bounded retries, the breaker, the rate limit, the record
// of every look-up, and who may look up.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "../../platform/db/drizzle.ts";
import { testApp } from "../../../test/helpers/app.ts";
import { freePort } from "../../../test/helpers/net.ts";
import { type Actor, anonymous, systemActor } from "../../platform/auth/actor.ts";
import { fixedClock, systemClock } from "../../platform/clock.ts";
import type { RegistriesConfig } from "../../platform/config/index.ts";
import { DomainError } from "../../platform/http/errors.ts";
import { buildCitizen, buildOfficer } from "../identity/testing.ts";
import { makeConnectors, makeRegistriesService, type RegistriesService } from "./service.ts";
import { type SimProcess, simRegistries, startSimProcess } from "./testing.ts";

type Env = Awaited<ReturnType<typeof testApp>>;

const PURPOSE = { purpose: "Điền sẵn tờ khai đăng ký khai sinh", legalBasis: "Nghị định 87/2020/NĐ-CP, Điều 14", dossierId: "ho-so-thu-1" };
const user = (username: string, roles: Extract<Actor, { type: "user" }>["roles"], agencyCode: string | null, fullName = "Người dùng thử"): Actor => ({
  type: "user",
  userId: `u-${username}`,
  username,
  fullName,
  email: null,
  roles,
  agencyCode,
  loa: 0,
});
const officer = user("canbo.tiepnhan", [{ role: "receiver", agencyCode: "000.00.01.H06" }], "000.00.01.H06", "Trần Văn Tiếp");
const citizen = (cccd: string) => user(cccd, [{ role: "citizen", agencyCode: "" }], null);
const business = (taxCode: string) => user(taxCode, [{ role: "business", agencyCode: "" }], null);
const admin = user("admin", [{ role: "system_admin", agencyCode: "" }], "000.00.00.H06");

async function rejectsWith(p: Promise<unknown>, code: string, reason?: string): Promise<DomainError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof DomainError, String(err));
    assert.equal(err.code, code);
    if (reason) assert.equal(err.details?.reason, reason);
    return err;
  }
  assert.fail(`expected ${code}`);
}

describe("the registries gateway against registry-sim", () => {
  let sim: SimProcess;
  let env: Env;
  let people: string[];
  let firms: string[];

  before(async () => {
    sim = await startSimProcess({ seed: 3, citizens: 2000, businesses: 100 });
    env = await testApp({ config: { registries: simRegistries(sim.url) } });
    people = await sim.ids("citizens", 0, 40);
    firms = await sim.ids("businesses", 0, 5);
  });
  after(async () => {
    await sim?.stop();
    await env?.close();
  });

  /** A service of its own (its own breaker, limit and token) over the test's database. */
  const service = (registries: RegistriesConfig, clock = systemClock): RegistriesService =>
    makeRegistriesService({ database: env.database, clock, audit: env.ctx.audit, connectors: makeConnectors(registries, clock) });
  const rows = (dossierId: string) =>
    env.database.rows<Record<string, unknown>>(sql`SELECT * FROM registry_lookups WHERE dossier_id = ${dossierId} ORDER BY at, id`);

  it("looks a citizen up with one kept token, and records who, which agency, when, which fields, why, on what basis, for which dossier", async () => {
    await sim.fault("none");
    const registries = service(simRegistries(sim.url));
    await sim.stats(true);
    const purpose = { ...PURPOSE, dossierId: "record-1" };
    const person = await registries.lookupCitizen(officer, people[0]!, purpose, { requestId: "req-1" });
    assert.ok(person);
    assert.equal(person.cccd, people[0]);
    assert.match(person.permanentResidence.communeCode, /^\d{5}$/);
    assert.ok(person.household.members.some((m) => m.cccd === people[0]));
    await registries.lookupCitizen(officer, people[1]!, purpose);
    await registries.lookupCitizen(officer, people[2]!, purpose);
    const stats = await sim.stats();
    assert.equal(stats.token, 1, "the token is asked once and kept");
    assert.equal(stats.population, 3);

    const [row] = await rows("record-1");
    assert.ok(row);
    assert.equal(row.actor, "user:u-canbo.tiepnhan");
    assert.equal(row.actor_name, "Trần Văn Tiếp");
    assert.equal(row.agency_code, "000.00.01.H06");
    assert.equal(row.registry, "population");
    assert.equal(row.subject_type, "citizen");
    assert.equal(row.subject_id, people[0]);
    assert.deepEqual([...(row.fields as string[])].sort(), Object.keys(person).sort());
    assert.equal(row.purpose, PURPOSE.purpose);
    assert.equal(row.legal_basis, PURPOSE.legalBasis);
    assert.equal(row.outcome, "ok");
    assert.equal(row.request_id, "req-1");
    assert.ok(row.at);
    const audit = await env.database.rows<{ actor: string; action: string }>(
      sql`SELECT actor, action FROM audit_log WHERE subject_type = 'registry_lookup' AND subject_id = ${row.id as string}`,
    );
    assert.deepEqual(audit, [{ actor: "user:u-canbo.tiepnhan", action: "registries.lookup" }]);
  });

  it("looks up a business and a household's births and marriage", async () => {
    const registries = service(simRegistries(sim.url));
    const firm = await registries.lookupBusiness(officer, firms[0]!, PURPOSE);
    assert.ok(firm);
    assert.equal(firm.taxCode, firms[0]);
    assert.ok(firm.industries.some((i) => i.main));
    const head = people.find((_, i) => i % 4 === 0)!;
    const events = await registries.civilEvents(officer, head, PURPOSE);
    assert.ok(events?.events.some((e) => e.kind === "marriage" && e.people.some((p) => p.cccd === head)));
  });

  it("answers null for someone the registry does not know, and records it", async () => {
    const registries = service(simRegistries(sim.url));
    const known = people[3]!;
    const unknown = `${known.slice(0, 6)}${String((Number(known.slice(6)) + 1) % 1_000_000).padStart(6, "0")}`;
    assert.equal(await registries.lookupCitizen(officer, unknown, { ...PURPOSE, dossierId: "record-404" }), null);
    const [row] = await rows("record-404");
    assert.equal(row?.outcome, "not_found");
    assert.deepEqual(row?.fields, []);
  });

  it("refuses an answer that does not match its schema, without retrying it, and records no fields", async () => {
    const registries = service(simRegistries(sim.url));
    await registries.lookupCitizen(officer, people[4]!, PURPOSE); // a token first: the garbage is the answer's
    await sim.stats(true);
    await sim.fault("garbage", { count: 1 });
    await rejectsWith(registries.lookupCitizen(officer, people[4]!, { ...PURPOSE, dossierId: "record-garbage" }), "registries.unavailable", "invalid_answer");
    assert.equal((await sim.stats()).population, 1);
    const [row] = await rows("record-garbage");
    assert.equal(row?.outcome, "invalid_answer");
    assert.deepEqual(row?.fields, []);
    // A mapping that reads the wrong field is refused as well: the name is missing from what it makes.
    const misread = service(simRegistries(sim.url, { fields: { fullName: "hoTen" } }));
    await rejectsWith(misread.lookupCitizen(officer, people[4]!, PURPOSE), "registries.unavailable", "invalid_answer");
  });

  it("retries a registry answering 5xx a bounded number of times, then says it is unavailable", async () => {
    const registries = service(simRegistries(sim.url, { retries: 2 }));
    await registries.lookupCitizen(officer, people[5]!, PURPOSE);
    await sim.stats(true);
    await sim.fault("error");
    const err = await rejectsWith(registries.lookupCitizen(officer, people[5]!, PURPOSE), "registries.unavailable", "error");
    assert.equal(err.details?.registry, "population");
    assert.match(err.messages.vi, /vẫn có thể tiếp tục nộp hồ sơ/);
    assert.equal((await sim.stats()).population, 3, "one request and two retries");
    // One failure, then the registry heals: the retry brings the answer.
    await sim.fault("error", { count: 1 });
    assert.ok(await registries.lookupCitizen(officer, people[5]!, PURPOSE));
    await sim.fault("none");
  });

  it("gives up on a registry that is too slow, or drops the connection, or is not there", async () => {
    const slow = service(simRegistries(sim.url, { timeoutMs: 150, retries: 1 }));
    await slow.lookupCitizen(officer, people[6]!, PURPOSE);
    await sim.fault("slow", { latencyMs: 1000 });
    await rejectsWith(slow.lookupCitizen(officer, people[6]!, PURPOSE), "registries.unavailable", "timeout");
    await sim.fault("down");
    await rejectsWith(slow.lookupCitizen(officer, people[6]!, PURPOSE), "registries.unavailable", "down");
    await sim.fault("none");
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    await rejectsWith(service(simRegistries(nowhere, { retries: 0 })).lookupCitizen(officer, people[6]!, PURPOSE), "registries.unavailable", "down");
    await rejectsWith(service({ ...simRegistries(sim.url), connectors: {} }).lookupBusiness(officer, firms[0]!, PURPOSE), "registries.unavailable", "not_configured");
  });

  it("asks a new token when the kept one expires, and once more when the registry refuses the kept one", async () => {
    const clock = fixedClock("2026-03-02T02:00:00Z");
    const registries = service(simRegistries(sim.url), clock);
    await sim.stats(true);
    await registries.lookupCitizen(officer, people[13]!, PURPOSE);
    clock.advance(200_000);
    await registries.lookupCitizen(officer, people[13]!, PURPOSE);
    assert.equal((await sim.stats()).token, 1, "kept while it is valid");
    clock.advance(100_000); // 300 s tokens are renewed 30 s before they expire
    await registries.lookupCitizen(officer, people[13]!, PURPOSE);
    assert.equal((await sim.stats()).token, 2);
    await sim.rotateKey();
    assert.ok(await registries.lookupCitizen(officer, people[13]!, PURPOSE));
    const stats = await sim.stats();
    assert.equal(stats.token, 3, "one new token after the 401");
    assert.equal(stats.population, 5, "the refused request and its one repetition");
  });

  it("refuses a client the registry does not know, and a token endpoint answering garbage", async () => {
    const auth = { kind: "oauth2" as const, tokenUrl: `${sim.url}/oauth/token`, clientId: "motcua-test", clientSecret: "sai-mat-khau", scope: null };
    await sim.stats(true);
    await rejectsWith(service(simRegistries(sim.url, { auth })).lookupCitizen(officer, people[12]!, PURPOSE), "registries.unavailable", "refused");
    assert.equal((await sim.stats()).token, 1, "a refused client is not retried");
    const fresh = service(simRegistries(sim.url));
    await sim.fault("garbage", { count: 1 });
    await rejectsWith(fresh.lookupCitizen(officer, people[12]!, PURPOSE), "registries.unavailable", "invalid_answer");
    assert.ok(await fresh.lookupCitizen(officer, people[12]!, PURPOSE));
  });

  it("opens the breaker after failures in a row, asks nothing while it is open, and closes after a good trial", async () => {
    const clock = fixedClock("2026-03-02T02:00:00Z");
    const registries = service(simRegistries(sim.url, { retries: 0 }, { failures: 2, resetMs: 60_000 }), clock);
    await registries.lookupCitizen(officer, people[7]!, PURPOSE);
    await sim.fault("error");
    await rejectsWith(registries.lookupCitizen(officer, people[7]!, PURPOSE), "registries.unavailable", "error");
    await rejectsWith(registries.lookupCitizen(officer, people[7]!, PURPOSE), "registries.unavailable", "error");
    await sim.stats(true);
    const open = await rejectsWith(registries.lookupCitizen(officer, people[7]!, PURPOSE), "registries.unavailable", "circuit_open");
    assert.equal(open.details?.retryAfterSeconds, 60);
    assert.equal((await sim.stats()).population, 0, "nothing is sent while the breaker is open");
    assert.equal(registries.status().population.breaker, "open");
    await sim.fault("none");
    clock.advance(60_000);
    assert.equal(registries.status().population.breaker, "half_open");
    assert.ok(await registries.lookupCitizen(officer, people[7]!, PURPOSE));
    assert.equal(registries.status().population.breaker, "closed");
  });

  it("keeps to the registry's quota per minute", async () => {
    const clock = fixedClock("2026-03-02T02:00:00Z");
    const registries = service(simRegistries(sim.url, { perMinute: 2 }), clock);
    await registries.lookupCitizen(officer, people[8]!, PURPOSE);
    await registries.lookupCitizen(officer, people[8]!, PURPOSE);
    await rejectsWith(registries.lookupCitizen(officer, people[8]!, PURPOSE), "registries.rate_limited");
    clock.advance(30_000);
    assert.ok(await registries.lookupCitizen(officer, people[8]!, PURPOSE));
  });

  it("lets officers look anyone up, citizens and businesses only themselves, and nobody else", async () => {
    const registries = service(simRegistries(sim.url));
    const me = people[9]!;
    const purpose = { ...PURPOSE, dossierId: "record-access" };
    assert.ok(await registries.lookupCitizen(citizen(me), me, purpose));
    assert.ok(await registries.civilEvents(citizen(me), me, purpose));
    assert.ok(await registries.lookupBusiness(business(firms[1]!), firms[1]!, purpose));
    for (const [who, ask] of [
      [citizen(me), () => registries.lookupCitizen(citizen(me), people[10]!, purpose)],
      [citizen(me), () => registries.civilEvents(citizen(me), people[10]!, purpose)],
      [business(firms[1]!), () => registries.lookupBusiness(business(firms[1]!), firms[2]!, purpose)],
      [business(firms[1]!), () => registries.lookupCitizen(business(firms[1]!), me, purpose)],
      [admin, () => registries.lookupCitizen(admin, me, purpose)],
      [anonymous, () => registries.lookupCitizen(anonymous, me, purpose)],
      [systemActor("job"), () => registries.lookupCitizen(systemActor("job"), me, purpose)],
    ] as const) {
      await rejectsWith(ask(), "registries.forbidden", undefined).catch((e: unknown) => assert.fail(`${JSON.stringify(who)}: ${String(e)}`));
    }
    const recorded = await rows("record-access");
    assert.equal(recorded.length, 3, "a refused look-up asks nothing and records nothing");
    assert.ok(recorded.every((r) => r.agency_code === null));
    const mine = await registries.lookupsAboutMe(citizen(me));
    assert.ok(mine.some((r) => r.dossierId === "record-access" && r.registry === "civil_status"));
  });

  it("needs a well-formed CCCD or tax code, a purpose, a legal basis and a dossier", async () => {
    const registries = service(simRegistries(sim.url));
    const bad = await rejectsWith(registries.lookupCitizen(officer, "123", PURPOSE), "registries.invalid_lookup");
    assert.equal(bad.fields?.[0]?.path, "/cccd");
    await rejectsWith(registries.lookupBusiness(officer, "0100233489", PURPOSE), "registries.invalid_lookup");
    const noBasis = await rejectsWith(registries.lookupCitizen(officer, people[0]!, { ...PURPOSE, legalBasis: "" }), "registries.invalid_lookup");
    assert.equal(noBasis.fields?.[0]?.path, "/legalBasis");
  });

  it("answers over the API: the look-up, 404 for someone unknown, 503 registries.unavailable with its reason, the record of one's own", async () => {
    const officerAccount = await buildOfficer(env.ctx, { roles: ["receiver"] });
    const me = await buildCitizen(env.ctx);
    const query = new URLSearchParams({ ...PURPOSE, dossierId: "api-1" }).toString();
    const get = async (url: string, token: string) => env.app.inject({ method: "GET", url, headers: { authorization: `Bearer ${token}` } });
    const found = await get(`/api/registries/citizens/${people[11]}?${query}`, await officerAccount.token());
    assert.equal(found.statusCode, 200, found.body);
    assert.equal(found.json().cccd, people[11]);
    const unknown = await get(`/api/registries/citizens/${me.username}?${query}`, await me.token());
    assert.equal(unknown.statusCode, 404, unknown.body);
    assert.equal(unknown.json().error.code, "registries.not_found");
    const missing = await get(`/api/registries/citizens/${people[11]}`, await officerAccount.token());
    assert.equal(missing.statusCode, 400);
    const other = await get(`/api/registries/citizens/${people[11]}?${query}`, await me.token());
    assert.equal(other.statusCode, 403);
    await sim.fault("error");
    try {
      const down = await get(`/api/registries/businesses/${firms[3]}?${query}`, await officerAccount.token());
      assert.equal(down.statusCode, 503, down.body);
      assert.equal(down.json().error.code, "registries.unavailable");
      assert.equal(down.json().error.reason, "error");
    } finally {
      await sim.fault("none");
    }
    const mine = await get("/api/me/registry-lookups", await me.token());
    assert.equal(mine.statusCode, 200);
    assert.deepEqual(
      mine.json().items.map((r: { outcome: string; dossierId: string }) => [r.outcome, r.dossierId]),
      [["not_found", "api-1"]],
    );
  });
});
