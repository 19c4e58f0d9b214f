import assert from "node:assert/strict";
import { PUBLIC } from "../platform/http/access.ts";
import { after, before, describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import { testApp } from "../../test/helpers/app.ts";
import { buildApp } from "../app.ts";
import { sameSitePath } from "./redirects.ts";

const HTML = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };

/** The attributes of the first element matching `tag` whose attributes include `has`. */
function element(html: string, tag: string, has = ""): string | undefined {
  const re = new RegExp(`<${tag}\\b[^>]*>`, "g");
  return html.match(re)?.find((e) => e.includes(has));
}

describe("web pages", () => {
  let env: Awaited<ReturnType<typeof testApp>>;
  before(async () => {
    // The days off page reads the holidays the test template was seeded with.
    env = await testApp();
  });
  after(() => env.close());

  it("renders the home page in Vietnamese with its diacritics, as a UTF-8 HTML document", async () => {
    const res = await env.app.inject({ url: "/", headers: HTML });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers["content-type"], "text/html; charset=utf-8");
    assert.ok(res.body.startsWith("<!doctype html><html lang=\"vi\">"));
    assert.match(res.body, /<meta charset="utf-8"\/>/);
    assert.match(res.body, /<title>Cổng dịch vụ công — Một cửa điện tử<\/title>/);
    assert.match(res.body, /<h1>Dịch vụ công trực tuyến<\/h1>/);
    assert.match(res.body, /Những gì nền tảng cung cấp/);
    // Precomposed (NFC) Vietnamese, as people type and search it; no mojibake in the bytes on the wire.
    assert.equal(res.body, res.body.normalize("NFC"));
    assert.ok(res.rawPayload.includes(Buffer.from("Một cửa điện tử", "utf8")));
    assert.equal(res.headers.vary, "Cookie, Accept-Language, Accept-Encoding");
  });

  it("answers in English for ?lang=en, the lang cookie or an English browser", async () => {
    for (const req of [
      { url: "/?lang=en" },
      { url: "/", headers: { cookie: "session=x; lang=en" } },
      { url: "/", headers: { "accept-language": "en-GB,en;q=0.9" } },
    ]) {
      const res = await env.app.inject({ ...req, headers: { ...HTML, ...req.headers } });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /^<!doctype html><html lang="en">/, req.url);
      assert.match(res.body, /<h1>Online public services<\/h1>/);
      assert.match(res.body, /Skip to main content/);
      assert.match(res.body, /<strong lang="en" aria-current="true">English<\/strong>/);
    }
    // The cookie wins over the browser's language; `?lang=` wins over the cookie.
    const cookie = await env.app.inject({ url: "/", headers: { cookie: "lang=vi", "accept-language": "en" } });
    assert.match(cookie.body, /<html lang="vi">/);
    const query = await env.app.inject({ url: "/office?lang=en", headers: { cookie: "lang=vi" } });
    assert.match(query.body, /<h1>Officer's workspace<\/h1>/);
  });

  it("the language switch is a plain link that sets the cookie and comes back to the page", async () => {
    const home = await env.app.inject({ url: "/ngay-nghi?year=2026&lang=vi", headers: HTML });
    const link = element(home.body, "a", 'hreflang="en"');
    assert.ok(link, "an English link");
    const href = /href="([^"]+)"/.exec(link)?.[1]?.replaceAll("&amp;", "&");
    assert.equal(href, `/ngon-ngu?lang=en&next=${encodeURIComponent("/ngay-nghi?year=2026")}`);

    const res = await env.app.inject({ url: href });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, "/ngay-nghi?year=2026");
    const cookie = String(res.headers["set-cookie"]);
    assert.match(cookie, /^lang=en; Path=\/; Max-Age=31536000; SameSite=Lax; HttpOnly$/);

    const back = await env.app.inject({ url: "/ngay-nghi?year=2026", headers: { ...HTML, cookie: "lang=en" } });
    assert.match(back.body, /<html lang="en">/);
  });

  it("never redirects the language switch off the site", async () => {
    for (const next of ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "", "/.//evil.example", "\t//evil.example"]) {
      const res = await env.app.inject({ url: `/ngon-ngu?lang=en&next=${encodeURIComponent(next)}` });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, "/", next);
    }
    assert.equal(sameSitePath("/office?x=1#frag", "http://localhost:3000"), "/office?x=1#frag");
    const unknown = await env.app.inject({ url: "/ngon-ngu?lang=fr&next=%2Foffice" });
    assert.equal(unknown.headers.location, "/office");
    assert.equal(unknown.headers["set-cookie"], undefined);
  });

  it("has a skip link first, then banner, navigation, main and footer landmarks", async () => {
    for (const url of ["/", "/office", "/ngay-nghi?year=2026"]) {
      const { body } = await env.app.inject({ url, headers: HTML });
      const afterBody = body.slice(body.indexOf("<body>") + "<body>".length);
      assert.ok(afterBody.startsWith('<a class="skip-link" href="#main">Bỏ qua đến nội dung chính</a>'), url);
      assert.match(body, /<header class="site-header[^"]*">/);
      assert.match(body, /<nav class="site-nav" aria-label="Điều hướng chính">/);
      assert.match(body, /<main id="main" tabindex="-1">/);
      assert.match(body, /<footer class="site-footer">/);
      assert.equal(body.match(/<h1>/g)?.length, 1, `${url} has one h1`);
      assert.match(body, /<meta name="viewport" content="width=device-width, initial-scale=1"\/>/);
    }
    const { body } = await env.app.inject({ url: "/office", headers: HTML });
    assert.match(body, /<a href="\/office" aria-current="page">Bàn làm việc<\/a>/);
  });

  it("sends the security headers with every page and no inline script", async () => {
    for (const url of ["/", "/office", "/ngay-nghi", "/ngay-nghi?year=x", "/khong-co"]) {
      const res = await env.app.inject({ url, headers: HTML });
      const csp = String(res.headers["content-security-policy"]);
      assert.match(csp, /frame-ancestors 'none'/, url);
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /default-src 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.equal(res.headers["x-content-type-options"], "nosniff");
      assert.equal(res.headers["referrer-policy"], "same-origin");
      assert.equal(res.headers["x-frame-options"], "DENY");
      for (const script of res.body.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? []) {
        assert.match(script, /^<script src="\/assets\/[^"]+" defer><\/script>$/, `${url}: ${script}`);
      }
      assert.doesNotMatch(res.body, /\sstyle="|\son[a-z]+="/, `${url} has no inline style or handler`);
    }
  });

  it("escapes what comes from the request", async () => {
    const res = await env.app.inject({ url: "/ngay-nghi?year=%3Cscript%3Ealert(1)%3C/script%3E", headers: HTML });
    assert.equal(res.statusCode, 400);
    assert.doesNotMatch(res.body, /<script>alert/);
    assert.match(res.body, /value="&lt;script>aler"/);

    const here = await env.app.inject({ url: `/?q=${encodeURIComponent('"><script>x()</script>')}`, headers: HTML });
    assert.doesNotMatch(here.body, /<script>x\(\)/);
    // The page's own address goes into the language link encoded, and comes back intact.
    const link = /href="(\/ngon-ngu\?[^"]+)"/.exec(here.body)?.[1]?.replaceAll("&amp;", "&");
    assert.ok(link && !link.includes("<"));
    const back = await env.app.inject({ url: link });
    assert.equal(decodeURIComponent(String(back.headers.location)), '/?q="><script>x()</script>');
  });

  it("answers an unknown page with the 404 page, and keeps the JSON envelope for the API", async () => {
    const page = await env.app.inject({ url: "/khong-co-trang-nay", headers: HTML });
    assert.equal(page.statusCode, 404);
    assert.equal(page.headers["content-type"], "text/html; charset=utf-8");
    assert.match(page.body, /<title>Không tìm thấy trang — Một cửa điện tử<\/title>/);
    assert.match(page.body, /<main id="main"/);
    assert.match(page.body, /<a href="\/">Về trang chủ<\/a>/);

    const office = await env.app.inject({ url: "/office/khong-co?lang=en", headers: HTML });
    assert.equal(office.statusCode, 404);
    assert.match(office.body, /<h1>Page not found<\/h1>/);
    assert.match(office.body, /<a href="\/office">Go to the home page<\/a>/);

    const api = await env.app.inject({ url: "/api/khong-co", headers: HTML });
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().error.code, "request.not_found");
    const noHtml = await env.app.inject({ url: "/khong-co-trang-nay" });
    assert.equal(noHtml.json().error.code, "request.not_found");
    const post = await env.app.inject({ method: "POST", url: "/khong-co-trang-nay", headers: HTML });
    assert.equal(post.json().error.code, "request.not_found");
  });

  it("promises nothing the product does not do: no online payment on the home page (issue 15, item 6)", async () => {
    for (const lang of ["vi", "en"]) {
      const home = await env.app.inject({ url: `/?lang=${lang}`, headers: HTML });
      assert.doesNotMatch(home.body, /thanh toán|pay fees|payment/i, lang);
    }
    const office = await env.app.inject({ url: "/office", headers: HTML });
    assert.match(office.body, /xác thực hai bước/);
  });

  it("compresses pages with gzip when the browser takes it, as it does the assets (issue 15, item 7)", async () => {
    const page = await env.app.inject({ url: "/thu-tuc", headers: { ...HTML, "accept-encoding": "gzip, deflate, br" } });
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers["content-encoding"], "gzip");
    assert.match(String(page.headers.vary), /Accept-Encoding/);
    const html = gunzipSync(page.rawPayload).toString("utf8");
    assert.match(html, /^<!doctype html>/);
    assert.ok(page.rawPayload.length < Buffer.byteLength(html) / 2, "well compressed");
    // A fragment too small to gain (an empty result) goes as it is, saying it might not.
    const fragment = await env.app.inject({ url: "/thu-tuc?q=x", headers: { ...HTML, "hx-request": "true", "accept-encoding": "gzip" } });
    assert.equal(fragment.headers["content-encoding"], undefined);
    assert.match(String(fragment.headers.vary), /Accept-Encoding/);
    // Not asked for, or refused: sent as it is.
    for (const encoding of [undefined, "identity", "gzip;q=0, br", "br"]) {
      const plain = await env.app.inject({ url: "/", headers: { ...HTML, ...(encoding ? { "accept-encoding": encoding } : {}) } });
      assert.equal(plain.headers["content-encoding"], undefined, String(encoding));
      assert.match(plain.body, /^<!doctype html>/);
    }
  });

  it("serves the stylesheet, the icon and htmx from its npm package, cached by version", async () => {
    const home = await env.app.inject({ url: "/", headers: HTML });
    const css = /href="(\/assets\/app\.css\?v=[0-9a-f]{12})"/.exec(home.body)?.[1];
    const js = /src="(\/assets\/htmx\.min\.js\?v=[0-9a-f]{12})"/.exec(home.body)?.[1];
    const icon = /href="(\/assets\/favicon\.svg\?v=[0-9a-f]{12})"/.exec(home.body)?.[1];
    assert.ok(css && js && icon, "the layout links its assets by version");

    const style = await env.app.inject({ url: css });
    assert.equal(style.statusCode, 200);
    assert.equal(style.headers["content-type"], "text/css; charset=utf-8");
    assert.equal(style.headers["cache-control"], "public, max-age=31536000, immutable");
    assert.equal(style.headers["x-content-type-options"], "nosniff");
    assert.match(style.body, /:focus-visible/);

    const htmx = await env.app.inject({ url: js, headers: { "accept-encoding": "gzip, br" } });
    assert.equal(htmx.statusCode, 200);
    assert.equal(htmx.headers["content-type"], "text/javascript; charset=utf-8");
    assert.equal(htmx.headers["content-encoding"], "gzip");
    assert.match(gunzipSync(htmx.rawPayload).toString("utf8"), /htmx/);

    const svg = await env.app.inject({ url: icon });
    assert.equal(svg.headers["content-type"], "image/svg+xml");

    // Unversioned: cached briefly; revalidated by ETag.
    const plain = await env.app.inject({ url: "/assets/app.css" });
    assert.equal(plain.headers["cache-control"], "public, max-age=300");
    const again = await env.app.inject({ url: "/assets/app.css", headers: { "if-none-match": String(plain.headers.etag) } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, "");

    const missing = await env.app.inject({ url: "/assets/nothing.js" });
    assert.equal(missing.statusCode, 404);
  });

  it("lists the calendar's days off on the days-off page", async () => {
    const res = await env.app.inject({ url: "/ngay-nghi?year=2026", headers: HTML });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>Ngày nghỉ lễ, Tết năm 2026<\/h1>/);
    // Tết 2026 is 16–20 February; Hùng Kings' day falls on a Sunday, so Monday 27 April is off in compensation.
    for (const day of ["16/02/2026", "20/02/2026", "27/04/2026", "02/09/2026"]) assert.match(res.body, new RegExp(`>${day}</time>`));
    assert.match(res.body, /27\/04\/2026<\/time><span class="sub">Thứ Hai<\/span><\/td><td>Nghỉ bù Giỗ Tổ Hùng Vương<\/td><td>Nghỉ bù<\/td>/);
    assert.match(res.body, /<td>Nghỉ hoán đổi[^<]*<\/td><td>Nghỉ hoán đổi<\/td>/);
    const en = await env.app.inject({ url: "/ngay-nghi?year=2026&lang=en", headers: HTML });
    assert.match(en.body, /16 Feb 2026<\/time><span class="sub">Monday<\/span><\/td><td>Lunar New Year \(Tết\)<\/td><td>Public holiday<\/td>/);
  });

  it("marks what is not built yet as coming and links what exists", async () => {
    const { body } = await env.app.inject({ url: "/", headers: HTML });
    assert.match(body, /<h3 class="card__title"><a href="\/ngay-nghi">Ngày nghỉ lễ, Tết<\/a><\/h3>/);
    assert.match(body, /<h3 class="card__title"><a href="\/docs">API cho nhà phát triển<\/a><\/h3>/);
    assert.match(body, /<h3 class="card__title"><a href="\/thu-tuc">Thủ tục hành chính<\/a><\/h3>/);
    assert.match(body, /<h3 class="card__title"><a href="\/tra-cuu">Tra cứu hồ sơ<\/a><\/h3>/);
    assert.match(body, /<li class="card card--coming"><h3 class="card__title">Phản ánh, kiến nghị<\/h3>.*?Sắp có/);
    assert.doesNotMatch(body, /href="\/phan-anh"/);

    // The day a module serves its page, the card becomes a link.
    const app = await buildApp(env.ctx);
    app.get("/phan-anh", { config: { access: PUBLIC } }, async () => "feedback");
    await app.ready();
    try {
      const later = await app.inject({ url: "/", headers: HTML });
      assert.match(later.body, /<h3 class="card__title"><a href="\/phan-anh">Phản ánh, kiến nghị<\/a><\/h3>/);
    } finally {
      await app.close();
    }
  });
});
