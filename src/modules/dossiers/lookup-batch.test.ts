// The public lookup under a portal's load: lookups asked for at the same moment go to the database as one
// statement, and each caller still gets its own dossier and nothing else; a wrong key or an unknown code in the
// same batch is still the same 404.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testContext, type TestEnv } from "../../../test/helpers/app.ts";
import { watchStatements } from "../../../test/helpers/db.ts";
import { DossierNotFound } from "./errors.ts";
import type { DossierRow } from "./hooks.ts";
import { appendEvent } from "./repo.ts";
import type { LookupDto } from "./schema.ts";
import { buildDossier, insertDossier } from "./testing-events.ts";
import { buildPlace, buildProvincialProcedure, publishProcedures } from "./testing.ts";

describe("public lookups asked for at once", () => {
  let env: TestEnv;
  let rows: DossierRow[] = [];
  const minute = (d: DossierRow, m: number) => new Date(d.createdAt.getTime() + m * 60_000);

  before(async () => {
    env = await testContext({ config: { lookupsPerMinute: 1_000 } });
    // The agencies and the procedure the lookup names.
    const { place } = await buildPlace(env.ctx);
    const procedure = await publishProcedures(env.ctx, buildProvincialProcedure(place));
    // Twelve dossiers, the i-th with i + 1 steps of history and its own status.
    rows = Array.from({ length: 12 }, (_, i) =>
      buildDossier({
        procedureCode: procedure.code,
        agencyCode: place.centre,
        processingAgencyCode: place.justice,
        status: i % 3 === 0 ? "done" : "processing",
        nationalStatus: i % 3 === 0 ? 9 : 4,
      }),
    );
    for (const [i, d] of rows.entries()) {
      await insertDossier(env.database.db, d);
      for (let k = 0; k <= i; k++) {
        await appendEvent(env.database.db, {
          dossierId: d.id, provinceCode: d.provinceCode, actor: "user:test", actorName: "Trần Văn Chuyên", note: null, details: null,
          at: minute(d, k), action: k === 0 ? "receive" : "forward", fromStatus: "processing", toStatus: "processing",
        });
      }
    }
    // The agency's name and the procedure are read once and kept: only the lookups' own statements are counted.
    await env.ctx.dossiers.lookup(rows[0]!.code!, rows[0]!.lookupKey!, { ip: "192.0.2.1" });
  });
  after(() => env.close());

  it("answers every caller from one statement, each with its own dossier", async () => {
    const watch = watchStatements(env.database);
    const meta = { ip: "192.0.2.1" };
    let answers: Array<PromiseSettledResult<LookupDto>> = [];
    try {
      answers = await Promise.allSettled([
        ...rows.map((d) => env.ctx.dossiers.lookup(d.code!, d.lookupKey!, meta)),
        env.ctx.dossiers.lookup(rows[1]!.code!, "WRONGKEY", meta),
        env.ctx.dossiers.lookup("000.00.11.H06-260302-9999", rows[1]!.lookupKey!, meta),
        // A code no dossier can have (PostgreSQL refuses a NUL byte in text): a 404 of its own, not the batch's failure.
        env.ctx.dossiers.lookup("000.00.11.H06-260302-\u0000", rows[1]!.lookupKey!, meta),
      ]);
    } finally {
      watch.stop();
    }
    const lookups = watch.texts.filter((t) => t.includes("dossier_events"));
    assert.equal(lookups.length, 1, `one statement for ${answers.length} lookups:\n${watch.texts.join("\n")}`);
    for (const [i, d] of rows.entries()) {
      const a = answers[i]!;
      assert.equal(a.status, "fulfilled");
      const dto = (a as PromiseFulfilledResult<LookupDto>).value;
      assert.equal(dto.code, d.code);
      assert.equal(dto.status, d.status);
      assert.equal(dto.nationalStatus, d.nationalStatus);
      assert.deepEqual(dto.history.map((e) => e.at), Array.from({ length: i + 1 }, (_, k) => minute(d, k).toISOString()));
    }
    for (const a of answers.slice(rows.length)) {
      assert.equal(a.status, "rejected");
      assert.ok((a as PromiseRejectedResult).reason instanceof DossierNotFound);
    }
  });

  it("sends a lookup asked for alone as a statement of its own", async () => {
    const watch = watchStatements(env.database);
    try {
      const dto = await env.ctx.dossiers.lookup(rows[5]!.code!, rows[5]!.lookupKey!, { ip: "192.0.2.1" });
      assert.equal(dto.history.length, 6);
    } finally {
      watch.stop();
    }
    assert.equal(watch.texts.filter((t) => t.includes("dossier_events")).length, 1);
  });
});
