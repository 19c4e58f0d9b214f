// The dashboards' pages on real data (issue 17, items 4 and 5): a leader's and a supervisor's dashboard, the dossiers
// behind a count (as many as the count), another agency's leader refused, the public scorecard without personal
// data, and the tables read back from their CSV and XLSX files.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { after, before, describe, it } from "node:test";
import type ExcelJS from "exceljs";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import { fixedClock } from "../../platform/clock.ts";
import type { App } from "../../platform/http/types.ts";
import type { AgencyDto } from "../directory/index.ts";
import { buildAgency } from "../directory/testing.ts";
import { buildOfficer, type TestAccount } from "../identity/testing.ts";
import { playLife, testListeners } from "./testing.ts";
import { runSeeds } from "../../platform/db/seeds.ts";
import { formulasSeed } from "./seeds.ts";

const { Workbook } = createRequire(import.meta.url)("exceljs") as typeof ExcelJS;
const P1 = "1.000101";
const P2 = "1.000102";
const rx = (received: string, due: string) => ({ status: "processing" as const, nationalStatus: 4, receivedAt: new Date(received), dueAt: new Date(due), originalDueAt: new Date(due) });
const done = (at: string, timeliness: "early" | "late") => ({ status: "done" as const, nationalStatus: 9, finishedAt: new Date(at), timeliness, resultFileSha256: null });
/** The text of an HTML fragment, tags removed. */
const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describe("kpi pages", () => {
  let env: TestEnv & { app: App };
  let centre: AgencyDto;
  let justice: AgencyDto;
  let leader: TestAccount;
  let otherLeader: TestAccount;
  let supervisor: TestAccount;
  const get = async (who: TestAccount | null, url: string) =>
    env.app.inject({ method: "GET", url, headers: { accept: "text/html", ...(who ? { authorization: `Bearer ${await who.token()}` } : {}) } });

  before(async () => {
    env = await testApp({ clock: fixedClock("2026-04-01T03:00:00Z") });
    await runSeeds(env.database, [formulasSeed()], { demo: false });
    const province = await buildAgency(env.ctx, { provinceCode: "24" });
    centre = await buildAgency(env.ctx, { parent: province, name: "Trung tâm Phục vụ hành chính công thử nghiệm" });
    justice = await buildAgency(env.ctx, { parent: province, name: "Sở Tư pháp thử nghiệm" });
    leader = await buildOfficer(env.ctx, { agency: centre, roles: ["leader"] });
    otherLeader = await buildOfficer(env.ctx, { agency: justice, roles: ["leader"] });
    supervisor = await buildOfficer(env.ctx, { agency: province, roles: ["supervisor"] });
    const listeners = testListeners({}, []);
    const life = (id: string, agency: AgencyDto, base: Parameters<typeof playLife>[2], changes: Parameters<typeof playLife>[3]) =>
      playLife(env.database, listeners, { id, code: `${agency.code}-${id}`, agencyCode: agency.code, processingAgencyCode: agency.code, provinceCode: "24", ...base }, changes);
    await life("D1", centre, { channel: "online", procedureCode: P1 }, [
      { action: "submit", at: "2026-03-02T01:00:00Z" },
      { action: "receive", at: "2026-03-02T02:00:00Z", set: rx("2026-03-02T02:00:00Z", "2026-03-06T09:00:00Z") },
      { action: "finish", at: "2026-03-04T03:00:00Z", set: done("2026-03-04T03:00:00Z", "early") },
    ]);
    for (const id of ["D2", "D3"]) {
      await life(id, centre, { channel: "counter", procedureCode: P2 }, [
        { action: "submit", at: "2026-02-03T01:00:00Z" },
        { action: "receive", at: "2026-02-03T02:00:00Z", set: rx("2026-02-03T02:00:00Z", "2026-02-09T09:00:00Z") },
        { action: "finish", at: "2026-02-11T02:00:00Z", set: done("2026-02-11T02:00:00Z", "late") },
      ]);
    }
    await life("D4", justice, { channel: "online", procedureCode: P2 }, [
      { action: "submit", at: "2026-03-10T01:00:00Z" },
      { action: "receive", at: "2026-03-10T02:00:00Z", set: rx("2026-03-10T02:00:00Z", "2026-03-12T09:00:00Z") },
    ]);
  });
  after(() => env.close());

  it("shows a leader their agency's quarter: counts linked to their dossiers, charts with their tables, exports", async () => {
    const res = await get(leader, "/office/chi-so?ky=2026-Q1");
    assert.equal(res.statusCode, 200);
    const late = /<a href="(\/office\/chi-so\/ho-so\/finished_late\?[^"]+)">2<\/a>/.exec(res.body);
    assert.ok(late, "the 2 finished late link to their dossiers");
    assert.match(res.body, /<a href="\/office\/chi-so\/ho-so\/received\?ky=2026-Q1">3<\/a>/);
    assert.match(res.body, /<svg viewBox="0 0 640 240" width="100%" role="img" aria-labelledby="bieu-do-dung-han-title bieu-do-dung-han-desc"/);
    assert.match(res.body, /<th scope="row">T2\/2026<\/th><td>2<\/td>/); // received in February, in the chart's table
    assert.match(res.body, /href="\/office\/chi-so\/xuat\/tong-hop\.csv\?ky=2026-Q1"/);
    assert.match(res.body, /href="\/office\/chi-so\/xuat\/xep-hang\.xlsx\?ky=2026-Q1"/);
    assert.doesNotMatch(text(res.body), /Sở Tư pháp thử nghiệm/); // not in the leader's subtree

    // "2 late" → those 2 dossiers, each linked to its office page.
    const list = await get(leader, late![1]!.replace(/&amp;/g, "&"));
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /<p id="behind-total">2 hồ sơ<\/p>/);
    assert.deepEqual([...list.body.matchAll(/<th scope="row"><a href="\/office\/ho-so\/([^"]+)">/g)].map((m) => m[1]).sort(), ["D2", "D3"]);
  });

  it("filters by channel and procedure", async () => {
    const res = await get(leader, "/office/chi-so?ky=2026-Q1&kenh=online");
    assert.match(res.body, /<a href="\/office\/chi-so\/ho-so\/received\?ky=2026-Q1&amp;kenh=online">1<\/a>/);
    const p2 = await get(leader, `/office/chi-so?ky=2026-Q1&thu-tuc=${P2}`);
    assert.match(p2.body, /<a href="\/office\/chi-so\/ho-so\/finished_late\?ky=2026-Q1&amp;thu-tuc=1.000102">2<\/a>/);
    assert.match(p2.body, /<th scope="row">Giải quyết trước hạn<\/th><td>0<\/td>/);
  });

  it("refuses another agency's leader the dashboard, its list and its exports", async () => {
    for (const url of [`/office/chi-so?ky=2026-Q1&co-quan=${centre.code}`, `/office/chi-so/xuat/tong-hop.csv?ky=2026-Q1&co-quan=${centre.code}`]) {
      assert.equal((await get(otherLeader, url)).statusCode, 403, url);
    }
    const list = await get(otherLeader, `/office/chi-so/ho-so/finished_late?ky=2026-Q1&co-quan=${centre.code}`);
    assert.equal(list.statusCode, 403);
    assert.equal((await get(null, "/office/chi-so")).statusCode, 303);
  });

  it("ranks the province's agencies for its supervisor", async () => {
    const res = await get(supervisor, "/office/chi-so?ky=2026-Q1&tinh=24");
    assert.equal(res.statusCode, 200);
    const ranking = text(res.body.slice(res.body.indexOf('id="bang-xep-hang"'), res.body.indexOf('id="bang-thu-tuc"')));
    // The Department of Justice: its one dossier open and overdue (0%); the centre: 1 early of 3 finished (33.3%).
    assert.ok(ranking.indexOf("Trung tâm Phục vụ") < ranking.indexOf("Sở Tư pháp"), ranking);
    assert.match(ranking, /33,3%/);
    // Each agency's Decision 766 points, and the province's above the charts.
    assert.match(res.body, /Điểm Chỉ số 766: <strong>[\d,]+<\/strong>/);
    assert.doesNotMatch(ranking.slice(ranking.indexOf("Trung tâm")), /^[^%]*— /);
  });

  it("publishes the province's scorecard with counts and ratios only, cached", async () => {
    const res = await get(null, "/chi-so/24?ky=2026-Q1");
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers["cache-control"], "public, max-age=600");
    assert.doesNotMatch(res.body, /\/office\//);
    assert.doesNotMatch(res.body, /-D[1-4]\b/); // no dossier's code
    assert.match(text(res.body), /Tiếp nhận 4 /);
    assert.equal((await get(null, "/chi-so/99")).statusCode, 404);
    // Anyone may ask: only the filters the page offers are computed (a made-up procedure is no filter, a period not
    // in its list is the current quarter), so a visitor cannot make it build a dashboard per made-up query.
    assert.match(text((await get(null, "/chi-so/24?ky=2026-Q1&thu-tuc=khong-co-thu-tuc-nay")).body), /Tiếp nhận 4 /);
    assert.equal((await get(null, "/chi-so/24?ky=1950")).statusCode, 200);
  });

  it("exports a table as CSV and XLSX with Vietnamese headers, read back", async () => {
    const csv = await get(leader, "/office/chi-so/xuat/tong-hop.csv?ky=2026-Q1");
    assert.equal(csv.statusCode, 200);
    assert.equal(csv.headers["content-type"], "text/csv; charset=utf-8");
    const lines = csv.body.replace(/^\uFEFF/, "").split("\r\n");
    assert.equal(lines[0], "Chỉ tiêu,Số hồ sơ");
    assert.ok(lines.includes("Giải quyết quá hạn,2"), lines.join("|"));

    const xlsx = await env.app.inject({ method: "GET", url: "/chi-so/24/xuat/xep-hang.xlsx?ky=2026-Q1" });
    assert.equal(xlsx.statusCode, 200);
    const book = new Workbook();
    await book.xlsx.load(xlsx.rawPayload as never);
    const sheet = book.worksheets[0]!;
    assert.deepEqual((sheet.getRow(2).values as unknown[]).slice(1), ["Hạng", "Cơ quan", "Mã cơ quan", "Điểm Chỉ số 766", "Tỷ lệ đúng hạn", "Tiếp nhận", "Quá hạn"]);
    assert.equal(sheet.getRow(3).getCell(3).value, centre.code);
    assert.equal(sheet.getRow(3).getCell(5).value, 0.3333);
    assert.equal(sheet.getColumn(5).numFmt, "0.0%");

    const list = await get(leader, "/office/chi-so/xuat/ho-so-finished_late.csv?ky=2026-Q1");
    assert.equal(list.body.replace(/^\uFEFF/, "").split("\r\n").filter(Boolean).length, 3);
  });
});
