// The kept form (issue 15, item 2): what a refused post typed comes back once, on its own form, within the hour,
// sealed so that neither its reader nor a forger can use the cookie.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import Fastify from "fastify";
import { keepForm, takeKeptForm } from "./kept-form.ts";

const SECRET = "a node's secret";

async function site(now: () => number) {
  const app = Fastify();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", (_request, _payload, done) => done(null));
  // A refusal that reads the body itself, as the page errors do before sending the visitor to sign in.
  app.post("/forms/:key", { preParsing: async (request, reply) => {
    const key = (request.params as { key: string }).key;
    await keepForm(request, reply, { secret: SECRET, key, path: "/forms", now: now(), only: (n) => n.startsWith("f.") });
    return reply.code(303).header("location", "/sign-in").send();
  } }, async () => "unreachable");
  app.get("/forms/:key", async (request, reply) => takeKeptForm(request, reply, { secret: SECRET, key: (request.params as { key: string }).key, path: "/forms", now: now() }) ?? {});
  await app.ready();
  return app;
}

const cookieOf = (res: { headers: Record<string, unknown> }) => /motcua_typed=([^;]*)/.exec(String(res.headers["set-cookie"] ?? ""))?.[1];

describe("the kept form", () => {
  it("reads an urlencoded or multipart post's text fields (not its files, not its buttons) and gives them back once", async () => {
    let t = Date.parse("2026-12-06T08:00:00Z");
    const app = await site(() => t);
    const urlencoded = await app.inject({ method: "POST", url: "/forms/a", headers: { "content-type": "application/x-www-form-urlencoded" }, payload: "_csrf=x&f.name=L%C3%AA+Th%E1%BB%8B+Hoa&intent=save" });
    assert.equal(urlencoded.statusCode, 303);
    const sealed = cookieOf(urlencoded)!;
    assert.ok(sealed);
    const b = "----b";
    const multipart = [`--${b}`, 'Content-Disposition: form-data; name="f.name"', "", "Lê Văn Nam", `--${b}`, 'Content-Disposition: form-data; name="file"; filename="a.pdf"', "Content-Type: application/pdf", "", "%PDF-1.4 ...", `--${b}`, 'Content-Disposition: form-data; name="f.after"', "", "after the file", `--${b}--`, ""].join("\r\n");
    const fromMultipart = await app.inject({ method: "POST", url: "/forms/b", headers: { "content-type": `multipart/form-data; boundary=${b}` }, payload: multipart });
    assert.deepEqual((await app.inject({ url: "/forms/b", headers: { cookie: `motcua_typed=${cookieOf(fromMultipart)}` } })).json(), { "f.name": "Lê Văn Nam", "f.after": "after the file" }, "the file left out");

    assert.deepEqual((await app.inject({ url: "/forms/other", headers: { cookie: `motcua_typed=${sealed}` } })).json(), {}, "another form's");
    const shown = await app.inject({ url: "/forms/a", headers: { cookie: `motcua_typed=${sealed}` } });
    assert.deepEqual(shown.json(), { "f.name": "Lê Thị Hoa" });
    assert.match(String(shown.headers["set-cookie"]), /motcua_typed=; Path=\/forms; Max-Age=0/, "cleared as it is shown");

    const tampered = sealed.slice(0, -4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
    assert.deepEqual((await app.inject({ url: "/forms/a", headers: { cookie: `motcua_typed=${tampered}` } })).json(), {}, "a forged cookie gives nothing");
    t += 3601_000;
    assert.deepEqual((await app.inject({ url: "/forms/a", headers: { cookie: `motcua_typed=${sealed}` } })).json(), {}, "gone after an hour");
    await app.close();
  });

  it("keeps nothing a cookie cannot hold, and nothing from a post that is not a form", async () => {
    const app = await site(() => Date.now());
    const big = new URLSearchParams(Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`f.field${i}`, randomBytes(75).toString("base64")])));
    assert.equal(cookieOf(await app.inject({ method: "POST", url: "/forms/a", headers: { "content-type": "application/x-www-form-urlencoded" }, payload: big.toString() })), undefined);
    assert.equal(cookieOf(await app.inject({ method: "POST", url: "/forms/a", headers: { "content-type": "application/json" }, payload: '{"f.a":"b"}' })), undefined);
    await app.close();
  });
});
