// The portal and the office sign people in as relying parties of motcua's provider: code flow with PKCE,
// state and nonce, on the provider's sign-in pages, and each party's own session from the ID token.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { TestEnv } from "../../../../test/helpers/app.ts";
import { sql } from "../../../platform/db/index.ts";
import type { App } from "../../../platform/http/types.ts";
import { buildAgency } from "../../directory/testing.ts";
import { buildCitizen, buildOfficer, formBrowser, TEST_PASSWORD as PASSWORD } from "../testing.ts";
import { partyTestApp, setCookieLine, UNREACHABLE_PUBLIC_URL as PUBLIC } from "../../../../test/helpers/relying-party.ts";
import { signInThroughParty } from "./testing.ts";

const HTML = { accept: "text/html" };
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
let offset = 0;
const clock = { now: () => new Date(Date.now() + offset) };

describe("signing in to the portal and the office", () => {
  let env: TestEnv & { app: App };
  before(async () => {
    env = await partyTestApp(clock);
  });
  after(() => env.close());

  const partySignIns = async () =>
    (await env.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'identity.rp_signed_in'`))[0]!.n;

  it("a citizen signs in through the portal's flow on the provider's pages, and / shows them signed in", async () => {
    const citizen = await buildCitizen(env.ctx, { fullName: "Nguyễn Thị Mai" });
    const b = await formBrowser(env.app);
    assert.match((await b.get("/", HTML)).body, /<a class="viewer__sign-in" href="\/auth\/dang-nhap\?next=%2F">Đăng nhập<\/a>/);

    const start = await b.get("/auth/dang-nhap?next=%2Fngay-nghi");
    assert.equal(start.statusCode, 303);
    const authorize = new URL(String(start.headers.location));
    assert.equal(`${authorize.origin}${authorize.pathname}`, `${PUBLIC}/oidc/auth`);
    const q = authorize.searchParams;
    assert.equal(q.get("client_id"), "motcua-portal");
    assert.equal(q.get("redirect_uri"), `${PUBLIC}/auth/callback`);
    assert.equal(q.get("response_type"), "code");
    assert.equal(q.get("code_challenge_method"), "S256");
    for (const p of ["code_challenge", "state", "nonce"]) assert.match(q.get(p) ?? "", /^[\w-]{43}$/, p);
    const flow = setCookieLine(start, "motcua_portal_flow")!;
    assert.match(flow, /; Path=\/auth\/callback; Max-Age=600; HttpOnly; SameSite=Lax$/);
    assert.ok(!flow.includes(q.get("state")!) && !flow.includes(q.get("nonce")!), "the flow cookie is sealed");

    const { callback } = await signInThroughParty(env.ctx, b, "portal", citizen.username, PASSWORD, { next: "/ngay-nghi" });
    assert.equal(callback!.statusCode, 303);
    assert.equal(callback!.headers.location, "/ngay-nghi");
    assert.match(setCookieLine(callback!, "motcua_portal")!, /^motcua_portal=[\w-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Lax$/);
    const token = b.cookies.get("motcua_portal")!;
    const providerToken = b.cookies.get("motcua_session")!;
    assert.notEqual(token, providerToken);

    const home = await b.get("/", HTML);
    assert.match(home.body, /Xin chào, Nguyễn Thị Mai/);
    assert.match(home.body, /<form class="viewer" method="post" action="\/auth\/dang-xuat">/);
    const session = await env.ctx.identity.relyingPartySession("portal", token);
    assert.equal(session?.user.username, citizen.username);
    assert.equal(session?.mfa, false);

    // The portal's session is its own: the provider's cookie does not sign anyone in to the portal, and the
    // portal's token is no provider session (nor the office's).
    assert.match((await b.get("/", { ...HTML, cookie: `motcua_session=${providerToken}` })).body, /viewer__sign-in/);
    const swapped = await env.app.inject({ method: "GET", url: "/tai-khoan", headers: { ...HTML, cookie: `motcua_session=${token}` } });
    assert.equal(swapped.statusCode, 303);
    assert.equal(await env.ctx.identity.relyingPartySession("office", token), null);
    assert.match((await b.get("/office", HTML)).body, /href="\/office\/auth\/dang-nhap\?next=%2Foffice"/);
  });

  it("an officer sent from an office page signs in with the second factor and comes back to it", async () => {
    const province = await buildAgency(env.ctx);
    const department = await buildAgency(env.ctx, { parent: province });
    const admin = await buildOfficer(env.ctx, { agency: province, roles: ["agency_admin"] });
    const specialist = await buildOfficer(env.ctx, { agency: department });
    const b = await formBrowser(env.app);
    const page = `/quan-tri/tai-khoan?agency=${department.code}`;
    const sent = await b.get(page, HTML);
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, `/office/auth/dang-nhap?next=${encodeURIComponent(page)}`);

    offset += 60_000;
    const first = await signInThroughParty(env.ctx, b, "office", admin.username, PASSWORD, { next: page });
    assert.ok(first.secret, "enrolled on the way");
    assert.equal(first.callback!.statusCode, 303);
    assert.equal(first.callback!.headers.location, page);
    const list = await b.get(page, HTML);
    assert.equal(list.statusCode, 200);
    assert.match(list.body, new RegExp(`>${escaped(specialist.username)}</a>`));
    assert.equal((await env.ctx.identity.relyingPartySession("office", b.cookies.get("motcua_office")!))?.mfa, true);

    // Another browser, later: password and a code.
    offset += 60_000;
    const again = await formBrowser(env.app);
    const second = await signInThroughParty(env.ctx, again, "office", admin.username, PASSWORD, { secret: first.secret! });
    assert.equal(second.callback!.headers.location, "/office");
    assert.match((await again.get("/office", HTML)).body, /Xin chào, /);
  });

  it("a citizen signing in through the office is refused the office's pages by the access rules", async () => {
    const b = await formBrowser(env.app);
    const { callback } = await signInThroughParty(env.ctx, b, "office", (await buildCitizen(env.ctx)).username, PASSWORD);
    assert.equal(callback!.headers.location, "/office");
    const refused = await b.get("/quan-tri/tai-khoan", HTML);
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /Bạn không có quyền thực hiện thao tác này/);
  });

  it("an officer whose provider session lacks the second factor gets no office session", async () => {
    // Password only: the provider keeps the officer at the second factor; the office's callback is never reached.
    const leader = await buildOfficer(env.ctx, { roles: ["leader"] });
    offset += 60_000;
    const pending = await formBrowser(env.app);
    const start = await pending.get("/office/auth/dang-nhap");
    let location = String(start.headers.location).slice(PUBLIC.length);
    for (let i = 0; i < 5 && !location.startsWith("/dang-nhap?"); i++) location = String((await pending.get(location)).headers.location).replace(PUBLIC, "");
    const next = new URL(location, PUBLIC).searchParams.get("next")!;
    const signedIn = await pending.post("/dang-nhap", { username: leader.username, password: PASSWORD, next });
    assert.match(String(signedIn.headers.location), /^\/dang-nhap\/xac-thuc\?/);
    assert.match(String((await pending.get(next)).headers.location), /^\/dang-nhap\?/, "the interaction does not let the officer through");
    assert.equal(pending.cookies.get("motcua_office"), undefined);

    // A provider session that vouches without the second factor (its amr altered): the office refuses the
    // ID token, and nothing is opened.
    const b = await formBrowser(env.app);
    const ok = await signInThroughParty(env.ctx, b, "office", leader.username, PASSWORD);
    assert.equal(ok.callback!.statusCode, 303);
    b.cookies.delete("motcua_office");
    const id = leader.id;
    await env.database.db.execute(
      sql`UPDATE oidc_payloads SET payload = jsonb_set(payload, '{amr}', '["pwd"]'::jsonb) WHERE model = 'Session' AND payload->>'accountId' = ${id}`,
    );
    const before = await partySignIns();
    const { callback } = await signInThroughParty(env.ctx, b, "office", leader.username, PASSWORD);
    assert.equal(callback!.statusCode, 403);
    assert.match(callback!.body, /data-code="rp\.second_factor_required"/);
    assert.equal(setCookieLine(callback!, "motcua_office"), undefined);
    assert.equal(await partySignIns(), before);
  });

  it("refuses a callback with a wrong, missing, altered, another party's or replayed state, and opens nothing", async () => {
    const refused = async (res: Awaited<ReturnType<typeof b.get>>) => {
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /data-code="rp\.sign_in_incomplete"/);
      assert.match(res.body, /Không hoàn tất được đăng nhập/);
      assert.equal(setCookieLine(res, "motcua_portal"), undefined);
      assert.equal(setCookieLine(res, "motcua_office"), undefined);
    };
    const { username } = await buildCitizen(env.ctx);
    const b = await formBrowser(env.app);
    const before = await partySignIns();
    const flow = () => signInThroughParty(env.ctx, b, "portal", username, PASSWORD, { stopAtCallback: true });

    const wrong = new URL((await flow()).callbackUrl, PUBLIC);
    wrong.searchParams.set("state", "another-state");
    await refused(await b.get(wrong.pathname + wrong.search, HTML));

    const missing = await flow();
    b.cookies.delete("motcua_portal_flow");
    await refused(await b.get(missing.callbackUrl, HTML));

    const altered = await flow();
    const sealed = b.cookies.get("motcua_portal_flow")!;
    b.cookies.set("motcua_portal_flow", `${sealed.slice(0, -6)}${sealed.slice(-6).split("").reverse().join("")}`);
    await refused(await b.get(altered.callbackUrl, HTML));

    const otherParty = await flow();
    b.cookies.set("motcua_office_flow", b.cookies.get("motcua_portal_flow")!);
    await refused(await b.get(otherParty.callbackUrl.replace("/auth/callback", "/office/auth/callback"), HTML));
    assert.equal(await partySignIns(), before);

    // Once used, a flow (even kept by whoever copied it) and its code sign no one in again.
    const used = await flow();
    const kept = b.cookies.get("motcua_portal_flow")!;
    assert.equal((await b.get(used.callbackUrl, HTML)).statusCode, 303);
    assert.equal(await partySignIns(), before + 1);
    b.cookies.delete("motcua_portal");
    b.cookies.set("motcua_portal_flow", kept);
    await refused(await b.get(used.callbackUrl, HTML));
    assert.equal(await partySignIns(), before + 1);
  });

  it("comes back only to a local path of the party, never to another site", async () => {
    const b = await formBrowser(env.app);
    for (const evil of ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "/%2F%2Fevil.example"]) {
      const res = await b.get(`/auth/dang-nhap?next=${encodeURIComponent(evil)}`);
      assert.equal(res.statusCode, 303);
      assert.ok(String(res.headers.location).startsWith(`${PUBLIC}/oidc/auth?`), evil);
    }
    const { username } = await buildCitizen(env.ctx);
    const portal = await signInThroughParty(env.ctx, b, "portal", username, PASSWORD, { next: "https://evil.example/" });
    assert.equal(portal.callback!.headers.location, "/");
    const office = await signInThroughParty(env.ctx, b, "office", username, PASSWORD, { next: "//evil.example/" });
    assert.equal(office.callback!.headers.location, "/office");
    // Dot segments and tabs that a browser's URL parser turns into `//evil.example` (issue 13).
    for (const next of ["/.//evil.example", "/%2e//evil.example", "/\t/evil.example"]) {
      const again = await signInThroughParty(env.ctx, await formBrowser(env.app), "portal", username, PASSWORD, { next });
      assert.equal(again.callback!.headers.location, "/", next);
    }
    // Signed in already: straight back, still only home.
    const signedIn = await b.get(`/auth/dang-nhap?next=${encodeURIComponent("https://evil.example/")}`);
    assert.equal(signedIn.headers.location, "/");
  });
});
