// The module contract (docs/ARCHITECTURE.md, "Adding a module"): a module added to the list with nothing else
// edited is served, shown, run, seeded, listed and called; a list that breaks the contract does not compose.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Type } from "../src/platform/typebox.ts";
import { helpText, runCommand } from "../src/cli/commands.ts";
import { createPlatform, seeds } from "../src/context.ts";
import { MODULES } from "../src/modules.ts";
import { type Actor, anonymous } from "../src/platform/auth/actor.ts";
import { composeModules } from "../src/platform/compose.ts";
import { runSeeds } from "../src/platform/db/seeds.ts";
import { PUBLIC } from "../src/platform/http/access.ts";
import { registeredRoutes } from "../src/platform/http/access.ts";
import { defineJob } from "../src/platform/jobs/index.ts";
import { testWorker, waitFor } from "../src/platform/jobs/testing.ts";
import { defineModule, type ModuleDefinition } from "../src/platform/module.ts";
import type { DossierTransition } from "../src/modules/dossiers/index.ts";
import { Layout } from "../src/web/layout.tsx";
import { sendPage } from "../src/web/render.ts";
import { partyPage } from "../src/web/routes.tsx";
import { testApp, type TestEnv } from "./helpers/app.ts";
import type { App } from "../src/platform/http/types.ts";

/** What the probe module has seen, for the test to read. */
interface Seen {
  jobs: string[];
  seeded: number;
  transitions: string[];
}

/** A module of the test's own, written as a newcomer would from the docs: one folder's worth, one line in the list. */
function probeModule(seen: Seen) {
  const tick = defineJob<{ note: string }>({ name: "probe.tick", handler: async (p) => void seen.jobs.push(p.note) });
  return defineModule({
    name: "probe",
    needs: ["directory"],
    provides: [],
    build: () => ({}),
    parts: ({ directory }) => ({ agencyName: async (code: string) => (await directory.agency(code)).name }),
    routes: ({ agencyName }) => [
      async (app: App) => {
        app.get(
          "/api/probe/:code",
          { config: { access: PUBLIC }, schema: { params: Type.Object({ code: Type.String() }) } },
          async (request) => ({ name: await agencyName(request.params.code) }),
        );
      },
    ],
    pages: () => [
      async (app: App) => {
        app.get("/tham-do", { config: { access: PUBLIC }, schema: { hide: true } }, async (request, reply) => {
          const page = partyPage(request, reply, "portal");
          return sendPage(reply, <Layout page={page} variant="portal" title="Thăm dò" current="/tham-do"><h1>Thăm dò</h1></Layout>);
        });
      },
    ],
    jobs: () => [tick],
    schedules: { "probe.tick": "0 7 * * 1-5" },
    seeds: () => [{ name: "probe.seed", version: "1", run: async () => void (seen.seeded += 1) }],
    commands: [{ words: ["probe", "hello"], usage: "motcua probe hello", summary: "say hello from the probe", run: async (_deps, args, out) => (out.write(`hello ${args.join(" ")}\n`), 0) }],
    nav: [{ area: "portal", href: "/tham-do", label: { vi: "Thăm dò", en: "Probe" }, order: 60 }],
    listens: { "dossiers.transition": () => async (_tx, event) => void seen.transitions.push(event.dossier.id) },
  });
}

describe("the module contract", () => {
  const seen: Seen = { jobs: [], seeded: 0, transitions: [] };
  const probe = probeModule(seen);
  let env: TestEnv & { app: App };
  before(async () => {
    env = await testApp({ modules: [...MODULES, probe] });
  });
  after(() => env.close());

  it("serves the module's API routes with the access each declares", async () => {
    await runSeeds(env.database, seeds(env.ctx).filter((s) => s.name === "directory.admin-units" || s.name === "directory.demo-agencies"), { demo: true });
    const res = await env.app.inject({ url: "/api/probe/000.00.00.H06" });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { name: "Ủy ban nhân dân tỉnh Bắc Ninh" });
    const route = registeredRoutes(env.app).find((r) => r.method === "GET" && r.url === "/api/probe/:code");
    assert.deepEqual(route?.access, PUBLIC);
  });

  it("serves its pages with the web kit and shows its menu entry on every portal page", async () => {
    const page = await env.app.inject({ url: "/tham-do", headers: { accept: "text/html" } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<a href="\/tham-do" aria-current="page">Thăm dò<\/a>/);
    const home = await env.app.inject({ url: "/?lang=en", headers: { accept: "text/html" } });
    assert.match(home.body, /<a href="\/tham-do">Probe<\/a>/);
    const office = await env.app.inject({ url: "/office", headers: { accept: "text/html" } });
    assert.doesNotMatch(office.body, /href="\/tham-do"/, "a portal entry is not in the office's menu");
  });

  it("registers its jobs and schedules on the queue every worker runs", async () => {
    assert.ok(env.ctx.jobs.get("probe.tick"));
    assert.deepEqual(
      env.ctx.jobs.schedules().find((s) => s.name === "probe.tick"),
      { name: "probe.tick", cron: "0 7 * * 1-5", timezone: "Asia/Ho_Chi_Minh", payload: {} },
    );
    await env.database.transaction((tx) => env.ctx.jobs.enqueue(tx, "probe.tick", { note: "ran" }));
    const worker = testWorker(env.database, env.ctx.jobs);
    await worker.start();
    try {
      await waitFor("the probe's job", () => seen.jobs.includes("ran"));
    } finally {
      await worker.stop();
    }
  });

  it("loads its seeds once, after the modules before it", async () => {
    const names = seeds(env.ctx).map((s) => s.name);
    assert.equal(names.at(-1), "probe.seed");
    await runSeeds(env.database, seeds(env.ctx), { demo: false });
    await runSeeds(env.database, seeds(env.ctx), { demo: false });
    assert.equal(seen.seeded, 1);
  });

  it("lists and runs its commands", async () => {
    assert.match(helpText([...MODULES, probe]), /probe hello +say hello from the probe/);
    let output = "";
    assert.equal(await runCommand(env.ctx, ["probe", "hello", "world"], { write: (t) => (output += t) }), 0);
    assert.equal(output, "hello world\n");
  });

  it("calls its listener with the events another module publishes", async () => {
    const event = (id: string): DossierTransition => ({
      dossier: {
        id,
        code: null,
        procedure: { code: "1.001193", version: 1 },
        channel: "online",
        receivingAgencyCode: "000.00.01.H06",
        provinceCode: "24",
        processingAgencyCode: "000.00.01.H06",
        status: "new",
        nationalStatus: 1,
        submittedAt: new Date(),
        receivedAt: null,
        dueAt: null,
        originalDueAt: null,
        promisedAt: null,
        finishedAt: null,
        returnedAt: null,
        timeliness: null,
        apologies: 0,
        returnMethod: null,
        pausedAt: null,
        supplements: 0,
        electronicResult: false,
        filedLoa: 0,
      },
      action: "submit",
      fromStatus: "draft",
      toStatus: "new",
      fromNationalStatus: null,
      nationalStatus: 1,
      at: new Date(),
      actor: anonymous as Actor,
      actorName: "Người nộp hồ sơ",
      step: null,
      endedStep: null,
      note: null,
      details: null,
    });
    await env.database.transaction((tx) => env.ctx.events.publish(tx, "dossiers.transition", event("d-1")));
    assert.deepEqual(seen.transitions, ["d-1"]);
  });
});

describe("a list of modules that breaks the contract", () => {
  let env: TestEnv;
  before(async () => {
    env = await testApp();
  });
  after(() => env.close());
  const compose = (list: readonly ModuleDefinition[]) => composeModules(createPlatform(env.config, env.database), list);
  const bare = (name: string) => defineModule({ name, needs: [], provides: [], build: () => ({}) });

  it("refuses a module listed before a module whose service it needs", () => {
    const [directory, calendar] = [MODULES.find((m) => m.name === "directory")!, MODULES.find((m) => m.name === "calendar")!];
    assert.throws(() => compose([calendar, directory]), /module "calendar" needs the service "directory", which no module listed before it provides/);
  });

  it("refuses two modules of one name, and a service provided twice", () => {
    assert.throws(() => compose([bare("probe"), bare("probe")]), /module "probe" is listed twice/);
    const directory = MODULES.find((m) => m.name === "directory")!;
    const again = defineModule({ ...directory.spec, name: "directory-again", needs: [] });
    assert.throws(() => compose([directory, again]), /modules "directory" and "directory-again" both provide the service "directory"/);
  });

  it("refuses a module that builds other services than it says it provides", () => {
    const liar = defineModule({ name: "liar", needs: [], provides: [], build: () => ({ surprise: 1 }) as never });
    assert.throws(() => compose([liar]), /module "liar" provides \[\] but built \[surprise\]/);
  });
});
