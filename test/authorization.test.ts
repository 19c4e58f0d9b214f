// The authorization matrix (issue 3, item 6; issue 12, item 2). The routes come from the built
// application, each with the access decision it declared (or its scope's default): for every route,
// every role and a signed-out caller, what the decision says is what HTTP does. There is no second list
// of routes: a route added without a decision stops the app from building, and one added with a
// decision is checked here as it is.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { runSeeds } from "../src/platform/db/seeds.ts";
import { type Actor, anonymous, ROLES, type Role } from "../src/platform/auth/actor.ts";
import {
  type Access,
  ADMINS,
  allows,
  PUBLIC,
  type RegisteredRoute,
  registeredRoutes,
  registerWithAccess,
  SIGNED_IN,
} from "../src/platform/http/access.ts";
import type { App } from "../src/platform/http/types.ts";
import { testLogger } from "../src/platform/log/testing.ts";
import { adminUnitsSeed, demoAgenciesSeed } from "../src/modules/directory/seeds.ts";
import { demoAccountsSeed } from "../src/modules/identity/seeds.ts";
import { testApp, type TestEnv } from "./helpers/app.ts";
import { buildApp } from "../src/app.ts";

type Who = Role | "anonymous";
const EVERYONE: readonly Who[] = ["anonymous", ...ROLES];

/** A demo account holding each role, and only it (data/demo/accounts.json). */
const ACCOUNT_OF: Record<Role, string> = {
  citizen: "001199000001",
  business: "0100233488",
  receiver: "tiepnhan",
  specialist: "chuyenvien.tuphap",
  leader: "lanhdao.tuphap",
  agency_admin: "quantri.tinh",
  supervisor: "giamsat.tinh",
  system_admin: "admin",
};

// Optional parts switched on, so their routes are in the matrix too. Nothing listens at the external
// provider's address: its pages fail after the access decision, which is all that is checked here.
const FEDERATION = {
  issuer: "http://127.0.0.1:9/vneid",
  clientId: "motcua",
  clientSecret: "motcua-secret-0123456789abcdefghij",
  cccdClaim: "cccd",
  loaClaim: "loa",
  name: "VNeID",
};

const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

/** Fastify answers HEAD with the GET handler; a wildcard's path has no one address to call. */
const calledOverHttp = (r: RegisteredRoute) => r.method !== "HEAD" && !r.url.includes("*");

describe("authorization matrix", () => {
  let env: TestEnv & { app: App };
  let routes: readonly RegisteredRoute[];
  const actors = new Map<Who, Actor>([["anonymous", anonymous]]);
  const tokens = new Map<Role, string>();
  before(async () => {
    env = await testApp({ config: { federation: FEDERATION } });
    await runSeeds(env.database, [adminUnitsSeed(), demoAgenciesSeed(env.ctx.directory), demoAccountsSeed(env.ctx.identity, testLogger())], {
      demo: true,
    });
    for (const role of ROLES) {
      const token = await env.ctx.oidc.mintToken({ type: "cli", name: "matrix" }, ACCOUNT_OF[role], 600);
      tokens.set(role, token);
      // The actor the app makes of the token: the decision is computed on what HTTP sees.
      actors.set(role, (await env.ctx.oidc.verifyAccessToken(token)).actor);
    }
    routes = registeredRoutes(env.app);
  });
  after(() => env.close());

  it("calls each role by an account that holds that role alone", () => {
    for (const role of ROLES) {
      const actor = actors.get(role)!;
      assert.equal(actor.type, "user", role);
      assert.deepEqual(actor.type === "user" ? actor.roles.map((g) => g.role) : [], [role], ACCOUNT_OF[role]);
    }
  });

  it("takes every route from the built app, each with a decision someone passes", () => {
    assert.ok(routes.length > 150, `${routes.length} routes collected`);
    const keys = new Set(routes.map(key));
    // A sample from each way a route is registered: a module's API and pages, the platform's, a
    // third party's under /docs (its scope's default), the provider's catch-all, an optional part.
    for (const k of ["GET /api/me", "POST /office/ho-so/:id/thao-tac/:action", "GET /metrics", "GET /docs/json", "POST /oidc/*", "GET /dang-nhap/ngoai"]) {
      assert.ok(keys.has(k), `${k} is registered`);
    }
    const problems: string[] = [];
    for (const route of routes) {
      const { access } = route;
      if (access.kind === "roles" && (access.roles.length === 0 || !access.roles.every((r) => ROLES.includes(r)))) {
        problems.push(`${key(route)}: roles ${JSON.stringify(access.roles)}`);
      }
      if (!EVERYONE.some((who) => allows(access, actors.get(who)!))) problems.push(`${key(route)}: nobody may call it`);
    }
    assert.deepEqual(problems, []);
  });

  it("gives a HEAD route its GET's decision, so calling the GET covers both", () => {
    const byKey = new Map(routes.map((r) => [key(r), r.access]));
    const heads = routes.filter((r) => r.method === "HEAD");
    assert.ok(heads.length > 50);
    for (const head of heads) {
      // A plugin's root under a prefix (/docs) is also served with a trailing slash, a twin route Fastify
      // registers with the same options without announcing it: its HEAD has no GET of its own in the list.
      const get = byKey.get(`GET ${head.url}`) ?? (head.url.endsWith("/") ? byKey.get(`GET ${head.url.slice(0, -1)}`) : undefined);
      assert.deepEqual(head.access, get, head.url);
    }
  });

  it("answers every route as its decision says, for every role and signed out: 401 or 403 when refused, never an access refusal when allowed", async () => {
    const problems: string[] = [];
    let refused = 0;
    let allowed = 0;
    // No call changes what a later one depends on, so the order does not matter: writes fail before they
    // change anything (placeholder ids, no body, no CSRF token), and the caller is named by a bearer token,
    // which no route ends (signing out ends the browser's session, by its cookie).
    for (const route of routes.filter(calledOverHttp)) {
      const url = route.url.replace(/:[A-Za-z]+/g, "x");
      for (const who of EVERYONE) {
        const should = allows(route.access, actors.get(who)!);
        const headers = who === "anonymous" ? {} : { authorization: `Bearer ${tokens.get(who)}` };
        const res = await env.app.inject({ method: route.method as "GET", url, headers });
        const code = res.headers["content-type"]?.toString().startsWith("application/json") ? errorCode(res.body) : undefined;
        const as = `${route.method} ${url} as ${who}`;
        if (should) {
          allowed++;
          if (code?.startsWith("access.")) problems.push(`${as}: allowed, but refused with ${res.statusCode} ${code}`);
        } else {
          refused++;
          const want = who === "anonymous" ? { status: 401, code: "access.unauthenticated" } : { status: 403, code: "access.denied" };
          if (res.statusCode !== want.status || code !== want.code) problems.push(`${as}: refused, but answered ${res.statusCode} ${code ?? ""}`);
        }
      }
    }
    assert.deepEqual(problems, []);
    // Both sides were exercised.
    assert.ok(refused > 300 && allowed > 500, `${refused} refused, ${allowed} allowed`);
  });

  it("a route without a decision stops the app from building (a scope's default reaches only its own routes)", async () => {
    const app = await buildApp(env.ctx);
    try {
      await registerWithAccess(app, PUBLIC, async () => {}, {});
      assert.throws(
        () => app.get("/undecided", async () => "x"),
        /^Error: route GET \/undecided has no access decision \(declare config\.access on the route\)$/,
      );
    } finally {
      await app.close();
    }
  });

  describe("a scope's default decision", () => {
    let app: App;
    before(async () => {
      app = await buildApp(env.ctx);
      // A plugin that declares nothing, as a third party's, registered in a scope whose default is SIGNED_IN.
      await registerWithAccess(
        app,
        SIGNED_IN,
        async (scope: App) => {
          scope.get("/scoped/plain", async () => ({ ok: true }));
          await scope.register(async (inner: App) => {
            inner.get("/scoped/nested", async () => ({ ok: true }));
          });
          scope.get("/scoped/own", { config: { access: ADMINS } }, async () => ({ ok: true }));
          scope.get("/scoped/open", { config: { access: PUBLIC } }, async () => ({ ok: true }));
        },
        {},
      );
      await app.ready();
    });
    after(() => app.close());

    const decisionOf = (url: string): Access | undefined => registeredRoutes(app).find((r) => r.method === "GET" && r.url === url)?.access;
    const get = (url: string, as?: Role) =>
      app.inject({ method: "GET", url, headers: as ? { authorization: `Bearer ${tokens.get(as)}` } : {} });

    it("is given to the routes registered in that scope and in the scopes below it", async () => {
      assert.deepEqual(decisionOf("/scoped/plain"), SIGNED_IN);
      assert.deepEqual(decisionOf("/scoped/nested"), SIGNED_IN);
      assert.equal((await get("/scoped/plain")).statusCode, 401);
      assert.equal((await get("/scoped/plain", "citizen")).statusCode, 200);
      assert.equal((await get("/scoped/nested")).statusCode, 401);
      assert.equal((await get("/scoped/nested", "citizen")).statusCode, 200);
    });

    it("gives way to a route's own decision", async () => {
      assert.deepEqual(decisionOf("/scoped/own"), ADMINS);
      assert.deepEqual(decisionOf("/scoped/open"), PUBLIC);
      assert.equal((await get("/scoped/own", "citizen")).statusCode, 403);
      assert.equal((await get("/scoped/own", "agency_admin")).statusCode, 200);
      assert.equal((await get("/scoped/open")).statusCode, 200);
    });

    it("opens the API explorer under /docs, whose routes (@fastify/swagger-ui's) declare nothing", async () => {
      const docs = registeredRoutes(env.app).filter((r) => r.url === "/docs" || r.url.startsWith("/docs/"));
      assert.ok(docs.length >= 10, `${docs.length} routes under /docs`);
      assert.deepEqual(docs.filter((r) => r.access.kind !== "public").map(key), []);
      for (const url of ["/docs", "/docs/", "/docs/json"]) assert.equal((await env.app.inject({ method: "GET", url })).statusCode, 200, url);
    });
  });
});

function errorCode(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown } };
    return typeof parsed.error?.code === "string" ? parsed.error.code : undefined;
  } catch {
    return undefined;
  }
}
