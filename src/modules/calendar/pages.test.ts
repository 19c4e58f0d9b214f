// The days-off page (`/ngay-nghi`) on a bare application with the web kit and the calendar's pages.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import Fastify from "fastify";
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { fixedClock } from "../../platform/clock.ts";
import { registerErrorHandling } from "../../platform/http/error-handler.ts";
import type { App } from "../../platform/http/types.ts";
import { pageRequest } from "../../web/render.ts";
import { registerNavigation, registerViewer, registerWebRoutes, sendNotFoundPage, wantsPage } from "../../web/routes.tsx";
import { DaysOffPage, type Holiday, type HolidaySource } from "./days-off-page.tsx";
import { calendarModule } from "./index.ts";
import { calendarPages } from "./pages.tsx";

const HTML = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };

/** The attributes of the first element matching `tag` whose attributes include `has`. */
function element(html: string, tag: string, has = ""): string | undefined {
  const re = new RegExp(`<${tag}\\b[^>]*>`, "g");
  return html.match(re)?.find((e) => e.includes(has));
}

describe("days-off page", () => {
  const holidays: Holiday[] = [
    { date: "2026-09-02", name: "Quốc khánh", nameEn: "National Day", kind: "holiday" },
    { date: "2026-01-01", name: "Tết Dương lịch", nameEn: "New Year's Day", kind: "holiday" },
    { date: "2026-04-27", name: "Nghỉ bù Giỗ Tổ Hùng Vương", nameEn: "Hùng Kings' Day (compensatory)", kind: "compensatory" },
    { date: "2026-05-02", name: "<script>alert(1)</script>", nameEn: "", kind: "something_new" },
  ];
  let app: App;
  const asked: number[] = [];
  let source: HolidaySource = async (year) => {
    asked.push(year);
    return year === 2026 ? holidays : [];
  };

  before(async () => {
    app = Fastify({ genReqId: (req) => String(req.headers["x-request-id"] ?? "no-id") }) as unknown as App;
    registerErrorHandling(app, { notFoundPage: { wants: wantsPage, send: sendNotFoundPage } });
    // The clock says 2025-12-31 20:00 UTC: already 2026 in Vietnam (UTC+7).
    registerNavigation(app, calendarModule.spec.nav ?? []);
    // Nobody is signed in: the header offers the sign-in, coming back here (as the identity module tells it).
    registerViewer(app, (_request, _reply, area, here) => ({ signIn: `/auth/dang-nhap?area=${area}&next=${encodeURIComponent(here)}` }));
    await registerWebRoutes(app, [calendarPages({ calendar: { holidays: (y) => source(y) }, clock: fixedClock("2025-12-31T20:00:00Z") })]);
    await app.ready();
  });
  after(() => app.close());

  it("lists the days off of the year asked for, in date order, in Vietnamese", async () => {
    const res = await app.inject({ url: "/ngay-nghi?year=2026", headers: HTML });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>Ngày nghỉ lễ, Tết năm 2026<\/h1>/);
    const dates = [...res.body.matchAll(/<time class="nowrap" datetime="([\d-]+)">([^<]+)<\/time>/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(dates, [
      ["2026-01-01", "01/01/2026"],
      ["2026-04-27", "27/04/2026"],
      ["2026-05-02", "02/05/2026"],
      ["2026-09-02", "02/09/2026"],
    ]);
    assert.match(res.body, /01\/01\/2026<\/time><span class="sub">Thứ Năm<\/span><\/td><td>Tết Dương lịch<\/td><td>Nghỉ lễ, Tết<\/td>/);
    assert.match(res.body, /<td>Nghỉ bù Giỗ Tổ Hùng Vương<\/td><td>Nghỉ bù<\/td>/);
    assert.match(res.body, /<td>&lt;script>alert\(1\)&lt;\/script><\/td><td>Ngày nghỉ khác<\/td>/);
    assert.match(res.body, /4 ngày nghỉ/);
    assert.match(res.body, /<a href="\/ngay-nghi\?year=2025">Năm trước \(2025\)<\/a>/);
    assert.match(res.body, /<a href="\/ngay-nghi\?year=2027">Năm sau \(2027\)<\/a>/);
    assert.match(res.body, /<a href="\/ngay-nghi" aria-current="page">Ngày nghỉ<\/a>/);
    assert.match(res.body, /<a class="viewer__sign-in" href="\/auth\/dang-nhap\?area=portal&amp;next=%2Fngay-nghi%3Fyear%3D2026">Đăng nhập<\/a>/, "the header offers sign-in");
  });

  it("shows English names and dates in English", async () => {
    const res = await app.inject({ url: "/ngay-nghi?year=2026&lang=en", headers: HTML });
    assert.match(res.body, /<h1>Public holidays and days off in 2026<\/h1>/);
    assert.match(res.body, /1 Jan 2026<\/time><span class="sub">Thursday<\/span><\/td><td>New Year's Day<\/td><td>Public holiday<\/td>/);
    // No English name given: the Vietnamese one stands.
    assert.match(res.body, /<td>&lt;script>alert\(1\)&lt;\/script><\/td>/);
  });

  it("defaults to this year in Vietnam and picks the year with a plain GET form", async () => {
    asked.length = 0;
    const res = await app.inject({ url: "/ngay-nghi", headers: HTML });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(asked, [2026]);
    assert.ok(element(res.body, "form", 'method="get"')?.includes('action="/ngay-nghi"'));
    const input = element(res.body, "input", 'name="year"');
    assert.ok(input?.includes('type="number"') && input.includes('value="2026"') && input.includes('id="year"'));
    assert.match(res.body, /<label for="year">Năm<\/label>/);
    assert.match(res.body, /<button type="submit">Xem<\/button>/);
  });

  it("says so when a year has no days off recorded", async () => {
    const res = await app.inject({ url: "/ngay-nghi?year=2031", headers: HTML });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Chưa có ngày nghỉ nào được ghi cho năm 2031\./);
    assert.doesNotMatch(res.body, /<table>/);
  });

  it("rejects a year out of range with a 400 page that marks the field", async () => {
    asked.length = 0;
    for (const year of ["1999", "2101", "20266", "abc", "-1"]) {
      const res = await app.inject({ url: `/ngay-nghi?year=${year}`, headers: HTML });
      assert.equal(res.statusCode, 400, year);
      assert.match(res.body, /<p class="error" id="year-error" role="alert">Năm không hợp lệ: hãy nhập một năm từ 2000 đến 2100\.<\/p>/);
      const input = element(res.body, "input", 'name="year"');
      assert.ok(input?.includes('aria-invalid="true"') && input.includes('aria-describedby="year-error"'), year);
    }
    assert.deepEqual(asked, []);
  });

  it("answers a failing calendar with the error page and its request id", async () => {
    const saved = source;
    source = async () => {
      throw new Error("calendar down");
    };
    try {
      const res = await app.inject({ url: "/ngay-nghi?year=2026", headers: { ...HTML, "x-request-id": "trace-abcdef12" } });
      assert.equal(res.statusCode, 500);
      assert.equal(res.headers["content-type"], "text/html; charset=utf-8");
      assert.match(res.body, /<h1>Đã có lỗi xảy ra<\/h1>/);
      assert.match(res.body, /<p>Mã tham chiếu khi liên hệ hỗ trợ: trace-abcdef12<\/p>/);
      assert.doesNotMatch(res.body, /calendar down/);
      assert.match(res.headers["content-security-policy"] as string, /frame-ancestors 'none'/);
    } finally {
      source = saved;
    }
  });

  it("renders through the JSX escaping, whatever the source gives", () => {
    const page = pageRequest({ url: "/ngay-nghi", query: {}, headers: {} } as never);
    const html = renderToString(
      h(DaysOffPage, {
        page,
        year: 2026,
        result: { state: "ok", holidays: [{ date: "2026-01-01", name: '"><img src=x onerror=alert(1)>', nameEn: "", kind: "holiday" }] },
      }),
    );
    assert.doesNotMatch(html, /<img/);
    assert.match(html, /<td>&quot;>&lt;img src=x onerror=alert\(1\)><\/td>/);
  });
});

