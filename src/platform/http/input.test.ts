// Clean input (issue 13, item 2): one check in the HTTP layer refuses a NUL or a lone surrogate in every string
// a request carries, naming the field, and turns a malformed multipart body into a 400, never a 500.
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import formbody from "@fastify/formbody";
import multipart from "@fastify/multipart";
import fc from "fast-check";
import Fastify from "fastify";
import { PUBLIC } from "./access.ts";
import { registerErrorHandling } from "./error-handler.ts";
import { hasUncleanCharacters, MAX_DEPTH, readFilePart, registerInputCheck } from "./input.ts";
import type { App } from "./types.ts";

/** What reached a handler: nothing may, when the request is refused. */
const reached: string[] = [];

async function inputApp(): Promise<App> {
  const app = Fastify({ bodyLimit: 64 * 1024 }).withTypeProvider() as unknown as App;
  registerInputCheck(app);
  registerErrorHandling(app);
  const open = { config: { access: PUBLIC } };
  app.get("/t/:name", open, async (request) => {
    reached.push(request.url);
    return { params: request.params, query: request.query };
  });
  app.post("/t/json", open, async (request) => {
    reached.push("json");
    return { body: request.body };
  });
  await app.register(async (forms) => {
    await forms.register(formbody);
    forms.post("/t/form", open, async (request) => {
      reached.push("form");
      return { body: request.body };
    });
  });
  await app.register(async (files) => {
    await files.register(multipart, { limits: { fileSize: 1024, files: 1, fields: 4, fieldSize: 1024 } });
    files.post("/t/file", open, async (request) => {
      const part = await readFilePart(request);
      if (!part) return { file: null };
      let size = 0;
      for await (const chunk of part.source) size += (chunk as Buffer).length;
      reached.push("file");
      return { fields: part.fields, filename: part.filename, size };
    });
  });
  await app.ready();
  return app;
}

/** A one-file multipart body, the fields first. */
function multipartBody(fields: Record<string, string>, filename: string, bytes = "%PDF-1.4 ...") {
  const boundary = "----motcua-test-boundary";
  let body = "";
  for (const [k, v] of Object.entries(fields)) body += `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  body += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n${bytes}\r\n--${boundary}--\r\n`;
  return { payload: Buffer.from(body, "utf8"), headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

const NUL = "a\u0000b";
const HIGH = "x\ud800y";
const LOW = "\udc00";
/** Characters outside the BMP: an emoji, a CJK Extension B ideograph (a Vietnamese Nôm character), a math letter. */
const FOUR_BYTES = "😀𠀀𝔸 Nguyễn";

describe("clean input", () => {
  let app: App;
  before(async () => {
    app = await inputApp();
  });
  after(() => app.close());

  const refused = (res: { statusCode: number; json(): { error: { code: string; fields?: Array<{ path: string }> } } }, paths: string[]) => {
    assert.equal(res.statusCode, 400);
    const { error } = res.json();
    assert.equal(error.code, "request.invalid_characters");
    assert.deepEqual(error.fields?.map((f) => f.path), paths);
  };

  it("finds a NUL or a lone surrogate in any string, and passes every well-formed one (4-byte characters too)", () => {
    for (const bad of [NUL, "\u0000", HIGH, LOW, "\ud83d", "😀\ud83d", "\ude00😀"]) assert.equal(hasUncleanCharacters(bad), true, JSON.stringify(bad));
    for (const good of ["", "Nguyễn Thị Mai", FOUR_BYTES, "\ud83d\ude00", "\u0001\u001f\ufffd\uffff"]) assert.equal(hasUncleanCharacters(good), false, good);
    const wellFormed = fc.string({ unit: fc.oneof(fc.integer({ min: 1, max: 0xd7ff }), fc.integer({ min: 0xe000, max: 0x10ffff })).map((c) => String.fromCodePoint(c)) });
    const badUnit = fc.oneof(fc.constant("\u0000"), fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)));
    fc.assert(
      fc.property(wellFormed, wellFormed, badUnit, (before, after, bad) => {
        assert.equal(hasUncleanCharacters(before + after), false);
        // A lone high surrogate followed by a low one would be a pair: the bad unit stands apart from it.
        const apart = /^[\udc00-\udfff]/.test(bad) ? `${before}.${bad}` : `${before}${bad}.${after}`;
        assert.equal(hasUncleanCharacters(apart), true);
      }),
      { seed: 13, numRuns: 300 },
    );
  });

  it("refuses them in the query, the path, a header, a JSON body (values and keys) and a form, naming each field, before the handler", async () => {
    reached.length = 0;
    refused(await app.inject({ method: "GET", url: "/t/x?q=a%00b" }), ["/querystring/q"]);
    refused(await app.inject({ method: "GET", url: "/t/a%00b" }), ["/params/name"]);
    refused(await app.inject({ method: "GET", url: "/t/x", headers: { authorization: `Bearer ${NUL}` } }), ["/headers/authorization"]);
    refused(await app.inject({ method: "GET", url: "/t/x", headers: { cookie: `session=${HIGH}` } }), ["/headers/cookie"]);
    refused(await app.inject({ method: "POST", url: "/t/json", payload: { formData: { hoTen: NUL, diaChi: { xa: HIGH } }, ok: "x" } }), ["/formData/hoTen", "/formData/diaChi/xa"]);
    refused(await app.inject({ method: "POST", url: "/t/json", payload: { list: ["ok", LOW] } }), ["/list/1"]);
    // A bad key is named with the refused character shown as U+FFFD, never echoed back.
    const key = await app.inject({ method: "POST", url: "/t/json", payload: { [`a${NUL}`]: 1 } });
    refused(key, ["/aa\ufffdb"]);
    assert.doesNotMatch(key.body, /\\u0000/);
    refused(
      await app.inject({ method: "POST", url: "/t/form", headers: { "content-type": "application/x-www-form-urlencoded" }, payload: "name=ok&note=a%00b" }),
      ["/note"],
    );
    assert.deepEqual(reached, []);
  });

  it("answers in the caller's language", async () => {
    const en = await app.inject({ method: "GET", url: "/t/x?q=%00", headers: { "accept-language": "en" } });
    assert.match(en.json().error.message, /not allowed/);
    assert.match(en.json().error.fields[0].message, /NUL/);
  });

  it("keeps every well-formed string, 4-byte characters included, as sent", async () => {
    const q = await app.inject({ method: "GET", url: `/t/${encodeURIComponent(FOUR_BYTES)}?q=${encodeURIComponent(FOUR_BYTES)}` });
    assert.equal(q.statusCode, 200);
    assert.deepEqual(q.json(), { params: { name: FOUR_BYTES }, query: { q: FOUR_BYTES } });
    const json = await app.inject({ method: "POST", url: "/t/json", payload: { [FOUR_BYTES]: [FOUR_BYTES, "\u0001"] } });
    assert.equal(json.statusCode, 200);
    assert.deepEqual(json.json(), { body: { [FOUR_BYTES]: [FOUR_BYTES, "\u0001"] } });
    const file = await app.inject({ method: "POST", url: "/t/file", ...multipartBody({ component: FOUR_BYTES }, `${FOUR_BYTES}.pdf`) });
    assert.equal(file.statusCode, 200);
    assert.deepEqual(file.json(), { fields: { component: FOUR_BYTES }, filename: `${FOUR_BYTES}.pdf`, size: 12 });
  });

  it(`refuses a body nested deeper than ${MAX_DEPTH} levels (400), and one over the body limit (413)`, async () => {
    // Built as text: JSON.stringify itself would overflow the stack on it.
    const text = `{"formData":${"[".repeat(30_000)}"x"${"]".repeat(30_000)}}`;
    const res = await app.inject({ method: "POST", url: "/t/json", headers: { "content-type": "application/json" }, payload: text });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, "request.too_deep");
    assert.equal(res.json().error.fields[0].path, `/formData${"/0".repeat(MAX_DEPTH - 1)}`);
    let shallow: unknown = "x";
    for (let i = 0; i < MAX_DEPTH - 1; i++) shallow = [shallow];
    assert.equal((await app.inject({ method: "POST", url: "/t/json", payload: { a: shallow } })).statusCode, 200);
    const big = await app.inject({ method: "POST", url: "/t/json", payload: { a: "x".repeat(65 * 1024) } });
    assert.equal(big.statusCode, 413);
    assert.equal(big.json().error.code, "request.too_large");
  });

  it("refuses prototype keys in a JSON body and lets none reach Object.prototype, from JSON, a form or a query", async () => {
    for (const payload of ['{"__proto__":{"polluted":1}}', '{"a":{"constructor":{"prototype":{"polluted":1}}}}']) {
      const res = await app.inject({ method: "POST", url: "/t/json", headers: { "content-type": "application/json" }, payload });
      assert.equal(res.statusCode, 400, payload);
    }
    const form = await app.inject({ method: "POST", url: "/t/form", headers: { "content-type": "application/x-www-form-urlencoded" }, payload: "__proto__=1&__proto__[polluted]=1&constructor[prototype][polluted]=1" });
    assert.ok(form.statusCode < 500);
    const query = await app.inject({ method: "GET", url: "/t/x?__proto__[polluted]=1&constructor.prototype.polluted=1" });
    assert.ok(query.statusCode < 500);
    assert.equal((Object.prototype as { polluted?: unknown }).polluted, undefined);
    assert.equal(({} as { polluted?: unknown }).polluted, undefined);
  });

  it("refuses a NUL in a multipart field or a file name (plain or RFC 5987), naming it, before the file is read", async () => {
    reached.length = 0;
    refused(await app.inject({ method: "POST", url: "/t/file", ...multipartBody({ component: NUL }, "a.pdf") }), ["/component"]);
    refused(await app.inject({ method: "POST", url: "/t/file", ...multipartBody({ component: "to-khai" }, `${NUL}.pdf`) }), ["/file/filename"]);
    const encoded = multipartBody({}, "x");
    const payload = Buffer.from(encoded.payload.toString("utf8").replace('filename="x"', "filename*=UTF-8''a%00b.pdf"));
    refused(await app.inject({ method: "POST", url: "/t/file", headers: encoded.headers, payload }), ["/file/filename"]);
    assert.deepEqual(reached, []);
    // A multipart body is bytes read as UTF-8: a surrogate's bytes arrive as U+FFFD, never as a lone surrogate.
    const replaced = await app.inject({ method: "POST", url: "/t/file", ...multipartBody({ component: HIGH }, "a.pdf") });
    assert.equal(replaced.json().fields.component, "x\ufffdy");
  });

  it("answers a body that is not multipart with 415 and a malformed one with 400, never 500", async () => {
    const json = await app.inject({ method: "POST", url: "/t/file", payload: { file: "x" } });
    assert.equal(json.statusCode, 415);
    assert.equal(json.json().error.code, "request.not_multipart");
    const noBoundary = await app.inject({ method: "POST", url: "/t/file", headers: { "content-type": "multipart/form-data" }, payload: "abc" });
    assert.equal(noBoundary.statusCode, 400);
    assert.equal(noBoundary.json().error.code, "request.malformed_multipart");
    const tooMany = await app.inject({
      method: "POST",
      url: "/t/file",
      headers: { "content-type": "multipart/form-data; boundary=b" },
      payload: Array.from({ length: 6 }, (_, i) => `--b\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\nv\r\n`).join("") + "--b--\r\n",
    });
    assert.equal(tooMany.statusCode, 413);
  });

  it("answers a multipart body cut off inside its file with 400 (over a real connection: the parser fails the file's stream)", async () => {
    const server = await inputApp();
    await server.listen({ host: "127.0.0.1", port: 0 });
    try {
      const { port } = server.server.address() as AddressInfo;
      const b = "cut";
      const body = `--${b}\r\nContent-Disposition: form-data; name="component"\r\n\r\nto-khai\r\n--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 and no end`;
      const res = await fetch(`http://127.0.0.1:${port}/t/file`, { method: "POST", headers: { "content-type": `multipart/form-data; boundary=${b}` }, body });
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, "request.malformed_multipart");
    } finally {
      await server.close();
    }
  });
});
