// The authorization matrix (issue 3, item 6): every registered route, for every role and for an
// anonymous caller, is allowed or denied as this table says. A route added without a decision stops
// the app from building; a decision changed without this table failing is impossible.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { runSeeds } from "../src/platform/db/seeds.ts";
import { type Actor, anonymous, ROLES, type Role } from "../src/platform/auth/actor.ts";
import { allows, registeredRoutes } from "../src/platform/http/access.ts";
import type { App } from "../src/platform/http/types.ts";
import { createLogger } from "../src/platform/log/index.ts";
import { adminUnitsSeed, demoAgenciesSeed } from "../src/modules/directory/seeds.ts";
import { demoAccountsSeed } from "../src/modules/identity/seeds.ts";
import { testApp, type TestEnv } from "./helpers/app.ts";
import { buildApp } from "../src/app.ts";

type Who = Role | "anonymous";
const EVERYONE: readonly Who[] = ["anonymous", ...ROLES];
const USERS: readonly Who[] = ROLES;

/** Expected callers per route (`*` = any method). HEAD follows GET. */
const MATRIX: Record<string, readonly Who[]> = {
  "GET /healthz": EVERYONE,
  "GET /metrics": EVERYONE,
  "GET /openapi.json": EVERYONE,
  "GET /docs": EVERYONE,
  "GET /docs/": EVERYONE,
  "GET /docs/static/index.html": EVERYONE,
  "GET /docs/static/swagger-initializer.js": EVERYONE,
  "GET /docs/json": EVERYONE,
  "GET /docs/yaml": EVERYONE,
  "GET /docs/*": EVERYONE,
  "GET /docs/static/*": EVERYONE,
  "GET /api/admin-units/provinces": EVERYONE,
  "GET /api/admin-units/provinces/:code/communes": EVERYONE,
  "GET /api/agencies": EVERYONE,
  "GET /api/agencies/:code": EVERYONE,
  "GET /api/calendar/due": EVERYONE,
  "GET /api/calendar/holidays": EVERYONE,
  "GET /": EVERYONE,
  "GET /office": EVERYONE,
  "GET /ngay-nghi": EVERYONE,
  "GET /ngon-ngu": EVERYONE,
  "GET /assets/:name": EVERYONE,
  "GET /auth/dang-nhap": EVERYONE,
  "GET /auth/callback": EVERYONE,
  "POST /auth/dang-xuat": EVERYONE,
  "GET /office/auth/dang-nhap": EVERYONE,
  "GET /office/auth/callback": EVERYONE,
  "POST /office/auth/dang-xuat": EVERYONE,
  "GET /dang-nhap": EVERYONE,
  "POST /dang-nhap": EVERYONE,
  "GET /dang-nhap/xac-thuc": EVERYONE,
  "POST /dang-nhap/xac-thuc": EVERYONE,
  "POST /dang-nhap/xac-thuc/dang-ky": EVERYONE,
  "POST /dang-xuat": EVERYONE,
  "GET /dang-ky": EVERYONE,
  "POST /dang-ky": EVERYONE,
  "GET /dang-ky/doanh-nghiep": EVERYONE,
  "POST /dang-ky/doanh-nghiep": EVERYONE,
  "POST /tai-khoan/nguoi-dai-dien": ["business"],
  "GET /tai-khoan": EVERYONE,
  "GET /quen-mat-khau": EVERYONE,
  "POST /quen-mat-khau": EVERYONE,
  "GET /dat-lai-mat-khau": EVERYONE,
  "POST /dat-lai-mat-khau": EVERYONE,
  "GET /xac-minh-email": EVERYONE,
  "POST /tai-khoan/phien/thu-hoi": USERS,
  "POST /tai-khoan/mat-khau": USERS,
  "POST /tai-khoan/thu-dien-tu": USERS,
  "POST /tai-khoan/thu-dien-tu/gui-lai": USERS,
  "POST /tai-khoan/xac-thuc/ma-khoi-phuc": USERS,
  "GET /api/me": USERS,
  "GET /api/me/representatives": ["business"],
  "POST /api/me/representatives": ["business"],
  "GET /api/admin/officers": ["agency_admin", "system_admin"],
  "POST /api/admin/officers": ["agency_admin", "system_admin"],
  "PUT /api/admin/users/:id/roles": ["agency_admin", "system_admin"],
  "POST /api/admin/users/:id/disable": ["agency_admin", "system_admin"],
  "GET /quan-tri/tai-khoan": ["agency_admin", "system_admin"],
  "POST /quan-tri/tai-khoan": ["agency_admin", "system_admin"],
  "GET /quan-tri/tai-khoan/moi": ["agency_admin", "system_admin"],
  "GET /quan-tri/tai-khoan/:id": ["agency_admin", "system_admin"],
  "POST /quan-tri/tai-khoan/:id/phong-ban": ["agency_admin", "system_admin"],
  "POST /quan-tri/tai-khoan/:id/vai-tro": ["agency_admin", "system_admin"],
  "POST /quan-tri/tai-khoan/:id/khoa": ["agency_admin", "system_admin"],
  "POST /quan-tri/tai-khoan/:id/mo-khoa": ["agency_admin", "system_admin"],
  "POST /quan-tri/tai-khoan/:id/dat-lai-xac-thuc": ["agency_admin", "system_admin"],
  "POST /api/admin/users/:id/enable": ["agency_admin", "system_admin"],
  "GET /api/admin/users/:id": ["agency_admin", "system_admin"],
  "PUT /api/admin/users/:id/department": ["agency_admin", "system_admin"],
  "POST /api/admin/users/:id/second-factor/reset": ["agency_admin", "system_admin"],
  "GET /dang-nhap/ngoai": EVERYONE,
  "GET /dang-nhap/ngoai/callback": EVERYONE,
  "GET /api/procedures": EVERYONE,
  "GET /api/procedure-fields": EVERYONE,
  "GET /api/procedures/:code": EVERYONE,
  "GET /api/procedures/:code/export": EVERYONE,
  "GET /api/procedures/:code/versions/:version": EVERYONE,
  "GET /api/procedures/:code/diff": EVERYONE,
  "GET /api/procedures/:code/versions": ["agency_admin", "system_admin", "supervisor"],
  "GET /api/procedures/:code/draft": ["agency_admin", "system_admin", "supervisor"],
  "GET /api/procedures/:code/draft/validation": ["agency_admin", "system_admin", "supervisor"],
  "POST /api/procedures": ["agency_admin", "system_admin"],
  "PUT /api/procedures/:code": ["agency_admin", "system_admin"],
  "POST /api/procedures/:code/publish": ["agency_admin", "system_admin"],
  "POST /api/procedures/import": ["agency_admin", "system_admin"],
  "GET /thu-tuc": EVERYONE,
  "GET /thu-tuc/:code": EVERYONE,
  "GET /quan-tri/thu-tuc": ["agency_admin", "system_admin", "supervisor"],
  "POST /quan-tri/thu-tuc": ["agency_admin", "system_admin"],
  "GET /quan-tri/thu-tuc/moi": ["agency_admin", "system_admin"],
  "GET /quan-tri/thu-tuc/:code": ["agency_admin", "system_admin", "supervisor"],
  "POST /quan-tri/thu-tuc/:code": ["agency_admin", "system_admin"],
  "GET /quan-tri/thu-tuc/:code/kiem-tra": ["agency_admin", "system_admin", "supervisor"],
  "POST /quan-tri/thu-tuc/:code/cong-bo": ["agency_admin", "system_admin"],
  "GET /quan-tri/thu-tuc/:code/so-sanh": ["agency_admin", "system_admin", "supervisor"],
  "POST /api/dossiers": ["citizen", "business", "receiver"],
  "GET /api/dossiers/:id": USERS,
  "PUT /api/dossiers/:id/form": USERS,
  "POST /api/dossiers/:id/submit": USERS,
  "POST /api/dossiers/:id/attachments": USERS,
  "GET /api/dossiers/:id/attachments/:fileId": USERS,
  "POST /api/dossiers/:id/actions/:action": USERS,
  "POST /api/dossiers/:id/rating": ["citizen", "business"],
  "GET /api/me/dossiers": ["citizen", "business"],
  "GET /api/office/dossiers": ["receiver", "specialist", "leader", "agency_admin", "supervisor"],
  "GET /api/lookup/:code": EVERYONE,
  "GET /api/dossiers/:id/forms/:form": USERS,
  "GET /api/office/register": ["receiver", "specialist", "leader", "agency_admin", "supervisor"],
  "GET /nop-ho-so": EVERYONE,
  "GET /nop-ho-so/:code": ["citizen", "business"],
  "POST /nop-ho-so/:code": ["citizen", "business"],
  "GET /ho-so-cua-toi": ["citizen", "business"],
  "GET /ho-so-cua-toi/:id": ["citizen", "business"],
  "POST /ho-so-cua-toi/:id": ["citizen", "business"],
  "POST /ho-so-cua-toi/:id/tep": ["citizen", "business"],
  "POST /ho-so-cua-toi/:id/bo-sung": ["citizen", "business"],
  "POST /ho-so-cua-toi/:id/rut": ["citizen", "business"],
  "POST /ho-so-cua-toi/:id/danh-gia": ["citizen", "business"],
  "GET /tra-cuu": EVERYONE,
  "GET /office/ho-so": ["receiver", "specialist", "leader", "agency_admin", "supervisor"],
  "GET /office/ho-so/:id": ["receiver", "specialist", "leader", "agency_admin", "supervisor"],
  "POST /office/ho-so/:id/thao-tac/:action": ["receiver", "specialist", "leader", "agency_admin", "supervisor"],
  "POST /office/ho-so/:id/ket-qua": ["receiver", "specialist", "leader", "agency_admin", "supervisor"],
  "POST /office/ho-so/:id": ["receiver"],
  "POST /office/ho-so/:id/tep": ["receiver"],
  "GET /office/tiep-nhan/moi": ["receiver"],
  "POST /office/tiep-nhan/moi": ["receiver"],
  "* /oidc": EVERYONE,
  "* /oidc/*": EVERYONE,
  "GET /oidc/interaction/:uid": EVERYONE,
  "GET /.well-known/openid-configuration": EVERYONE,
};

/** A demo account holding each role (data/demo/accounts.json). */
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

function expected(method: string, url: string): readonly Who[] | undefined {
  const m = method === "HEAD" ? "GET" : method;
  return MATRIX[`${m} ${url}`] ?? MATRIX[`* ${url}`];
}

function actorWith(who: Who): Actor {
  if (who === "anonymous") return anonymous;
  return { type: "user", userId: `u-${who}`, username: who, fullName: who, email: null, roles: [{ role: who, agencyCode: "000.00.00.H06" }], agencyCode: "000.00.00.H06", loa: 0 };
}

describe("authorization matrix", () => {
  let env: TestEnv & { app: App };
  const tokens = new Map<Role, string>();
  before(async () => {
    env = await testApp();
    await runSeeds(env.database, [adminUnitsSeed(), demoAgenciesSeed(env.ctx.directory), demoAccountsSeed(env.ctx.identity, createLogger("silent"))], {
      demo: true,
    });
    for (const role of ROLES) tokens.set(role, await env.ctx.oidc.mintToken({ type: "cli", name: "matrix" }, ACCOUNT_OF[role], 600));
  });
  after(() => env.close());

  it("has a decision for every registered route, the one this matrix expects, for every role and anonymous", () => {
    const routes = registeredRoutes(env.app);
    assert.ok(routes.length > 30, "the routes were collected");
    const problems: string[] = [];
    for (const route of routes) {
      const want = expected(route.method, route.url);
      if (!want) {
        problems.push(`${route.method} ${route.url}: not in the matrix`);
        continue;
      }
      for (const who of EVERYONE) {
        const allowed = allows(route.access, actorWith(who));
        if (allowed !== want.includes(who)) problems.push(`${route.method} ${route.url} as ${who}: ${allowed ? "allowed" : "denied"}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it("denies over HTTP where the matrix says so: 401 without identity, 403 with the wrong one", async () => {
    const checked: string[] = [];
    for (const route of registeredRoutes(env.app)) {
      const want = expected(route.method, route.url) ?? [];
      if (route.method === "HEAD" || route.url.includes("*")) continue;
      const url = route.url.replace(/:[a-z]+/gi, "x");
      for (const who of EVERYONE) {
        if (want.includes(who)) continue;
        const headers = who === "anonymous" ? {} : { authorization: `Bearer ${tokens.get(who)}` };
        const res = await env.app.inject({ method: route.method as "GET", url, headers });
        assert.equal(res.statusCode, who === "anonymous" ? 401 : 403, `${route.method} ${url} as ${who}`);
        checked.push(`${route.method} ${url} ${who}`);
      }
    }
    assert.ok(checked.includes("GET /api/me anonymous"));
  });

  it("a route without a decision stops the app from building", async () => {
    const app = await buildApp(env.ctx);
    assert.throws(() => app.get("/undecided", async () => "x"), /GET \/undecided has no access decision/);
    await app.close();
  });
});
