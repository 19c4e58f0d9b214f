// Routes that exist only in the benchmark server: small writes, with or without their audit entry, so
// the cost of auditing is measured on the same write path. Two shapes:
// - `minimal`: one INSERT (the worst case for the audit's relative cost);
// - `typical`: what a dossier action does — insert the record, append its event, update its status.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Type } from "../../src/platform/typebox.ts";
import type { Context } from "../../src/context.ts";
import { systemActor } from "../../src/platform/auth/actor.ts";
import { execRows, literal, sql } from "../../src/platform/db/index.ts";
import { PUBLIC } from "../../src/platform/http/access.ts";
import { runSeeds } from "../../src/platform/db/seeds.ts";
import type { App } from "../../src/platform/http/types.ts";
import { createLogger } from "../../src/platform/log/index.ts";
import { ProcedureNotFound } from "../../src/modules/catalog/errors.ts";
import { DomainError } from "../../src/platform/http/errors.ts";
import { adminUnitsSeed, demoAgenciesSeed } from "../../src/modules/directory/seeds.ts";
import { demoAccountsSeed } from "../../src/modules/identity/seeds.ts";
import { dossiers as dossiersTable } from "../../src/modules/dossiers/tables.ts";
import { factsOf } from "../../src/modules/dossiers/transitions.ts";
import { nextFact } from "../../src/modules/kpi/facts.ts";
import { generateProcedures, loadProcedures } from "./catalog-dataset.ts";
import { datasetProcedures, type Exec, loadDossiers, lookupSample, registryProcedure, SUBMIT_AGENCIES, SUBMIT_AGENCY_DEPARTMENTS, submitProcedure } from "./dossier-dataset.ts";

export async function registerBenchRoutes(app: App, ctx: Context): Promise<void> {
  // The event loop's delay since the last call (GC pauses and long tasks show here, not in the database).
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  app.post("/bench/loop-delay", { config: { access: PUBLIC }, schema: { hide: true } }, async () => {
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    const figures = { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) };
    loop.reset();
    return figures;
  });
  // The search benchmark's catalogue, loaded into this server's database (PGlite has no other door).
  app.post(
    "/bench/catalog/load",
    { config: { access: PUBLIC }, schema: { hide: true, querystring: Type.Object({ n: Type.Integer({ minimum: 1, maximum: 100000 }) }) } },
    async (request) => {
      const started = Date.now();
      const list = generateProcedures(request.query.n);
      await loadProcedures(ctx.database.db, list);
      // Loaded beside the catalogue's service: tell every node, as a publication does, that its searches are stale.
      await ctx.signals.send(ctx.database.db, "catalog.published", list[0]!.code);
      return { loaded: request.query.n, ms: Date.now() - started };
    },
  );

  // The dossier benchmark's setting: the demo agencies and accounts, the
  // dataset's procedures published through the catalogue, and a token for each account it drives.
  app.post("/bench/dossiers/setup", { config: { access: PUBLIC }, schema: { hide: true } }, async () => {
    const started = Date.now();
    await runSeeds(ctx.database, [adminUnitsSeed(), demoAgenciesSeed(ctx.directory), demoAccountsSeed(ctx.identity, createLogger("silent"))], { demo: true });
    // The centres the submissions are spread over (a database kept from an earlier run has them).
    for (const [i, code] of SUBMIT_AGENCIES.entries()) {
      const kept = await ctx.directory.agency(code).then(
        () => true,
        (err: unknown) => {
          if (err instanceof DomainError && err.kind === "not_found") return false;
          throw err;
        },
      );
      if (kept) continue;
      await ctx.directory.createAgency(systemActor("bench"), { code, name: `Trung tâm thử tải ${i + 1}`, kind: "service_centre", departments: SUBMIT_AGENCY_DEPARTMENTS });
    }
    for (const p of [...datasetProcedures(), submitProcedure(), registryProcedure()]) {
      // A database kept from an earlier run (`--keep-db`) has them already.
      const kept = await ctx.catalog.published(p.code).then(
        (found) => found,
        (err: unknown) => {
          if (err instanceof ProcedureNotFound) return null;
          throw err;
        },
      );
      if (!kept) {
        await ctx.catalog.create(systemActor("bench"), p);
        await ctx.catalog.publish(systemActor("bench"), p.code);
      } else if (p.code === submitProcedure().code && kept.agencies.join() !== p.agencies.join()) {
        // Kept from a run before the submissions were spread over the bench's centres: its next version is.
        await ctx.catalog.saveDraft(systemActor("bench"), p.code, p);
        await ctx.catalog.publish(systemActor("bench"), p.code);
      }
    }
    const tokens: Record<string, string> = {};
    // giamsat.tinh: the province's supervisor, for the kpi benchmark's province figures.
    for (const u of ["001199000001", "tiepnhan", "chuyenvien.tuphap", "giamsat.tinh"]) tokens[u] = await ctx.oidc.mintToken({ type: "cli", name: "bench" }, u, 4 * 3600);
    return { tokens, ms: Date.now() - started };
  });
  // PGlite has no other door than this process: the dataset is loaded here (on PostgreSQL the bench
  // process loads it over its own connection, see bench/dossiers.ts).
  const exec: Exec = (statement) => execRows(ctx.database.db, sql.raw(statement));
  app.post(
    "/bench/dossiers/load",
    { config: { access: PUBLIC }, schema: { hide: true, querystring: Type.Object({ n: Type.Integer({ minimum: 1, maximum: 10_000_000 }), sample: Type.Integer({ minimum: 1, maximum: 100_000 }) }) } },
    async (request) => {
      const result = await loadDossiers(exec, { n: request.query.n });
      return { ...result, sample: await lookupSample(exec, request.query.sample) };
    },
  );

  // The kpi benchmark's rollups for the loaded dossiers (bench/kpi.ts). The dataset is written by SQL, so no
  // listener heard its events: each dossier without a fact gets one, made by the listener's own `nextFact` from the
  // dossier as the dossiers module publishes it (`factsOf`), dated at its filing (every day it counts on is at or
  // after it, so no count moves). Then the rollups are built as the product builds them: `kpi.rebuild` (the
  // `motcua kpi rebuild` command) replays the facts' log, and `kpi.fold` (the worker's job) makes the stocks'
  // monthly snapshots.
  app.post("/bench/kpi/rollups", { config: { access: PUBLIC }, schema: { hide: true } }, async () => {
    const db = ctx.database.db;
    const t0 = Date.now();
    const fees = new Map<string, boolean>();
    const feeBearing = async (code: string, version: number) => {
      const key = `${code}@${version}`;
      if (!fees.has(key)) fees.set(key, (await ctx.catalog.bound(code, version)).content.fees.some((f) => f.amount > 0));
      return fees.get(key)!;
    };
    let after = "";
    let facts = 0;
    for (;;) {
      const page = await db
        .select()
        .from(dossiersTable)
        .where(sql`${dossiersTable.id} > ${after} AND NOT EXISTS (SELECT 1 FROM kpi_facts f WHERE f.dossier_id = ${dossiersTable.id})`)
        .orderBy(dossiersTable.id)
        .limit(5000);
      if (page.length === 0) break;
      // As literals in one statement (the query builder's insert of 5,000 rows cost more than making their facts).
      const rows: string[] = [];
      for (const d of page) {
        const at = d.submittedAt ?? d.receivedAt ?? d.createdAt;
        const fact = nextFact(null, factsOf(d), at, { feeBearing: d.receivedAt ? await feeBearing(d.procedureCode, d.procedureVersion) : false });
        rows.push(`(${literal(d.id)}, ${literal(d.provinceCode)}, ${literal(at.toISOString())}::timestamptz, ${literal(JSON.stringify(fact))}::jsonb)`);
      }
      await db.execute(sql.raw(`INSERT INTO kpi_facts (dossier_id, province_code, at, fact) VALUES ${rows.join(", ")}`));
      facts += rows.length;
      after = page[page.length - 1]!.id;
    }
    const t1 = Date.now();
    await db.execute(sql`VACUUM ANALYZE kpi_facts`);
    const t2 = Date.now();
    const rebuilt = await ctx.kpi.rebuild(systemActor("bench"));
    const t3 = Date.now();
    await ctx.kpi.fold();
    await db.execute(sql`VACUUM ANALYZE kpi_rollups`);
    await db.execute(sql`VACUUM ANALYZE kpi_stock_snapshots`);
    const t4 = Date.now();
    return { facts, ...rebuilt, ms: { facts: t1 - t0, vacuum: t2 - t1, rebuild: t3 - t2, fold: t4 - t3, total: t4 - t0 } };
  });

  await ctx.database.db.execute(sql`
    CREATE TABLE IF NOT EXISTS bench_writes (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      agency text NOT NULL,
      payload jsonb NOT NULL,
      status text NOT NULL DEFAULT 'new',
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  await ctx.database.db.execute(sql`
    CREATE TABLE IF NOT EXISTS bench_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      write_id bigint NOT NULL,
      kind text NOT NULL,
      at timestamptz NOT NULL DEFAULT now()
    )`);
  app.post(
    "/bench/write",
    {
      config: { access: PUBLIC },
      schema: {
        hide: true,
        querystring: Type.Object({
          audit: Type.Optional(Type.Boolean()),
          shape: Type.Optional(Type.Union([Type.Literal("minimal"), Type.Literal("typical")])),
        }),
        body: Type.Object({ agency: Type.String(), note: Type.String() }),
      },
    },
    async (request, reply) => {
      await ctx.database.transaction(async (tx) => {
        const rows = await execRows<{ id: number }>(
          tx,
          sql`INSERT INTO bench_writes (agency, payload) VALUES (${request.body.agency}, ${JSON.stringify(request.body)}::jsonb) RETURNING id`,
        );
        const id = rows[0]?.id ?? 0;
        if (request.query.shape === "typical") {
          await tx.execute(sql`INSERT INTO bench_events (write_id, kind) VALUES (${id}, 'received')`);
          await tx.execute(sql`UPDATE bench_writes SET status = 'received' WHERE id = ${id}`);
        }
        if (request.query.audit) {
          await ctx.audit.record(tx, {
            actor: systemActor("bench"),
            action: "bench.write",
            subject: { type: "bench_write", id: String(id) },
            requestId: request.id,
            change: request.body,
          });
        }
      });
      return reply.status(201).send({ ok: true });
    },
  );
}
