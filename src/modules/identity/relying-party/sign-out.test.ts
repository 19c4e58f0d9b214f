// Signing out of the portal or the office ends that party's session and the provider's (RP-initiated
// logout); disabling an account, revoking a session or signing out at the provider ends the parties' too.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { TestEnv } from "../../../../test/helpers/app.ts";
import type { App } from "../../../platform/http/types.ts";
import { buildBusiness, buildCitizen, buildOfficer, type FormBrowser, formBrowser, TEST_PASSWORD as PASSWORD } from "../testing.ts";
import { partyTestApp, setCookieLine, UNREACHABLE_PUBLIC_URL as PUBLIC } from "../../../../test/helpers/relying-party.ts";
import { signInThroughParty } from "./testing.ts";

const HTML = { accept: "text/html" };
let offset = 0;
const clock = { now: () => new Date(Date.now() + offset) };
const local = (location: unknown) => String(location).replace(PUBLIC, "");

describe("signing out of the portal and the office", () => {
  let env: TestEnv & { app: App };
  before(async () => {
    env = await partyTestApp(clock);
  });
  after(() => env.close());

  const signedInTo = async (b: FormBrowser, path: "/" | "/office") => /Xin chào, /.test((await b.get(path, HTML)).body);

  /** Follows the redirects of a new portal sign-in; where it stops (the sign-in page, or back home). */
  async function portalSignInStopsAt(b: FormBrowser): Promise<string> {
    let location = local((await b.get("/auth/dang-nhap")).headers.location);
    for (let i = 0; i < 6 && !location.startsWith("/dang-nhap?") && !location.startsWith("/auth/callback?"); i++) {
      location = local((await b.get(location)).headers.location);
    }
    return location;
  }

  it("ends the portal's session and the provider's, with a CSRF-checked form and the provider's end-session endpoint", async () => {
    const b = await formBrowser(env.app);
    await signInThroughParty(env.ctx, b, "portal", (await buildCitizen(env.ctx)).username, PASSWORD);
    const portal = b.cookies.get("motcua_portal")!;
    const provider = b.cookies.get("motcua_session")!;

    const forged = await env.app.inject({
      method: "POST",
      url: "/auth/dang-xuat",
      headers: { cookie: `motcua_portal=${portal}; motcua_session=${provider}`, "content-type": "application/x-www-form-urlencoded" },
      payload: "_csrf=forged-forged-forged-forged-1",
    });
    assert.equal(forged.statusCode, 403);
    assert.ok(await env.ctx.identity.relyingPartySession("portal", portal), "a forged form ends nothing");

    const out = await b.post("/auth/dang-xuat", {});
    assert.equal(out.statusCode, 303);
    const end = new URL(String(out.headers.location));
    assert.equal(`${end.origin}${end.pathname}`, `${PUBLIC}/oidc/session/end`);
    assert.equal(end.searchParams.get("post_logout_redirect_uri"), `${PUBLIC}/`);
    assert.match(end.searchParams.get("id_token_hint") ?? "", /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.equal(await env.ctx.identity.relyingPartySession("portal", portal), null);

    // The provider asks nothing of the person who asked on the portal: its form goes by itself.
    const page = await b.get(local(out.headers.location), HTML);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<form method="post" action="[^"]*\/oidc\/session\/end\/confirm" data-auto-submit>/);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.body)![1]!;
    const confirmed = await b.post("/oidc/session/end/confirm", { xsrf, logout: "yes" });
    assert.equal(confirmed.statusCode, 303);
    assert.equal(confirmed.headers.location, `${PUBLIC}/`);
    assert.match(setCookieLine(confirmed, "motcua_session") ?? "", /^motcua_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax/);
    assert.equal(await env.ctx.identity.session(provider), null, "the provider's session ended");
    assert.equal(await signedInTo(b, "/"), false);
    assert.match(await portalSignInStopsAt(b), /^\/dang-nhap\?next=%2Foidc%2Finteraction%2F/, "the next sign-in asks for the password");
  });

  it("the office's sign-out comes back to the office; a sign-out link from elsewhere only asks", async () => {
    offset += 60_000;
    const b = await formBrowser(env.app);
    const { secret } = await signInThroughParty(env.ctx, b, "office", (await buildOfficer(env.ctx, { roles: ["receiver"] })).username, PASSWORD);
    assert.ok(secret);
    const provider = b.cookies.get("motcua_session")!;

    const elsewhere = await b.get(`/oidc/session/end?client_id=motcua-office&post_logout_redirect_uri=${encodeURIComponent(`${PUBLIC}/office`)}`, HTML);
    assert.equal(elsewhere.statusCode, 200);
    assert.doesNotMatch(elsewhere.body, /data-auto-submit/);
    assert.ok(await env.ctx.identity.session(provider), "asking ends nothing");

    const out = await b.post("/office/auth/dang-xuat", {});
    assert.equal(new URL(String(out.headers.location)).searchParams.get("post_logout_redirect_uri"), `${PUBLIC}/office`);
    const page = await b.get(local(out.headers.location), HTML);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.body)![1]!;
    const confirmed = await b.post("/oidc/session/end/confirm", { xsrf, logout: "yes" });
    assert.equal(confirmed.headers.location, `${PUBLIC}/office`);
    assert.equal(await env.ctx.identity.session(provider), null);
    assert.equal(await signedInTo(b, "/office"), false);
  });

  it("disabling the account ends its portal and office sessions, for good", async () => {
    offset += 60_000;
    const target = (await buildOfficer(env.ctx)).user;
    const admin = (await buildOfficer(env.ctx, { roles: ["system_admin"] })).user;
    const officer = await formBrowser(env.app);
    await signInThroughParty(env.ctx, officer, "office", target.username, PASSWORD);
    await signInThroughParty(env.ctx, officer, "portal", target.username, PASSWORD);
    assert.ok((await signedInTo(officer, "/office")) && (await signedInTo(officer, "/")));

    await env.ctx.identity.disable(env.ctx.identity.actorFor(admin, { loa: 0 }), target.id);
    assert.equal(await signedInTo(officer, "/office"), false);
    assert.equal(await signedInTo(officer, "/"), false);
    assert.equal((await officer.get("/api/me")).statusCode, 401);

    await env.ctx.identity.enable(env.ctx.identity.actorFor(admin, { loa: 0 }), target.id);
    assert.equal(await env.ctx.identity.relyingPartySession("office", officer.cookies.get("motcua_office")!), null, "ended sessions stay ended");
  });

  it("a party's session is listed on the account page and ends when revoked there, or at the provider's sign-out", async () => {
    const { username } = await buildBusiness(env.ctx);
    const b = await formBrowser(env.app);
    await signInThroughParty(env.ctx, b, "portal", username, PASSWORD);
    const id = createHash("sha256").update(`portal:${b.cookies.get("motcua_portal")!}`).digest("hex");
    assert.match((await b.get("/tai-khoan", HTML)).body, new RegExp(`value="${id}"`));
    const revoked = await b.post("/tai-khoan/phien/thu-hoi", { session: id });
    assert.equal(revoked.statusCode, 200);
    assert.equal(await signedInTo(b, "/"), false);

    await signInThroughParty(env.ctx, b, "portal", username, PASSWORD);
    assert.equal(await signedInTo(b, "/"), true);
    const out = await b.post("/dang-xuat", {});
    assert.equal(out.statusCode, 303);
    assert.equal(await signedInTo(b, "/"), false);
    assert.equal(b.cookies.get("motcua_portal"), undefined);
  });
});
