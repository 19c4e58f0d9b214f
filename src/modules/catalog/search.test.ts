// Search as a citizen types on a phone: without diacritics, with a typo, with filters; the same on
// PGlite and PostgreSQL (the suite runs on both).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { systemActor } from "../../platform/auth/actor.ts";
import type { App } from "../../platform/http/types.ts";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import type { AgencyDto } from "../directory/index.ts";
import { buildAgency } from "../directory/testing.ts";
import type { ProcedureContent } from "./model.ts";
import { buildProcedure } from "./testing.ts";

/** A province's procedure received at its service centre. */
const provinceSteps = (centre: string): ProcedureContent["steps"] => [
  { key: "tiep-nhan", name: "Tiếp nhận tại Trung tâm", role: "receiver", department: "tiep-nhan", agency: centre, hours: 8, leaderSigns: false },
  { key: "tham-dinh", name: "Thẩm định", role: "specialist", department: null, agency: null, hours: 24, leaderSigns: false },
  { key: "ky", name: "Ký duyệt", role: "leader", department: null, agency: null, hours: 8, leaderSigns: true },
];
const FIVE_DAYS: ProcedureContent["processingTimes"] = [
  { channel: "counter", amount: 5, unit: "working_days" },
  { channel: "online", amount: 5, unit: "working_days" },
];

describe("catalogue search", () => {
  let env: TestEnv & { app: App };
  // Named procedures are always set in `before`; the chungThuc keys are indexed.
  const code = {} as Record<"khaiSinh" | "khaiSinhLai" | "ketHon" | "trichLuc" | "gpxd" | "hkd", string> & Record<string, string>;
  // A province (its centre, a department, two wards) whose agencies implement the procedures.
  let province: AgencyDto;
  let construction: AgencyDto;
  let ward: AgencyDto;
  let otherWard: AgencyDto;
  before(async () => {
    env = await testApp();
    province = await buildAgency(env.ctx);
    const centre = await buildAgency(env.ctx, { parent: province, kind: "service_centre", departments: ["tiep-nhan"] });
    construction = await buildAgency(env.ctx, { parent: province });
    const departments = ["tiep-nhan", "van-hoa-xa-hoi", "van-phong"];
    ward = await buildAgency(env.ctx, { parent: province, kind: "people_committee", departments });
    otherWard = await buildAgency(env.ctx, { parent: province, kind: "people_committee", departments });
    const actor = systemActor("test");
    const add = async (key: string, p: ProcedureContent) => {
      (code as Record<string, string>)[key] = p.code;
      await env.ctx.catalog.create(actor, p);
      await env.ctx.catalog.publish(actor, p.code);
    };
    await add("khaiSinh", wardProcedure({ name: "Đăng ký khai sinh", field: { code: "HT", name: "Hộ tịch" } }));
    await add("khaiSinhLai", wardProcedure({ name: "Đăng ký lại khai sinh", field: { code: "HT", name: "Hộ tịch" }, agencies: [otherWard.code] }));
    await add("ketHon", wardProcedure({ name: "Đăng ký kết hôn", field: { code: "HT", name: "Hộ tịch" }, description: "Hai bên nam, nữ cùng có mặt." }));
    // "khai sinh" only in the summary: found, ranked after the names.
    await add("trichLuc", wardProcedure({ name: "Cấp bản sao trích lục hộ tịch", field: { code: "HT", name: "Hộ tịch" }, description: "Bản sao trích lục khai sinh, kết hôn, khai tử." }));
    await add("gpxd", wardProcedure({
      name: "Cấp giấy phép xây dựng công trình",
      field: { code: "XD", name: "Hoạt động xây dựng" },
      levels: ["province"],
      agencies: [construction.code],
      audience: ["citizen", "business"],
      onlineLevel: "partial",
      processingTimes: FIVE_DAYS,
      steps: provinceSteps(centre.code),
    }));
    await add("hkd", wardProcedure({ name: "Đăng ký thành lập hộ kinh doanh", field: { code: "KD", name: "Thành lập và hoạt động của hộ kinh doanh" }, audience: ["business"] }));
    for (let i = 0; i < 23; i++) await add(`chungThuc${i}`, wardProcedure({ name: `Chứng thực bản sao loại ${i + 1}`, field: { code: "CT", name: "Chứng thực" } }));
  });
  after(() => env.close());

  /** A publishable procedure of the ward. */
  const wardProcedure = (overrides: Partial<ProcedureContent> = {}) => buildProcedure({ agencies: [ward.code], ...overrides });

  const search = async (query: string) => {
    const res = await env.app.inject({ method: "GET", url: `/api/procedures?${query}` });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { items: Array<{ code: string; name: string }>; hasMore: boolean; total: number | null; page: number; correctedQuery: string | null };
  };
  const codes = async (query: string) => (await search(query)).items.map((i) => i.code);

  it("ignores diacritics and case", async () => {
    for (const q of ["dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "Dang Ky Khai Sinh", "đăng ký khai sinh"]) {
      const found = await codes(`q=${encodeURIComponent(q)}`);
      assert.equal(found[0], code.khaiSinh, q);
      assert.ok(found.includes(code.khaiSinhLai), q);
      assert.ok(!found.includes(code.ketHon), q);
    }
  });

  it("tolerates a typo when nothing matches every word", async () => {
    for (const q of ["khai snh", "dang ky khai sihn", "giay phep xay dung cong trinhh"]) {
      const found = await codes(`q=${encodeURIComponent(q)}`);
      assert.ok(found.length > 0, `${q} found something`);
      assert.ok([code.khaiSinh, code.khaiSinhLai, code.gpxd].includes(found[0]!), `${q} → ${found[0]}`);
    }
    const typo = await search(`q=${encodeURIComponent("dang ky khai snh")}`);
    assert.equal(typo.items[0]?.code, code.khaiSinh);
    assert.equal(typo.correctedQuery, "dang ky khai sinh", "the page can say what was searched instead");
    assert.equal((await search(`q=${encodeURIComponent("phieu ly lich tu pahp")}`)).correctedQuery, null, "no such procedure: nothing to correct to");
    assert.equal((await search(`q=${encodeURIComponent("khai sinh")}`)).correctedQuery, null);
    assert.deepEqual(await codes(`q=${encodeURIComponent("qwzx")}`), []);
  });

  it("ranks a match in the name above one in the summary", async () => {
    const found = await codes(`q=${encodeURIComponent("khai sinh")}`);
    assert.ok(found.includes(code.trichLuc));
    assert.ok(found.indexOf(code.khaiSinh) < found.indexOf(code.trichLuc));
    assert.ok(found.indexOf(code.khaiSinhLai) < found.indexOf(code.trichLuc));
  });

  it("pages on from the name matches into the summary matches", async () => {
    const q = `q=${encodeURIComponent("khai sinh")}&pageSize=1`;
    const pages = [];
    for (let page = 1; page <= 4; page++) pages.push(await search(`${q}&page=${page}`));
    assert.deepEqual(
      pages.map((p) => p.items.map((i) => i.code)),
      [[code.khaiSinh], [code.khaiSinhLai], [code.trichLuc], []],
    );
    assert.deepEqual(pages.map((p) => p.hasMore), [true, true, false, false]);
    assert.equal(pages[2]!.total, 3);
  });

  it("filters by field, agency (with the units under it), online level and audience", async () => {
    assert.deepEqual((await codes("field=XD")).sort(), [code.gpxd]);
    assert.deepEqual(await codes(`q=${encodeURIComponent("khai sinh")}&agency=${otherWard.code}`), [code.khaiSinhLai]);
    // The province's People's Committee: every procedure of the agencies under it.
    assert.ok((await codes(`agency=${province.code}&pageSize=100`)).length >= 29);
    assert.deepEqual(await codes(`agency=${construction.code}`), [code.gpxd]);
    assert.deepEqual(await codes("agency=nonsense"), []);
    assert.deepEqual(await codes("level=partial"), [code.gpxd]);
    assert.deepEqual((await codes("audience=business")).sort(), [code.gpxd, code.hkd].sort());
    assert.deepEqual(await codes(`q=${encodeURIComponent("dang ky")}&audience=business`), [code.hkd]);
    assert.equal((await env.app.inject({ method: "GET", url: "/api/procedures?level=toan-trinh" })).statusCode, 400);
  });

  it("pages without counting: hasMore, and a total only on the last page", async () => {
    const first = await search("field=CT&pageSize=10");
    assert.equal(first.items.length, 10);
    assert.equal(first.hasMore, true);
    assert.equal(first.total, null);
    const third = await search("field=CT&pageSize=10&page=3");
    assert.equal(third.items.length, 3);
    assert.equal(third.hasMore, false);
    assert.equal(third.total, 23);
    const all = new Set([...first.items, ...(await search("field=CT&pageSize=10&page=2")).items, ...third.items].map((i) => i.code));
    assert.equal(all.size, 23, "pages neither repeat nor skip");
    assert.equal((await env.app.inject({ method: "GET", url: "/api/procedures?pageSize=101" })).statusCode, 400);
  });

  it("shows a new publication at once, though repeated searches are answered from memory", async () => {
    const q = `q=${encodeURIComponent("cap phep bieu dien nghe thuat")}`;
    assert.deepEqual(await codes(q), []);
    const p = wardProcedure({ name: "Cấp phép biểu diễn nghệ thuật", field: { code: "VH", name: "Văn hóa" } });
    await env.ctx.catalog.create(systemActor("test"), p);
    assert.deepEqual(await codes(q), [], "a draft is not listed");
    await env.ctx.catalog.publish(systemActor("test"), p.code);
    assert.deepEqual(await codes(q), [p.code]);
  });

  it("lists the fields of published procedures", async () => {
    const p = wardProcedure({ name: "Cấp giấy phép hoạt động thư viện", field: { code: "VH", name: "Văn hóa" } });
    await env.ctx.catalog.create(systemActor("test"), p);
    await env.ctx.catalog.publish(systemActor("test"), p.code);
    const res = await env.app.inject({ method: "GET", url: "/api/procedure-fields" });
    assert.deepEqual(
      res.json().items.map((f: { code: string }) => f.code),
      ["CT", "XD", "HT", "KD", "VH"],
    );
  });
});
