import assert from "node:assert/strict";
import { PUBLIC } from "./access.ts";
import { after, before, describe, it } from "node:test";
import { Type } from "../typebox.ts";
import { DrizzleQueryError } from "../db/drizzle.ts";
import Fastify from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import { registerWebRoutes, sendNotFoundPage, wantsPage } from "../../web/routes.tsx";
import { DatabaseUnavailableError } from "../db/index.ts";
import { markDatabaseFailure } from "../db/faults.ts";
import { registerErrorHandling } from "./error-handler.ts";
import { errorCatalogue, UNAVAILABLE_RETRY_SECONDS } from "./errors.ts";
import type { App } from "./types.ts";

describe("HTTP basics", () => {
  let env: Awaited<ReturnType<typeof testApp>>;
  before(async () => {
    // Built as a node builds it: every route's schemas compiled now, so one that does not compile fails here.
    env = await testApp({ config: { lazySchemas: false } });
  });
  after(() => env.close());

  it("GET /healthz checks the database", async () => {
    const res = await env.app.inject({ method: "GET", url: "/healthz" });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: "ok" });
  });

  it("gives every response a request id and keeps a well-formed one from the caller", async () => {
    const own = await env.app.inject({ method: "GET", url: "/healthz" });
    assert.match(String(own.headers["x-request-id"]), /^[0-9a-f-]{36}$/);
    const given = await env.app.inject({ method: "GET", url: "/healthz", headers: { "x-request-id": "trace-12345678" } });
    assert.equal(given.headers["x-request-id"], "trace-12345678");
    const bad = await env.app.inject({ method: "GET", url: "/healthz", headers: { "x-request-id": "<script>" } });
    assert.notEqual(bad.headers["x-request-id"], "<script>");
  });

  it("answers an unknown path with the error envelope, in Vietnamese or English", async () => {
    const vi = await env.app.inject({ method: "GET", url: "/no/such/thing" });
    assert.equal(vi.statusCode, 404);
    const body = vi.json();
    assert.equal(body.error.code, "request.not_found");
    assert.equal(body.error.requestId, vi.headers["x-request-id"]);
    assert.match(body.error.message, /Không tìm thấy/);
    const en = await env.app.inject({ method: "GET", url: "/no/such/thing", headers: { "accept-language": "en-US,en" } });
    assert.match(en.json().error.message, /Nothing is found/);
  });

  it("serves Prometheus metrics with request duration histograms", async () => {
    await env.app.inject({ method: "GET", url: "/healthz" });
    const res = await env.app.inject({ method: "GET", url: "/metrics" });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers["content-type"] as string, /text\/plain/);
    assert.match(res.body, /http_request_duration_seconds_bucket\{.*route="\/healthz".*\}/);
    assert.match(res.body, /process_cpu_user_seconds_total/);
  });

  it("publishes the OpenAPI description and the docs page", async () => {
    const spec = await env.app.inject({ method: "GET", url: "/openapi.json" });
    assert.equal(spec.statusCode, 200);
    assert.equal(spec.json().openapi, "3.0.3");
    assert.ok(spec.json().paths["/healthz"]);
    const docs = await env.app.inject({ method: "GET", url: "/docs/" });
    assert.equal(docs.statusCode, 200);
    assert.match(docs.body, /swagger/i);
  });

  it("error codes are unique and module.snake_case", () => {
    const codes = [...errorCatalogue().keys()];
    assert.ok(codes.length >= 3);
    for (const code of codes) assert.match(code, /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/);
    assert.equal(new Set(codes).size, codes.length);
  });
});

describe("validation errors", () => {
  let env: Awaited<ReturnType<typeof testApp>>;
  before(async () => {
    env = await testApp();
  });
  after(() => env.close());

  it("name each bad field with a JSON pointer", async () => {
    // A throwaway route on a second app instance: the shape of the envelope is the platform's.
    const { buildApp } = await import("../../app.ts");
    const app = await buildApp(env.ctx);
    app.post(
      "/t",
      { config: { access: PUBLIC }, schema: { body: Type.Object({ formData: Type.Object({ hoTen: Type.String({ minLength: 2 }) }), n: Type.Integer() }) } },
      async () => ({ ok: true }),
    );
    app.get("/boom", { config: { access: PUBLIC } }, async () => {
      throw new Error("secret internal detail");
    });
    await app.ready();
    const res = await app.inject({ method: "POST", url: "/t", payload: { formData: { hoTen: "A" } } });
    assert.equal(res.statusCode, 400);
    const { error } = res.json();
    assert.equal(error.code, "request.validation_failed");
    const paths = error.fields.map((f: { path: string }) => f.path).sort();
    assert.deepEqual(paths, ["/formData/hoTen", "/n"]);
    assert.ok(error.fields.every((f: { message: string }) => f.message.length > 0));

    const badJson = await app.inject({ method: "POST", url: "/t", headers: { "content-type": "application/json" }, payload: "{" });
    assert.equal(badJson.statusCode, 400);
    assert.equal(badJson.json().error.code, "request.bad_request");

    const boom = await app.inject({ method: "GET", url: "/boom" });
    assert.equal(boom.statusCode, 500);
    assert.equal(boom.json().error.code, "platform.internal");
    assert.doesNotMatch(boom.body, /secret internal detail/);
    await app.close();
  });
});

describe("a database that cannot serve", () => {
  // Failures as the database layer passes them on: Drizzle's wrapping of a server's error, a socket's error, the
  // layer's own refusal while the server is out of reach; and one that means something else.
  /** A failure of one of the database's connections, marked as the layer marks every failure it passes on. */
  const theDatabases = <E extends Error>(err: E): E => {
    markDatabaseFailure(err);
    return err;
  };
  const failures: Record<string, () => Error> = {
    restarting: () => new DrizzleQueryError("insert …", [], theDatabases(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }))),
    refused: () => theDatabases(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })),
    down: () => new DatabaseUnavailableError("timeout"),
    disk: () => theDatabases(Object.assign(new Error("could not extend file"), { code: "53100" })),
    duplicate: () => theDatabases(Object.assign(new Error("duplicate key value violates unique constraint"), { code: "23505" })),
    // A peer's endpoint refusing (the national portal, a registry): not the database, and not this answer.
    peer: () => new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED 10.0.0.9:443"), { code: "ECONNREFUSED" }) }),
  };
  let app: App;
  before(async () => {
    app = Fastify() as unknown as App;
    registerErrorHandling(app, { notFoundPage: { wants: wantsPage, send: sendNotFoundPage } });
    for (const [name, fail] of Object.entries(failures)) {
      app.get(`/api/${name}`, { config: { access: PUBLIC } }, async () => {
        throw fail();
      });
    }
    await registerWebRoutes(app, [
      async (web: App) => {
        web.get("/trang", { config: { access: PUBLIC } }, async () => {
          throw failures.restarting!();
        });
      },
    ]);
    await app.ready();
  });
  after(() => app.close());

  it("answers 503 platform.unavailable with Retry-After and the reason, whatever failed on the way", async () => {
    for (const [name, reason] of [["restarting", "restarting"], ["refused", "unreachable"], ["down", "timeout"], ["disk", "disk_full"]] as const) {
      const res = await app.inject({ method: "GET", url: `/api/${name}` });
      assert.equal(res.statusCode, 503, name);
      assert.equal(res.headers["retry-after"], String(UNAVAILABLE_RETRY_SECONDS), name);
      const { error } = res.json();
      assert.equal(error.code, "platform.unavailable", name);
      assert.equal(error.reason, reason, name);
      assert.equal(error.retryAfterSeconds, UNAVAILABLE_RETRY_SECONDS, name);
      assert.doesNotMatch(res.body, /administrator command|ECONNREFUSED|extend file/, "the driver's message is not sent");
    }
  });

  it("leaves other failures as they were, the database's and a peer's refused connection: a 500 that says nothing", async () => {
    for (const name of ["duplicate", "peer"]) {
      const res = await app.inject({ method: "GET", url: `/api/${name}` });
      assert.equal(res.statusCode, 500, name);
      assert.equal(res.json().error.code, "platform.internal", name);
    }
  });

  it("shows a browser a page saying so, with the same status and Retry-After", async () => {
    const res = await app.inject({ method: "GET", url: "/trang", headers: { accept: "text/html" } });
    assert.equal(res.statusCode, 503);
    assert.equal(res.headers["retry-after"], String(UNAVAILABLE_RETRY_SECONDS));
    assert.match(String(res.headers["content-type"]), /text\/html/);
    assert.match(res.body, /<h1>Hệ thống tạm thời gián đoạn<\/h1>/);
    assert.match(res.body, /Vui lòng thử lại sau giây lát/);
  });
});
