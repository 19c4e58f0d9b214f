// The portal's catalogue pages through the app: search as a citizen types it, filters, paging, the htmx
// fragment, and a procedure's page with everything formatted as the catalogue publishes it.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import { systemActor } from "../../platform/auth/actor.ts";
import type { App } from "../../platform/http/types.ts";
import { pageRequest } from "../../web/render.ts";
import type { AgencyDto } from "../directory/index.ts";
import { buildAgency } from "../directory/testing.ts";
import type { ProcedureContent } from "./model.ts";
import { ProcedureView } from "./procedure-view.tsx";
import type { ProcedureDto } from "./schema.ts";
import { buildProcedure } from "./testing.ts";

const HTML = { accept: "text/html" };
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A province's procedure received at its service centre, examined and signed at the department. */
const provinceSteps = (centre: string): ProcedureContent["steps"] => [
  { key: "tiep-nhan", name: "Tiếp nhận tại Trung tâm", role: "receiver", department: "tiep-nhan", agency: centre, hours: 8, leaderSigns: false },
  { key: "tham-dinh", name: "Thẩm định hồ sơ", role: "specialist", department: "quan-ly-xay-dung", agency: null, hours: 96, leaderSigns: false },
  { key: "ky", name: "Ký giấy phép", role: "leader", department: null, agency: null, hours: 16, leaderSigns: true },
];

describe("portal catalogue pages", () => {
  let env: TestEnv & { app: App };
  // A province's service centre, two of its departments and two wards, named as the portal shows them.
  let construction: AgencyDto;
  let agriculture: AgencyDto;
  let ward: AgencyDto;
  let otherWard: AgencyDto;
  let khaiSinh: ProcedureContent;
  let gpxd: ProcedureContent;
  let free: ProcedureContent;
  let draftOnly: ProcedureContent;
  before(async () => {
    env = await testApp();
    const province = await buildAgency(env.ctx, { name: "Ủy ban nhân dân tỉnh Thử Nghiệm" });
    const centre = await buildAgency(env.ctx, { parent: province, kind: "service_centre", name: "Trung tâm Phục vụ hành chính công tỉnh Thử Nghiệm", departments: ["tiep-nhan"] });
    construction = await buildAgency(env.ctx, { parent: province, name: "Sở Xây dựng tỉnh Thử Nghiệm", departments: ["van-phong", "quan-ly-xay-dung"] });
    agriculture = await buildAgency(env.ctx, { parent: province, name: "Sở Nông nghiệp và Môi trường tỉnh Thử Nghiệm" });
    const departments = ["tiep-nhan", "van-hoa-xa-hoi", "van-phong"];
    ward = await buildAgency(env.ctx, { parent: province, kind: "people_committee", name: "Ủy ban nhân dân phường Kinh Bắc", departments });
    otherWard = await buildAgency(env.ctx, { parent: province, kind: "people_committee", name: "Ủy ban nhân dân phường Phật Tích", departments });
    const wardProcedure = (overrides: Partial<ProcedureContent> = {}) => buildProcedure({ agencies: [ward.code], ...overrides });
    const actor = systemActor("test");
    const add = async (p: ProcedureContent) => {
      await env.ctx.catalog.create(actor, p);
      await env.ctx.catalog.publish(actor, p.code);
      return p;
    };
    khaiSinh = await add(wardProcedure({ name: "Đăng ký khai sinh", field: { code: "HT", name: "Hộ tịch" } }));
    gpxd = await add(
      wardProcedure({
        name: "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        field: { code: "XD", name: "Hoạt động xây dựng" },
        levels: ["province"],
        agencies: [construction.code],
        audience: ["citizen", "business"],
        onlineLevel: "partial",
        assuranceLevel: 2,
        fees: [{ key: "le-phi", name: "Lệ phí cấp giấy phép", kind: "fee", amount: 75000, channel: null, exemptions: [] }],
        processingTimes: [
          { channel: "counter", amount: 15, unit: "working_days" },
          { channel: "online", amount: 15, unit: "working_days" },
        ],
        steps: provinceSteps(centre.code),
      }),
    );
    free = await add(wardProcedure({ name: "Xác nhận tình trạng hôn nhân", field: { code: "HT", name: "Hộ tịch" }, fees: [], agencies: [otherWard.code] }));
    for (let i = 1; i <= 12; i++) await add(wardProcedure({ name: `Chứng thực bản sao loại ${String(i).padStart(2, "0")}`, field: { code: "CT", name: "Chứng thực" } }));
    draftOnly = wardProcedure({ name: "Thủ tục còn là dự thảo" });
    await env.ctx.catalog.create(actor, draftOnly);
  });
  after(() => env.close());

  const get = (url: string, headers: Record<string, string> = {}) => env.app.inject({ method: "GET", url, headers: { ...HTML, ...headers } });
  const resultLinks = (body: string) => [...body.matchAll(/<h3 class="result__title"><a href="\/thu-tuc\/([^"]+)">/g)].map((m) => decodeURIComponent(m[1]!));

  it("finds Đăng ký khai sinh for words typed without diacritics, with its field, time, fee and level", async () => {
    const res = await get(`/thu-tuc?q=${encodeURIComponent("dang ky khai sinh")}`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /^<!doctype html><html lang="vi">/);
    assert.match(res.body, /<title>dang ky khai sinh — Thủ tục hành chính — Một cửa điện tử<\/title>/);
    assert.equal(resultLinks(res.body)[0], khaiSinh.code);
    assert.match(res.body, new RegExp(`<a href="/thu-tuc/${khaiSinh.code}">Đăng ký khai sinh</a>`));
    const item = res.body.slice(res.body.indexOf(`/thu-tuc/${khaiSinh.code}`));
    assert.match(item, /<dd>Hộ tịch<\/dd>/);
    assert.match(item, /Trực tiếp: 3 ngày làm việc; Trực tuyến: 2 ngày làm việc/);
    assert.match(item, /Lệ phí: 10\.000 đồng/);
    assert.match(item, /Trực tuyến: Toàn trình/);
    // The form keeps what was typed, and works as a plain GET form.
    assert.match(res.body, /<form method="get" action="\/thu-tuc" role="search"/);
    assert.match(res.body, /<input type="search" id="q" name="q" value="dang ky khai sinh"/);
  });

  it("narrows by field, online level, audience and agency; the selects offer the catalogue's fields and agencies", async () => {
    const full = await get("/thu-tuc");
    assert.match(full.body, /<option value="XD">Hoạt động xây dựng<\/option>/);
    assert.match(full.body, new RegExp(`<option value="${escaped(construction.code)}">Sở Xây dựng tỉnh Thử Nghiệm</option>`));
    assert.doesNotMatch(full.body, new RegExp(`<option value="${escaped(agriculture.code)}">`), "an agency without procedures is not offered");
    assert.deepEqual(resultLinks((await get("/thu-tuc?field=XD")).body), [gpxd.code]);
    assert.deepEqual(resultLinks((await get("/thu-tuc?level=partial")).body), [gpxd.code]);
    assert.deepEqual(resultLinks((await get("/thu-tuc?audience=business")).body), [gpxd.code]);
    assert.deepEqual(resultLinks((await get(`/thu-tuc?agency=${construction.code}`)).body), [gpxd.code]);
    assert.deepEqual(resultLinks((await get(`/thu-tuc?field=HT&agency=${otherWard.code}`)).body), [free.code]);
    const kept = await get("/thu-tuc?field=HT&level=full");
    assert.match(kept.body, /<option value="HT" selected>Hộ tịch<\/option>/);
    assert.match(kept.body, /<option value="full" selected>Toàn trình<\/option>/);
    assert.match(kept.body, /Miễn phí/, "a procedure without fees is free");
    // A value the form cannot hold is dropped rather than refused.
    assert.equal((await get("/thu-tuc?level=bogus&page=-3")).statusCode, 200);
  });

  it("pages with Trang sau / Trang trước links that keep the filters", async () => {
    const first = await get("/thu-tuc?field=CT");
    assert.equal(resultLinks(first.body).length, 10);
    assert.match(first.body, /<a rel="next" href="\/thu-tuc\?field=CT&amp;page=2"[^>]*>Trang sau<\/a>/);
    assert.doesNotMatch(first.body, /Trang trước/);
    const second = await get("/thu-tuc?field=CT&page=2");
    assert.equal(resultLinks(second.body).length, 2);
    assert.match(second.body, /<a rel="prev" href="\/thu-tuc\?field=CT"[^>]*>Trang trước<\/a>/);
    assert.doesNotMatch(second.body, /Trang sau/);
    assert.deepEqual(new Set([...resultLinks(first.body), ...resultLinks(second.body)]).size, 12);
  });

  it("answers htmx with the results fragment only, and a history restore with the whole page", async () => {
    const fragment = await get("/thu-tuc?q=khai+sinh", { "hx-request": "true" });
    assert.equal(fragment.statusCode, 200);
    assert.match(String(fragment.headers["content-type"]), /text\/html/);
    assert.ok(fragment.body.startsWith('<h2 id="results-heading">Kết quả tìm kiếm</h2>'), fragment.body.slice(0, 80));
    assert.doesNotMatch(fragment.body, /<html|<form|<nav class="site-nav"/);
    assert.equal(resultLinks(fragment.body)[0], khaiSinh.code);
    assert.match(String(fragment.headers.vary), /HX-Request/);
    const filtered = await get(`/thu-tuc?q=khai+sinh&field=&level=&audience=&agency=${ward.code}`, { "hx-request": "true" });
    assert.equal(filtered.headers["hx-push-url"], `/thu-tuc?q=khai+sinh&agency=${ward.code}`, "the address shown leaves the empty fields out");
    const restore = await get("/thu-tuc?q=khai+sinh", { "hx-request": "true", "hx-history-restore-request": "true" });
    assert.match(restore.body, /^<!doctype html>/);
    const page = await get("/thu-tuc?q=khai+sinh");
    assert.match(String(page.headers.vary), /HX-Request/);
    // The search box asks for the fragment as the user types; the results region is its target.
    assert.match(page.body, /id="q"[^>]*hx-get="\/thu-tuc" hx-trigger="input changed delay:300ms, search" hx-include="closest form" hx-target="#ket-qua" hx-push-url="true"/);
    assert.match(page.body, /<section id="ket-qua" aria-labelledby="results-heading">/);
  });

  it("says kindly when nothing matches and suggests what to try", async () => {
    const res = await get("/thu-tuc?q=qwzx");
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Không tìm thấy thủ tục nào phù hợp\./);
    assert.match(res.body, /Hãy thử gõ không dấu/);
    assert.deepEqual(resultLinks(res.body), []);
  });

  it("is linked from the portal navigation and the home page", async () => {
    const home = await get("/");
    assert.match(home.body, /<nav class="site-nav"[\s\S]*<a href="\/thu-tuc">Thủ tục hành chính<\/a>/);
    assert.match(home.body, /<h3 class="card__title"><a href="\/thu-tuc">Thủ tục hành chính<\/a><\/h3>/);
    assert.match((await get("/thu-tuc")).body, /<a href="\/thu-tuc" aria-current="page">/);
  });

  it("shows a procedure: components, times, fees, steps, conditions, legal basis, agencies by name, the online button", async () => {
    const res = await get(`/thu-tuc/${khaiSinh.code}`);
    assert.equal(res.statusCode, 200);
    const b = res.body;
    assert.match(b, /<title>Đăng ký khai sinh — Một cửa điện tử<\/title>/);
    assert.equal(b.match(/<h1>/g)?.length, 1);
    assert.match(b, /<dd>Ủy ban nhân dân phường Kinh Bắc<\/dd>/);
    assert.match(b, /<h2 id="components">Hồ sơ gồm<\/h2>/);
    assert.match(b, /<th scope="row">Tờ khai theo mẫu<\/th><td>Có<\/td><td>1<\/td><td>0<\/td><td>0<\/td><td>Tờ khai \(mẫu thử\)<\/td>/);
    assert.match(b, /<th scope="row">Căn cước công dân<\/th><td>Không<\/td><td>0<\/td><td>1<\/td><td>0<\/td><td>—<\/td>/);
    assert.match(b, /<th scope="row">Trực tiếp<\/th><td>3 ngày làm việc<\/td>/);
    assert.match(b, /<th scope="row">Trực tuyến<\/th><td>2 ngày làm việc<\/td>/);
    assert.match(b, /<th scope="row">Lệ phí<\/th><td>Lệ phí<\/td><td class="nowrap">10\.000 đồng<\/td><td>Mọi cách thức<\/td><td><ul><li>Người thuộc hộ nghèo<\/li>/);
    assert.match(b, /<ol><li>Tiếp nhận hồ sơ /);
    assert.match(b, /<li>Người yêu cầu từ đủ 18 tuổi<\/li>/);
    assert.match(b, /01\/2025\/TT-TEST<\/th><td>Thông tư thử nghiệm<\/td><td><time datetime="2025-01-02">02\/01\/2025<\/time><\/td><td><time datetime="2025-02-15">15\/02\/2025<\/time>/);
    assert.match(b, new RegExp(`<a class="button" href="/nop-ho-so/${khaiSinh.code}">Nộp hồ sơ trực tuyến</a>`));
    assert.match(b, /Chỉ cần tài khoản trên Cổng/);
    for (const th of b.match(/<th[ >]/g) ?? []) assert.equal(th, "<th ", "every header cell has a scope");

    const province = await get(`/thu-tuc/${gpxd.code}`);
    assert.match(province.body, /75\.000 đồng/);
    assert.match(province.body, /<dd id="assurance">Cần tài khoản định danh điện tử mức 2<\/dd>/);
    assert.match(province.body, /Trung tâm Phục vụ hành chính công tỉnh Thử Nghiệm \(liên thông\)/);
    assert.match((await get(`/thu-tuc/${free.code}`)).body, /<h2 id="fees">Phí, lệ phí<\/h2><p>Miễn phí<\/p>/);

    const en = await get(`/thu-tuc/${gpxd.code}?lang=en`);
    assert.match(en.body, /<html lang="en">/);
    assert.match(en.body, /VND[\s\u00a0]75,000/);
    assert.match(en.body, />File online<\/a>/);
  });

  it("answers an unknown, malformed or unpublished code with the HTML 404 page", async () => {
    for (const code of ["1.999999", "khong-co", draftOnly.code]) {
      const res = await get(`/thu-tuc/${code}`);
      assert.equal(res.statusCode, 404, code);
      assert.match(String(res.headers["content-type"]), /text\/html/);
      assert.match(res.body, /<html lang="vi">/);
    }
  });

  it("without an online channel, offers no online button but says where to file in person", () => {
    const dto: ProcedureDto = {
      ...khaiSinh,
      processingTimes: [
        { channel: "counter", amount: 3, unit: "working_days" },
        { channel: "post", amount: 5, unit: "working_days" },
      ],
      version: 1,
      status: "published",
      createdAt: "2026-01-05T01:00:00.000Z",
      updatedAt: "2026-01-05T01:00:00.000Z",
      publishedAt: "2026-01-05T01:00:00.000Z",
    };
    const page = pageRequest({ url: "/thu-tuc/x", headers: {}, query: {} } as never);
    const html = renderToString(h(ProcedureView, { page, procedure: dto, agencyNames: new Map([[ward.code, ward.name]]) }));
    assert.doesNotMatch(html, /Nộp hồ sơ trực tuyến/);
    assert.doesNotMatch(html, /\/nop-ho-so\//);
    assert.match(html, /Thủ tục này chưa nộp trực tuyến được\. Nộp hồ sơ trực tiếp hoặc qua dịch vụ bưu chính công ích tại Ủy ban nhân dân phường Kinh Bắc\./);
    assert.match(html, /<time datetime="2026-01-05">05\/01\/2026<\/time>|05\/01\/2026/);
  });

  it("the search and the procedure page offer sign-in in their header (issue 15, item 6)", async () => {
    for (const url of ["/thu-tuc", `/thu-tuc?q=${encodeURIComponent("khai sinh")}`, `/thu-tuc/${khaiSinh.code}`]) {
      const res = await get(url);
      assert.equal(res.statusCode, 200, url);
      assert.match(res.body, /<a class="viewer__sign-in" href="\/auth\/dang-nhap\?next=[^"]+">Đăng nhập<\/a>/, url);
    }
  });

  it("says which words it searched when a typo was corrected, on the page and in the htmx fragment", async () => {
    const typo = `/thu-tuc?q=${encodeURIComponent("dang ky khai snh")}`;
    for (const headers of [{}, { "hx-request": "true" }] as Array<Record<string, string>>) {
      const body = (await get(typo, headers)).body;
      assert.deepEqual(resultLinks(body).slice(0, 1), [khaiSinh.code]);
      assert.match(body, /Kết quả cho <strong>“đăng ký khai sinh”<\/strong>|Kết quả cho <strong>“dang ky khai sinh”<\/strong>/);
      assert.match(body, /không có thủ tục nào khớp “dang ky khai snh”/);
    }
    assert.doesNotMatch((await get(`/thu-tuc?q=${encodeURIComponent("khai sinh")}`)).body, /Kết quả cho/);
    assert.match((await get(`${typo}&lang=en`)).body, /Showing results for/);
  });
});
