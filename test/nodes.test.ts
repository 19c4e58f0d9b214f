// Several nodes, one PostgreSQL (issue 13, item 8): three web nodes and one worker, each a real `motcua` process
// started from the same configuration against one database (the machine's PostgreSQL on 127.0.0.1 when the suite
// runs on PGlite, DATABASE_URL's server otherwise). Sessions and tokens made on one node work on the others; a
// publication and a disabled account reach every node's memory through LISTEN/NOTIFY (the caches' own time limits
// are an hour here, so nothing else could explain it); the lookup and sign-in throttles count across the nodes;
// every job runs once however many workers claim; a node stopped under load loses no acknowledged request.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { type Context, createContext } from "../src/context.ts";
import { systemActor } from "../src/platform/auth/actor.ts";
import { loadConfig } from "../src/platform/config/index.ts";
import { type Database, sql } from "../src/platform/db/index.ts";
import { createLogger } from "../src/platform/log/index.ts";
import type { ProcedureContent } from "../src/modules/catalog/index.ts";
import { buildProvincialProcedure, type DossierSetting, dossierSetting, formOf, publishProcedures } from "../src/modules/dossiers/testing.ts";
import { buildCitizen, buildOfficer, TEST_PASSWORD } from "../src/modules/identity/testing.ts";
import { eventually, Jar, type Node, startNode } from "./helpers/cluster.ts";
import { serverDatabase } from "./helpers/db.ts";

const LOOKUPS_PER_MINUTE = 6;

describe("several nodes on one PostgreSQL", () => {
  let database: Database;
  let ctx: Context;
  let dataDir: string;
  let env: Record<string, string>;
  let web: Node[] = [];
  let worker: Node;
  /** A province of the test's own and its people (the citizen files, the agency's administrator publishes). */
  let s: DossierSetting;
  /** Filed without papers (none is required), so a request files it at once. */
  let submitted: ProcedureContent;

  before(async () => {
    let url: string;
    ({ database, url } = await serverDatabase());
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-nodes-"));
    // The one configuration every node is started from (the port aside), as a deployment's would be.
    env = {
      DATABASE_URL: url,
      DATABASE_POOL_MAX: "4",
      MOTCUA_DATA_DIR: dataDir,
      MOTCUA_PUBLIC_URL: "http://127.0.0.1:9",
      MOTCUA_SECRET: randomBytes(32).toString("hex"),
      MOTCUA_AUDIT_KEY: randomBytes(32).toString("hex"),
      MOTCUA_DEMO: "false",
      // An hour: a node that sees another's change sooner heard of it, it did not wait for its cache to expire.
      MOTCUA_SEARCH_CACHE_SECONDS: "3600",
      MOTCUA_LOOKUP_PER_MINUTE: String(LOOKUPS_PER_MINUTE),
      MOTCUA_WORKER_POLL_MS: "50",
      MOTCUA_SHUTDOWN_TIMEOUT_MS: "10000",
      LOG_LEVEL: "info",
    };
    // The data the tests need, made through the services on the same database (as an operator's command would).
    const config = { ...loadConfig({ ...env, PORT: "9" }) };
    ctx = createContext(config, database, { logger: createLogger("silent") });
    s = await dossierSetting(ctx);
    const base = buildProvincialProcedure(s.place);
    submitted = await publishProcedures(ctx, { ...base, components: base.components.map((c) => ({ ...c, required: false })) });
    // Migrations and seeds ran once, above: nodes starting together find them done (each would otherwise take
    // its turn on the migration lock and find the others' work).
    [worker, ...web] = await Promise.all([startNode("worker", env), startNode("web", env), startNode("web", env), startNode("web", env)]);
  });

  after(async () => {
    await Promise.all([...web, worker].filter(Boolean).map((n) => n.stop()));
    await database?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const node = (i: number) => web[i % web.length]!;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it("keeps a browser's session and an API client's tokens valid on every node", async () => {
    // Signed in with a password on node 1: the session cookie opens the account on nodes 2 and 3.
    const browser = new Jar();
    const signIn = await browser.post(`${node(0).url}/dang-nhap`, { username: s.cast.citizen.username, password: TEST_PASSWORD, next: "/tai-khoan" });
    assert.equal(signIn.status, 303, await signIn.text());
    for (const n of [node(1), node(2)]) {
      const me = await browser.fetch(`${n.url}/api/me`);
      assert.equal(me.status, 200);
      assert.equal(((await me.json()) as { username: string }).username, s.cast.citizen.username);
    }
    // The authorization code flow, each step on the next node: the provider's interactions, grants and codes
    // are in the database and its cookies signed with the configuration's secret.
    const redirectUri = "http://127.0.0.1:9/callback";
    const secret = await ctx.oidc.addClient(systemActor("test"), "nodes-rp", [redirectUri]);
    const verifier = randomBytes(32).toString("base64url");
    let at = `${node(0).url}/oidc/auth?${new URLSearchParams({
      client_id: "nodes-rp",
      response_type: "code",
      scope: "openid",
      redirect_uri: redirectUri,
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
      nonce: randomUUID(),
    })}`;
    for (let hop = 1; hop < 10 && !at.startsWith(redirectUri); hop++) {
      const res = await browser.fetch(at);
      await res.arrayBuffer();
      const location = res.headers.get("location");
      assert.ok(location, `a redirect from ${at} (${res.status})`);
      const next = new URL(location, at);
      // The next request goes to the next node, as a balancer without sticky sessions would send it.
      at = next.href.startsWith(redirectUri) ? next.href : `${node(hop).url}${next.pathname}${next.search}`;
    }
    const code = new URL(at).searchParams.get("code");
    assert.ok(code, `a code at the end of the flow: ${at}`);
    const exchanged = await fetch(`${node(1).url}/oidc/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: "nodes-rp", client_secret: secret, code_verifier: verifier }),
    });
    assert.equal(exchanged.status, 200, await exchanged.clone().text());
    const { access_token: accessToken } = (await exchanged.json()) as { access_token: string };
    // The token the provider issued (on node 2) and a token of `motcua token` work on every node.
    for (const n of web) {
      for (const token of [accessToken, await s.cast.citizen.token()]) {
        const me = await fetch(`${n.url}/api/me`, { headers: bearer(token) });
        assert.equal(me.status, 200, `${n.url}: ${await me.clone().text()}`);
      }
    }
  });

  it("shows a publication on one node in every node's searches, without waiting for their caches to expire", async () => {
    const procedure = buildProvincialProcedure(s.place, { name: "Cấp giấy phép nuôi kỳ lân" });
    await ctx.catalog.create(systemActor("test"), procedure);
    const search = async (n: Node) => {
      const res = await fetch(`${n.url}/api/procedures?q=${encodeURIComponent("kỳ lân")}`);
      assert.equal(res.status, 200);
      return ((await res.json()) as { items: Array<{ code: string }> }).items.map((i) => i.code);
    };
    // Every node has searched before: each keeps "nothing found" in its cache for an hour.
    for (const n of web) assert.deepEqual(await search(n), []);
    const published = await fetch(`${node(0).url}/api/procedures/${procedure.code}/publish`, { method: "POST", headers: bearer(await s.cast.admin.token()) });
    assert.equal(published.status, 200, await published.clone().text());
    for (const n of web) await eventually(async () => (await search(n)).includes(procedure.code), `${n.url} finds the procedure published on ${node(0).url}`);
  });

  it("stops a disabled account's token on every node once the change commits", async () => {
    const citizen = await buildCitizen(ctx);
    const admin = await buildOfficer(ctx, { roles: ["system_admin"] });
    const token = await citizen.token();
    // Every node has read the account behind the token and keeps it (a minute without a change, longer than the wait below).
    for (const n of web) assert.equal((await fetch(`${n.url}/api/me`, { headers: bearer(token) })).status, 200);
    const disabled = await fetch(`${node(0).url}/api/admin/users/${citizen.id}/disable`, { method: "POST", headers: bearer(await admin.token()) });
    assert.ok(disabled.ok, await disabled.clone().text());
    for (const n of web) {
      await eventually(async () => (await fetch(`${n.url}/api/me`, { headers: bearer(token) })).status === 401, `${n.url} refuses the disabled account's token`);
    }
  });

  it("signs and verifies with a key rotated by the command line on every node at once", async () => {
    // Every node has read the current keys (and would not look again for 30 s without a signal).
    const before = await s.cast.citizen.token();
    for (const n of web) assert.equal((await fetch(`${n.url}/api/me`, { headers: bearer(before) })).status, 200);
    const rotated = spawnSync(process.execPath, [fileURLToPath(new URL("../bin/motcua.js", import.meta.url)), "oidc", "rotate-keys"], { env: { ...process.env, ...env, PORT: "9" }, encoding: "utf8" });
    assert.equal(rotated.status, 0, rotated.stderr);
    const token = await ctx.oidc.mintToken(systemActor("test"), s.cast.citizen.username, 600);
    assert.notEqual(JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()).kid, JSON.parse(Buffer.from(before.split(".")[0]!, "base64url").toString()).kid);
    for (const n of web) {
      await eventually(async () => (await fetch(`${n.url}/api/me`, { headers: bearer(token) })).status === 200, `${n.url} verifies a token of the new key`);
    }
  });

  it("counts an address's lookups across the nodes: the limit is the same as on one node", async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= LOOKUPS_PER_MINUTE; i++) {
      const res = await fetch(`${node(i).url}/api/lookup/000.00.01.H06-261201-${String(9000 + i)}?key=AAAAAAAA`);
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [...Array(LOOKUPS_PER_MINUTE).fill(404), 429]);
    // Spent on every node, not only on the one that said so.
    for (const n of web) assert.equal((await fetch(`${n.url}/api/lookup/000.00.01.H06-261201-9999?key=AAAAAAAA`)).status, 429);
  });

  it("counts failed sign-ins across the nodes: an account is throttled after as many failures as on one node", async () => {
    /** Wrong passwords until the first 429, sent to the nodes `pick` names; how many failed before it. */
    const failuresBeforeThrottle = async (username: string, pick: (i: number) => Node) => {
      const browser = new Jar();
      for (let i = 0; i < 40; i++) {
        const res = await browser.post(`${pick(i).url}/dang-nhap`, { username, password: "not-the-password", next: "/" });
        await res.arrayBuffer();
        if (res.status === 429) return i;
      }
      return Infinity;
    };
    const [one, spread] = [await buildCitizen(ctx), await buildCitizen(ctx)];
    const onOneNode = await failuresBeforeThrottle(one.username, () => node(0));
    assert.ok(onOneNode > 0 && Number.isFinite(onOneNode), `one node throttles at some count (${onOneNode})`);
    assert.equal(await failuresBeforeThrottle(spread.username, node), onOneNode);
  });

  it("runs every job once, however many workers claim them", async () => {
    // A second worker joins the first: both claim from the one queue.
    const second = await startNode("worker", env);
    try {
      const ids: number[] = [];
      for (let batch = 0; batch < 4; batch++) {
        await ctx.database.transaction(async (tx) => {
          for (let i = 0; i < 25; i++) {
            await ctx.mail.send(tx, { to: `nguoi${batch}-${i}@example.vn`, subject: "Thử", text: "Thư thử nghiệm." });
          }
        });
      }
      const rows = await ctx.database.rows<{ id: number }>(
        sql`SELECT id FROM jobs WHERE name = 'mail.send' ORDER BY id`,
      );
      ids.push(...rows.map((r) => r.id));
      assert.equal(ids.length, 100);
      const mailDir = path.join(dataDir, "mail");
      const written = () => (fs.existsSync(mailDir) ? fs.readdirSync(mailDir).filter((f) => f.endsWith(".eml")) : []);
      // Done: every job marked so (its mail is written just before its run is recorded as done).
      const states = () =>
        ctx.database.rows<{ status: string; attempts: number; n: number }>(
          sql`SELECT status, attempts, count(*)::int AS n FROM jobs WHERE name = 'mail.send' GROUP BY 1, 2 ORDER BY 1, 2`,
        );
      await eventually(async () => (await states()).every((s) => s.status === "done" || s.status === "dead"), "the workers finish the 100 mail jobs", 60_000);
      // Each job's mail once (its file is named after the job), and every job done after one attempt.
      const perJob = new Map<string, number>();
      for (const f of written()) {
        const id = /-(\d+)\.eml$/.exec(f)?.[1] ?? "?";
        perJob.set(id, (perJob.get(id) ?? 0) + 1);
      }
      assert.deepEqual([...perJob.keys()].map(Number).sort((a, b) => a - b), ids);
      assert.ok([...perJob.values()].every((n) => n === 1), "no job's mail was written twice");
      assert.deepEqual(await states(), [{ status: "done", attempts: 1, n: 100 }]);
    } finally {
      await second.stop();
    }
  });

  it("loses no acknowledged request when a node is stopped under load", async () => {
    const token = await s.cast.citizen.token();
    const acknowledged = new Map<string, string>();
    const answeredBy = new Map<string, number>();
    let retried = 0;
    const stopping = web[2]!;
    /** Files one dossier, trying the next node when one cannot answer (a balancer retries an idempotent request). */
    const file = async (requestId: string, first: number) => {
      for (let attempt = 0; attempt < 20; attempt++) {
        const n = node(first + attempt);
        try {
          const res = await fetch(`${n.url}/api/dossiers`, {
            method: "POST",
            headers: { ...bearer(token), "content-type": "application/json" },
            body: JSON.stringify({ procedureCode: submitted.code, agencyCode: s.place.centre, formData: formOf(s.cast.citizen), requestId, submit: true }),
          });
          const body = (await res.json()) as { id?: string };
          if ((res.status === 201 || res.status === 200) && body.id) {
            acknowledged.set(requestId, body.id);
            answeredBy.set(n.url, (answeredBy.get(n.url) ?? 0) + 1);
            return;
          }
          assert.ok(res.status >= 500, `a refusal that retrying cannot mend: ${res.status} ${JSON.stringify(body)}`);
        } catch (err) {
          if (err instanceof assert.AssertionError) throw err;
          // Refused or cut off by the node that is stopping: the same request id goes to the next node.
        }
        retried += 1;
      }
      throw new Error(`request ${requestId} was never acknowledged`);
    };
    const requests = Array.from({ length: 150 }, () => randomUUID());
    let next = 0;
    let stopped: Promise<number | null> = Promise.resolve(null);
    await Promise.all(
      Array.from({ length: 8 }, async (_, lane) => {
        while (next < requests.length) {
          const i = next++;
          // A third of the way in, the third node is told to stop while requests are in flight on it.
          if (i === 50) stopped = stopping.stop();
          await file(requests[i]!, lane + i);
        }
      }),
    );
    assert.equal(await stopped, 0, `the stopped node exits cleanly:\n${stopping.output()}`);
    assert.ok((answeredBy.get(stopping.url) ?? 0) > 0, "the stopped node was carrying its share before it stopped");
    assert.equal(acknowledged.size, requests.length);
    // Every acknowledged dossier is there, once, filed; none was filed twice by a retry.
    const rows = await ctx.database.rows<{ id: string; request_id: string; status: string }>(
      sql`SELECT id, request_id, status FROM dossiers WHERE request_id IN ${requests}`,
    );
    assert.equal(rows.length, requests.length, `one dossier per request (${retried} retries)`);
    for (const r of rows) {
      assert.equal(acknowledged.get(r.request_id), r.id);
      assert.equal(r.status, "new");
    }
    web = web.filter((n) => n !== stopping);
  });
});
