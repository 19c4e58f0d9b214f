import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testApp } from "../../../test/helpers/app.ts";
import { anonymous, systemActor } from "../../platform/auth/actor.ts";
import { DomainError } from "../../platform/http/errors.ts";
import { runSeeds } from "../../platform/db/seeds.ts";
import type { AgencyDto } from "./schema.ts";
import { adminUnitsSeed, demoAgenciesSeed, readDemoAgencies } from "./seeds.ts";
import { buildAgency } from "./testing.ts";

type Env = Awaited<ReturnType<typeof testApp>>;

async function rejectsWith(p: Promise<unknown>, code: string): Promise<DomainError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof DomainError, String(err));
    assert.equal(err.code, code);
    return err;
  }
  assert.fail(`expected ${code}`);
}

describe("reference data: provinces and communes", () => {
  let env: Env;
  before(async () => {
    env = await testApp();
    // The test template is made with this seed (test/helpers/reference-data.ts): it is found loaded.
    assert.deepEqual(await runSeeds(env.database, [adminUnitsSeed()], { demo: false }), []);
  });
  after(() => env.close());

  it("loads exactly 34 provinces and 3,321 communes (2,621 xã, 687 phường, 13 đặc khu)", async () => {
    const res = await env.app.inject({ method: "GET", url: "/api/admin-units/provinces" });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers["cache-control"]), /public, max-age=\d+/);
    const { items } = res.json();
    assert.equal(items.length, 34);
    assert.deepEqual(items[0], { code: "01", name: "Thành phố Hà Nội" });
    assert.ok(items.some((p: { code: string; name: string }) => p.code === "79" && p.name === "Thành phố Hồ Chí Minh"));

    const [row] = await env.database.rows<{ n: number; xa: number; phuong: number; dk: number }>(
      (await import("drizzle-orm")).sql`SELECT count(*)::int AS n,
        count(*) FILTER (WHERE name LIKE 'Xã %')::int AS xa,
        count(*) FILTER (WHERE name LIKE 'Phường %')::int AS phuong,
        count(*) FILTER (WHERE name LIKE 'Đặc khu %')::int AS dk FROM admin_communes`,
    );
    assert.deepEqual(row, { n: 3321, xa: 2621, phuong: 687, dk: 13 });
  });

  it("lists the communes of a province", async () => {
    const res = await env.app.inject({ method: "GET", url: "/api/admin-units/provinces/24/communes" });
    assert.equal(res.statusCode, 200);
    const { items } = res.json();
    assert.equal(items.length, 99);
    assert.ok(items.every((c: { provinceCode: string }) => c.provinceCode === "24"));
    assert.deepEqual(
      items.find((c: { code: string }) => c.code === "09187"),
      { code: "09187", name: "Phường Kinh Bắc", provinceCode: "24" },
    );
    const hanoi = (await env.app.inject({ method: "GET", url: "/api/admin-units/provinces/01/communes" })).json();
    assert.equal(hanoi.items.length, 126);
  });

  it("answers 404 for an unknown province and 400 naming the field for a malformed one", async () => {
    const res = await env.app.inject({ method: "GET", url: "/api/admin-units/provinces/99/communes" });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, "directory.province_not_found");
    const bad = await env.app.inject({ method: "GET", url: "/api/admin-units/provinces/hanoi/communes" });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json().error.fields.map((f: { path: string }) => f.path), ["/params/code"]);
  });

  it("loads once: running the seeds again does nothing", async () => {
    assert.deepEqual(await runSeeds(env.database, [adminUnitsSeed()], { demo: false }), []);
    const { items } = (await env.app.inject({ method: "GET", url: "/api/admin-units/provinces" })).json();
    assert.equal(items.length, 34);
  });
});

describe("demo agencies", () => {
  let env: Env;
  before(async () => {
    env = await testApp();
    await runSeeds(env.database, [adminUnitsSeed(), demoAgenciesSeed(env.ctx.directory)], { demo: true });
  });
  after(() => env.close());

  it("seeds the demo agencies: a province, its centre, three departments, two communes", async () => {
    const res = await env.app.inject({ method: "GET", url: "/api/agencies?pageSize=100" });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.total, 7);
    assert.equal(body.items.length, 7);
    // Hierarchy order: the province's People's Committee first, then the units under it.
    assert.equal(body.items[0].code, "000.00.00.H06");
    assert.equal(body.items[0].level, 1);
    assert.equal(body.items[0].parentCode, null);
    for (const a of body.items.slice(1)) {
      assert.equal(a.parentCode, "000.00.00.H06");
      assert.equal(a.level, 2);
      assert.equal(a.provinceCode, "24");
    }
    const names = body.items.map((a: { name: string }) => a.name);
    for (const n of ["Sở Tư pháp", "Sở Xây dựng", "Sở Nông nghiệp và Môi trường", "Trung tâm Phục vụ hành chính công"]) {
      assert.ok(names.some((x: string) => x.startsWith(n)), n);
    }
    const communes = body.items.filter((a: { communeCode: string | null }) => a.communeCode !== null);
    assert.deepEqual(communes.map((a: { communeCode: string }) => a.communeCode).sort(), ["09187", "09349"]);
    assert.equal(readDemoAgencies().length, 7);
  });
});

describe("agency directory", () => {
  let env: Env;
  // A province of Bắc Ninh (24) as the directory holds one: its service centre, three departments and a ward.
  // Tests that add agencies add them elsewhere, so each test finds the province as it was made.
  let province: AgencyDto;
  let centre: AgencyDto;
  let justice: AgencyDto;
  let construction: AgencyDto;
  let agriculture: AgencyDto;
  let ward: AgencyDto;
  /** An unused code under the province: level 2, two digits (the factories' units take letters). */
  const unitCode = (digits: string) => `000.00.${digits}.${province.code.slice(-3)}`;
  before(async () => {
    env = await testApp();
    province = await buildAgency(env.ctx, { name: "Ủy ban nhân dân tỉnh Bắc Ninh", provinceCode: "24", departments: [] });
    centre = await buildAgency(env.ctx, {
      parent: province,
      kind: "service_centre",
      name: "Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh",
      departments: [{ code: "tiep-nhan", name: "Bộ phận tiếp nhận và trả kết quả" }],
    });
    justice = await buildAgency(env.ctx, {
      parent: province,
      name: "Sở Tư pháp tỉnh Bắc Ninh",
      nameEn: "Bắc Ninh Department of Justice",
      departments: [
        { code: "van-phong", name: "Văn phòng Sở" },
        { code: "hanh-chinh-tu-phap", name: "Phòng Hành chính tư pháp" },
      ],
    });
    construction = await buildAgency(env.ctx, { parent: province, name: "Sở Xây dựng tỉnh Bắc Ninh", nameEn: "Bắc Ninh Department of Construction" });
    agriculture = await buildAgency(env.ctx, { parent: province, name: "Sở Nông nghiệp và Môi trường tỉnh Bắc Ninh" });
    ward = await buildAgency(env.ctx, { parent: province, kind: "people_committee", name: "Ủy ban nhân dân phường Phật Tích", communeCode: "09349" });
  });
  after(() => env.close());

  const get = (url: string) => env.app.inject({ method: "GET", url });
  const codesOf = async (url: string): Promise<string[]> => (await get(url)).json().items.map((a: { code: string }) => a.code);

  it("finds agencies without diacritics or case", async () => {
    for (const q of ["so tu phap", "SỞ TƯ PHÁP", "tu phap bac ninh", "phap  so"]) {
      const body = (await get(`/api/agencies?q=${encodeURIComponent(q)}`)).json();
      assert.deepEqual(
        body.items.map((a: { code: string }) => a.code),
        [justice.code],
        q,
      );
      assert.equal(body.items[0].name, "Sở Tư pháp tỉnh Bắc Ninh");
    }
    assert.deepEqual(await codesOf(`/api/agencies?q=${encodeURIComponent("uy ban nhan dan phat tich")}`), [ward.code]);
    // A code typed in part: the unit's own level and the province's.
    assert.deepEqual(await codesOf(`/api/agencies?q=${construction.code.slice(6)}`), [construction.code]);
    assert.deepEqual(await codesOf(`/api/agencies?q=${encodeURIComponent("department of construction")}`), [construction.code]);
    const none = (await get("/api/agencies?q=%25")).json();
    assert.deepEqual(none, { items: [], page: 1, pageSize: 20, hasMore: false, total: 0 });
  });

  it("filters by parent and by province", async () => {
    const chiCuc = await env.ctx.directory.createAgency(systemActor("test"), {
      code: `000.01.${agriculture.code.slice(7)}`,
      name: "Chi cục Thủy lợi",
      kind: "specialised_agency",
    });
    assert.deepEqual(await codesOf(`/api/agencies?parent=${agriculture.code}`), [chiCuc.code]);
    assert.equal(chiCuc.provinceCode, "24", "the parent's province");
    const top = (await get(`/api/agencies?parent=${province.code}&pageSize=100`)).json();
    assert.deepEqual(top.items.map((a: { code: string }) => a.code).sort(), [centre, justice, construction, agriculture, ward].map((a) => a.code).sort());
    assert.ok(top.items.every((a: { parentCode: string }) => a.parentCode === province.code));
    // By province: the province's agencies, and none of another's.
    const elsewhere = await buildAgency(env.ctx, { provinceCode: "79" });
    const inBacNinh = await codesOf("/api/agencies?province=24&pageSize=100");
    for (const a of [province, centre, justice, construction, agriculture, ward, chiCuc]) assert.ok(inBacNinh.includes(a.code), a.code);
    assert.ok(!inBacNinh.includes(elsewhere.code));
    assert.deepEqual(await codesOf("/api/agencies?province=79"), [elsewhere.code]);
    assert.equal((await get("/api/agencies?province=96")).json().total, 0);
    const bad = await get("/api/agencies?parent=000.05.00.H06");
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json().error.fields.map((f: { path: string }) => f.path), ["/querystring/parent"]);
  });

  it("pages in the API's list shape", async () => {
    const list = (query: string) => get(`/api/agencies?parent=${province.code}&${query}`);
    const all = (await (await list("pageSize=100")).json()).items.map((a: { code: string }) => a.code);
    assert.equal(all.length, 5);
    const p1 = (await list("page=1&pageSize=2")).json();
    const p2 = (await list("page=2&pageSize=2")).json();
    const p3 = (await list("page=3&pageSize=2")).json();
    assert.deepEqual(Object.keys(p1).sort(), ["hasMore", "items", "page", "pageSize", "total"]);
    assert.deepEqual([p1.page, p1.pageSize, p1.hasMore, p1.total], [1, 2, true, all.length]);
    assert.deepEqual([p3.page, p3.hasMore, p3.items.length], [3, false, all.length - 4]);
    const paged = [...p1.items, ...p2.items, ...p3.items].map((a: { code: string }) => a.code);
    assert.deepEqual(paged, all);
    const beyond = (await list("page=9&pageSize=2")).json();
    assert.deepEqual([beyond.items.length, beyond.total, beyond.hasMore], [0, all.length, false]);
    const tooBig = await get("/api/agencies?pageSize=101");
    assert.equal(tooBig.statusCode, 400);
    assert.deepEqual(tooBig.json().error.fields.map((f: { path: string }) => f.path), ["/querystring/pageSize"]);
  });

  it("returns one agency with its departments", async () => {
    const res = await get(`/api/agencies/${justice.code}`);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers["cache-control"]), /public/);
    const a = res.json();
    assert.equal(a.name, "Sở Tư pháp tỉnh Bắc Ninh");
    assert.equal(a.nameEn, "Bắc Ninh Department of Justice");
    assert.equal(a.kind, "specialised_agency");
    assert.ok(a.departments.some((d: { code: string; name: string }) => d.name === "Phòng Hành chính tư pháp"));
    const ofCentre = (await get(`/api/agencies/${centre.code}`)).json();
    assert.ok(ofCentre.departments.some((d: { name: string }) => d.name === "Bộ phận tiếp nhận và trả kết quả"));
  });

  it("answers 400 naming the field for a malformed code, 404 for an unknown one", async () => {
    for (const code of ["H06", "000.00.00.h06", "000.05.00.H06", "000.00.00.H06x"]) {
      const res = await get(`/api/agencies/${encodeURIComponent(code)}`);
      assert.equal(res.statusCode, 400, code);
      const { error } = res.json();
      assert.equal(error.code, "request.validation_failed");
      assert.deepEqual(error.fields.map((f: { path: string }) => f.path), ["/params/code"]);
    }
    const res = await get(`/api/agencies/${unitCode("99")}`);
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, "directory.agency_not_found");
  });

  it("publishes the routes in the OpenAPI description", async () => {
    const spec = (await get("/openapi.json")).json();
    for (const p of [
      "/api/admin-units/provinces",
      "/api/admin-units/provinces/{code}/communes",
      "/api/agencies",
      "/api/agencies/{code}",
    ]) {
      assert.ok(spec.paths[p]?.get, p);
      assert.deepEqual(spec.paths[p].get.tags, ["reference"]);
      assert.ok(spec.paths[p].get.responses["200"], p);
    }
  });

  it("scopes by subtree", async () => {
    const dir = env.ctx.directory;
    // A province of its own: two departments, one with a sub-department and a station under that.
    const root = await buildAgency(env.ctx);
    const [water, other] = [await buildAgency(env.ctx, { parent: root }), await buildAgency(env.ctx, { parent: root })];
    const subDepartment = await buildAgency(env.ctx, { parent: water });
    const station = await buildAgency(env.ctx, { parent: subDepartment, kind: "other" });
    assert.deepEqual(await dir.subtree(water.code), [water.code, subDepartment.code, station.code]);
    assert.deepEqual(await dir.subtree(other.code), [other.code]);
    const whole = await dir.subtree(root.code);
    assert.equal(whole.length, 5);
    assert.equal(whole[0], root.code);
    assert.ok(dir.isWithin(station.code, root.code));
    assert.ok(!dir.isWithin(station.code, other.code));
    await rejectsWith(dir.subtree(unitCode("77")), "directory.agency_not_found");
  });

  it("creates agencies only when code, parent, province and commune agree", async () => {
    const dir = env.ctx.directory;
    const actor = systemActor("test");
    const fieldsOf = async (input: Parameters<typeof dir.createAgency>[1]) =>
      (await rejectsWith(dir.createAgency(actor, input), "directory.invalid_agency")).fields?.map((f) => f.path);
    const L1 = province.code.slice(-3);

    assert.deepEqual(await fieldsOf({ code: `000.00.0.${L1}`, name: "X", kind: "other" }), ["/code"]);
    assert.deepEqual(await fieldsOf({ code: `000.07.00.${L1}`, name: "X", kind: "other" }), ["/code"]);
    // Level 3 under a level-2 unit that does not exist.
    assert.deepEqual(await fieldsOf({ code: `000.01.44.${L1}`, name: "X", kind: "other" }), ["/code"]);
    assert.deepEqual(
      await fieldsOf({ code: unitCode("20"), name: "X", kind: "other", parentCode: justice.code }),
      ["/parentCode"],
    );
    assert.deepEqual(await fieldsOf({ code: unitCode("20"), name: "X", kind: "other", provinceCode: "99" }), ["/provinceCode"]);
    assert.deepEqual(
      await fieldsOf({ code: unitCode("20"), name: "X", kind: "other", provinceCode: "24", communeCode: "00004" }),
      ["/communeCode"],
    );
    assert.deepEqual(await fieldsOf({ code: unitCode("20"), name: "X", kind: "other", communeCode: "99999" }), ["/communeCode"]);
    assert.deepEqual(await fieldsOf({ code: unitCode("20"), name: " ", kind: "other" }), ["/name"]);
    assert.deepEqual(
      await fieldsOf({
        code: unitCode("20"),
        name: "X",
        kind: "other",
        departments: [
          { code: "a", name: "A" },
          { code: "a", name: "B" },
        ],
      }),
      ["/departments/1/code"],
    );
    await rejectsWith(dir.createAgency(actor, { code: justice.code, name: "Again", kind: "other" }), "directory.agency_exists");
    await rejectsWith(dir.createAgency(anonymous, { code: unitCode("21"), name: "X", kind: "other" }), "directory.forbidden");

    // A level-1 unit elsewhere: no parent needed; the commune gives the province.
    const created = await dir.createAgency(actor, {
      code: "000.00.00.H29",
      name: "Ủy ban nhân dân Thành phố Hà Nội",
      kind: "people_committee",
      communeCode: "00004",
      departments: [{ code: "van-phong", name: "Văn phòng" }],
    });
    assert.deepEqual(
      [created.level, created.parentCode, created.provinceCode, created.departments.length],
      [1, null, "01", 1],
    );
    const dep = await dir.addDepartment(actor, "000.00.00.H29", { code: "tiep-nhan", name: "Bộ phận một cửa" });
    assert.equal(dep.code, "tiep-nhan");
    await rejectsWith(dir.addDepartment(actor, "000.00.00.H29", { code: "tiep-nhan", name: "Again" }), "directory.department_exists");
    await rejectsWith(dir.addDepartment(actor, "000.00.00.H30", { code: "x", name: "X" }), "directory.agency_not_found");
  });

  it("rolls back a failed creation as a whole", async () => {
    const dir = env.ctx.directory;
    await assert.rejects(
      env.database.transaction(async (tx) => {
        await dir.createAgency(systemActor("test"), { code: unitCode("30"), name: "Tạm", kind: "other" }, tx);
        throw new Error("abort");
      }),
      /abort/,
    );
    await rejectsWith(dir.agency(unitCode("30")), "directory.agency_not_found");
  });
});
