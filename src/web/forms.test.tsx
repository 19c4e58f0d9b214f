// The web kit's form posts: a page route declares its form as a TypeBox schema, the kit checks the CSRF
// token once, and a refused form comes back with what was typed and each problem next to its field.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import multipart from "@fastify/multipart";
import { Type } from "../platform/typebox.ts";
import Fastify from "fastify";
import { NotAuthenticated, PUBLIC } from "../platform/http/access.ts";
import { registerErrorHandling } from "../platform/http/error-handler.ts";
import { defineError } from "../platform/http/errors.ts";
import type { App } from "../platform/http/types.ts";
import { csrfToken } from "./cookies.ts";
import { Field, Problems, problemOf } from "./fields.tsx";
import { FormList, FormText, pageQuery, pageSchema, postedForm, readUpload } from "./forms.ts";
import { tr } from "./i18n.ts";
import { Layout } from "./layout.tsx";
import { registerPageErrors, shownError } from "./page-errors.tsx";
import { pageRequest, sendPage } from "./render.ts";
import { registerViewer, registerWebRoutes, sendNotFoundPage, wantsPage } from "./routes.tsx";

const Slowly = defineError<[number]>("kit_test.slowly", "rate_limited", () => ({ vi: "Chậm lại.", en: "Slow down." }), (s) => ({ details: { retryAfterSeconds: s } }));

/** A form of the test's own: a required name, a short note, topics to tick. */
const Contact = pageSchema({
  body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 40 }), note: FormText({ maxLength: 10 }), topics: FormList() }),
});

function ContactPage(props: { page: ReturnType<typeof pageRequest>; csrf: string; values?: { name?: string; note?: string }; problems?: Array<{ path: string; message: string }> }) {
  const { page, values = {}, problems } = props;
  return (
    <Layout page={page} variant="portal" title="Liên hệ">
      <h1>Liên hệ</h1>
      <Problems page={page} message={problems?.length ? tr(page, "Có lỗi.", "Something is wrong.") : undefined} fields={problems} />
      <form method="post" action="/lien-he">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <Field id="name" label="Tên" value={values.name} problem={problemOf(problems, "name")?.message} />
        <Field id="note" label="Ghi chú" value={values.note} required={false} problem={problemOf(problems, "note")?.message} />
      </form>
    </Layout>
  );
}

describe("form posts of the web kit", () => {
  let app: App;
  const received: unknown[] = [];

  before(async () => {
    app = Fastify({ ajv: { customOptions: { allErrors: true, coerceTypes: "array", removeAdditional: false } } }).withTypeProvider() as unknown as App;
    app.decorateRequest("actor", null as never);
    app.addHook("onRequest", async (request) => void (request.actor = { type: "anonymous" } as never));
    registerErrorHandling(app, { notFoundPage: { wants: wantsPage, send: sendNotFoundPage } });
    registerViewer(app, (_request, _reply, area, here) => ({ signIn: `/${area}/vao?next=${encodeURIComponent(here)}` }));
    await registerWebRoutes(app, [
      async (pages: App) => {
        await pages.register(multipart, { limits: { files: 1, fields: 4 } });
        registerPageErrors(pages, { signInReturn: "/lien-he", signIn: "office", back: { href: "/", vi: "Về trang chủ", en: "Home" } });
        pages.get("/lien-he", { config: { access: PUBLIC }, ...pageSchema({ querystring: Type.Object({ trang: FormText({ pattern: "^[0-9]+$" }), q: FormText() }) }) }, async (request, reply) => {
          const query = pageQuery(request);
          void reply.header("x-query", encodeURIComponent(JSON.stringify(query)));
          return sendPage(reply, <ContactPage page={pageRequest(request)} csrf={csrfToken(request, reply)} />);
        });
        pages.post("/lien-he", { config: { access: PUBLIC }, ...Contact }, async (request, reply) => {
          const form = postedForm(request);
          if (!form.ok) return sendPage(reply, <ContactPage page={pageRequest(request)} csrf={csrfToken(request, reply)} values={form.values} problems={form.problems} />, 400);
          received.push(form.values);
          return reply.redirect("/lien-he?da=gui", 303);
        });
        pages.post("/tep", { config: { access: PUBLIC, upload: true }, ...pageSchema({}) }, async (request) => {
          const up = await readUpload(request, Type.Object({ component: FormText({ maxLength: 8 }) }));
          up.discard();
          return { component: up.fields.component ?? null, file: up.file?.declaredName ?? null };
        });
        pages.get("/so/:n", { config: { access: PUBLIC }, ...pageSchema({ params: Type.Object({ n: Type.String({ pattern: "^[0-9]+$" }) }) }) }, async (request) => ({ n: request.params.n }));
        pages.get("/rieng", { config: { access: PUBLIC }, ...pageSchema({}) }, async () => {
          throw new NotAuthenticated();
        });
        pages.post("/cham", { config: { access: PUBLIC }, ...pageSchema({}) }, async (request, reply) => {
          const e = shownError(reply, pageRequest(request), new Slowly(61));
          return sendPage(reply, <ContactPage page={pageRequest(request)} csrf="" problems={[{ path: "/", message: e!.message }]} />, e!.status);
        });
        pages.get("/cham", { config: { access: PUBLIC }, ...pageSchema({}) }, async () => {
          throw new Slowly(30.2);
        });
      },
    ]);
    await app.ready();
  });
  after(() => app.close());

  /** A browser that has shown the form: its CSRF cookie and token. */
  const browser = async () => {
    const page = await app.inject({ url: "/lien-he", headers: { accept: "text/html" } });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    return { token, cookie: `motcua_csrf=${token}` };
  };
  const post = (cookie: string, fields: Record<string, string | string[]>, lang = "vi") => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return app.inject({ method: "POST", url: "/lien-he", headers: { cookie: `${cookie}; lang=${lang}`, "content-type": "application/x-www-form-urlencoded" }, payload: body.toString() });
  };
  const valueOf = (html: string, id: string) => new RegExp(`<input id="${id}"[^>]*value="([^"]*)"`).exec(html)?.[1];

  it("hands the handler the form typed by its schema: text, and ticked boxes as a list even when one is ticked", async () => {
    const { token, cookie } = await browser();
    const res = await post(cookie, { _csrf: token, name: "Nguyễn Văn An", note: "gọi lại", topics: "thu-tuc" });
    assert.equal(res.statusCode, 303);
    assert.deepEqual({ ...(received.at(-1) as object) }, { _csrf: token, name: "Nguyễn Văn An", note: "gọi lại", topics: ["thu-tuc"] });
  });

  it("shows a form missing a field again, with its message next to the field and what was typed kept", async () => {
    const { token, cookie } = await browser();
    const before = received.length;
    const res = await post(cookie, { _csrf: token, note: "ngắn" });
    assert.equal(res.statusCode, 400);
    assert.equal(res.headers["content-type"], "text/html; charset=utf-8");
    assert.match(res.body, /<p class="field-problem" id="name-problem">Trường này là bắt buộc\.<\/p><input id="name" name="name" type="text" value required aria-describedby="name-problem" aria-invalid="true"\/>/);
    assert.equal(valueOf(res.body, "note"), "ngắn");
    assert.match(res.body, /<div class="error" role="alert" id="form-errors">/);
    assert.equal(received.length, before, "the handler did nothing with it");
  });

  it("refuses an over-long value with the limit, in the page's language, keeping every value typed", async () => {
    const { token, cookie } = await browser();
    const vi = await post(cookie, { _csrf: token, name: "Trần Thị Bình", note: "quá mười ký tự" });
    assert.equal(vi.statusCode, 400);
    assert.match(vi.body, /<p class="field-problem" id="note-problem">Tối đa 10 ký tự\.<\/p>/);
    assert.equal(valueOf(vi.body, "name"), "Trần Thị Bình");
    assert.equal(valueOf(vi.body, "note"), "quá mười ký tự");
    assert.doesNotMatch(vi.body, /id="name-problem"/);
    const en = await post(cookie, { _csrf: token, name: "An", note: "far too long" }, "en");
    assert.match(en.body, /<p class="field-problem" id="note-problem">must NOT have more than 10 characters<\/p>/);
  });

  it("refuses a field sent twice where the schema takes one, rather than picking one of them", async () => {
    const { token, cookie } = await browser();
    const res = await post(cookie, { _csrf: token, name: ["An", "Bình"] });
    assert.equal(res.statusCode, 400);
    assert.equal(valueOf(res.body, "name"), "An");
    assert.match(res.body, /id="name-problem">Sai kiểu dữ liệu \(cần string\)\./);
  });

  it("refuses a post without the page's CSRF token, or with another, before the form is read (403 page)", async () => {
    const { token, cookie } = await browser();
    const before = received.length;
    for (const [given, sent] of [
      [cookie, { name: "An" }],
      [cookie, { _csrf: "x".repeat(32), name: "An" }],
      ["motcua_csrf=" + "y".repeat(32), { _csrf: token, name: "An" }],
      ["", { _csrf: token, name: "An" }],
    ] as const) {
      const res = await post(given, sent);
      assert.equal(res.statusCode, 403);
      assert.match(res.body, /<h1>Không thực hiện được<\/h1>[\s\S]*Biểu mẫu đã hết hạn\. Vui lòng tải lại trang và thử lại\./);
    }
    // Not even a form that would be refused for its fields is read without the token.
    assert.equal((await post(cookie, { note: "quá mười ký tự" })).statusCode, 403);
    assert.equal(received.length, before);
  });

  it("reads an upload's fields, typed, only with the token sent before the file", async () => {
    const { token, cookie } = await browser();
    const upload = (fields: Record<string, string>) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      form.append("file", new Blob(["%PDF-1.4"], { type: "application/pdf" }), "don.pdf");
      return app.inject({ method: "POST", url: "/tep", headers: { cookie, accept: "text/html" }, payload: form });
    };
    const ok = await upload({ _csrf: token, component: "don" });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json(), { component: "don", file: "don.pdf" });
    assert.equal((await upload({ component: "don" })).statusCode, 403);
    assert.equal((await upload({ _csrf: token, component: "qua-dai-roi" })).statusCode, 400);
    const plain = await app.inject({ method: "POST", url: "/tep", headers: { cookie, "content-type": "application/x-www-form-urlencoded" }, payload: `_csrf=${token}` });
    assert.equal(plain.statusCode, 403, "an upload route takes only an upload");
  });

  it("drops a query value the page cannot use, keeping the others", async () => {
    const res = await app.inject({ url: "/lien-he?trang=abc&q=th%E1%BB%A7+t%E1%BB%A5c", headers: { accept: "text/html" } });
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.deepEqual(JSON.parse(decodeURIComponent(String(res.headers["x-query"]))), { q: "thủ tục" });
  });

  it("answers a path whose parameters its schema refuses with the not-found page", async () => {
    assert.deepEqual((await app.inject({ url: "/so/42" })).json(), { n: "42" });
    const res = await app.inject({ url: "/so/abc", headers: { accept: "text/html" } });
    assert.equal(res.statusCode, 404);
    assert.match(res.body, /<h1>Không tìm thấy trang<\/h1>/);
  });

  it("sends a signed-out visitor to the sign-in the viewer source links for the area, and back", async () => {
    const res = await app.inject({ url: "/rieng?x=1", headers: { accept: "text/html" } });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, "/office/vao?next=%2Frieng%3Fx%3D1");
  });

  it("says when to come back (Retry-After) on a refusal page and on a form that shows the refusal", async () => {
    const page = await app.inject({ url: "/cham", headers: { accept: "text/html" } });
    assert.equal(page.statusCode, 429);
    assert.equal(page.headers["retry-after"], "31");
    assert.match(page.body, /Chậm lại\./);
    const { token, cookie } = await browser();
    const form = await app.inject({ method: "POST", url: "/cham", headers: { cookie, "content-type": "application/x-www-form-urlencoded" }, payload: `_csrf=${token}` });
    assert.equal(form.statusCode, 429);
    assert.equal(form.headers["retry-after"], "61");
  });
});
