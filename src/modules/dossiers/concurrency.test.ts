// Dossier codes under load (issue 5, item 2): 200 filings at once give the numbers 0001–0200 of the day,
// none repeated, none skipped — also when a filing fails and rolls back; the receipts keep them (a dossier gets
// its code when it is filed, issue 14). Two officers acting on one
// dossier at once: one succeeds, the other is told the dossier moved on. On PostgreSQL (CI runs the suite
// there too) the receipts really race over the pool's connections; on PGlite they queue on its one. The tests
// that count a day's numbers each take a day of their own.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, beforeEach, describe, it } from "node:test";
import type { Actor } from "../../platform/auth/actor.ts";
import { fixedClock } from "../../platform/clock.ts";
import type { App } from "../../platform/http/types.ts";
import type { ProcedureContent } from "../catalog/index.ts";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import { createEventBus } from "../../platform/events.ts";
import { makeDossierService } from "./service.ts";
import { actorOf, buildProvincialProcedure, dossierSetting, type DossierSetting, formOf, publishProcedures } from "./testing.ts";

// Wednesday 2 and Thursday 3 December 2026, 08:30 in Hà Nội.
const WEDNESDAY = "2026-12-02T01:30:00Z";
const THURSDAY = "2026-12-03T01:30:00Z";
const clock = fixedClock(WEDNESDAY);

describe("dossier codes under concurrency", () => {
  let env: TestEnv & { app: App };
  let s: DossierSetting;
  let receiver: Actor;
  let citizen: Actor;
  let procedure: ProcedureContent;

  before(async () => {
    env = await testApp({ clock });
    s = await dossierSetting(env.ctx);
    // No required paper: filing needs no upload, so the test is about the receipts.
    procedure = await publishProcedures(
      env.ctx,
      buildProvincialProcedure(s.place, {
        name: "Thủ tục thử tải",
        components: [{ key: "giay-to", name: "Giấy tờ kèm theo", required: false, counts: { original: 1, certifiedCopy: 0, copy: 0 }, fileTypes: ["application/pdf"] }],
      }),
    );
    receiver = actorOf(env.ctx, s.cast.receiver);
    citizen = actorOf(env.ctx, s.cast.citizen);
  });
  after(() => env.close());
  beforeEach(() => clock.set(WEDNESDAY));

  const fileOne = async (i: number, service = env.ctx.dossiers) => {
    const { dossier } = await service.create(citizen, {
      procedureCode: procedure.code,
      agencyCode: s.place.centre,
      formData: { ...formOf(s.cast.citizen), hoTen: `Người nộp ${i}` },
      requestId: randomUUID(),
      submit: true,
    });
    assert.equal(dossier.status, "new");
    return dossier;
  };

  async function fileMany(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await fileOne(i)).id);
    return ids;
  }

  it("numbers 200 concurrent filings 0001 to 0200 of the day, none twice, none skipped, and the receipts keep them", async () => {
    const filed = await Promise.all(Array.from({ length: 200 }, (_, i) => fileOne(i)));
    const numbers = filed.map((d) => Number(d.code!.split("-")[2])).sort((a, b) => a - b);
    assert.deepEqual(numbers, Array.from({ length: 200 }, (_, i) => i + 1));
    assert.ok(filed.every((d) => d.code!.startsWith(`${s.place.centre}-261202-`)));
    const received = await Promise.all(filed.map((d) => env.ctx.dossiers.act(receiver, d.id, "receive", {})));
    assert.deepEqual(received.map((d) => d.code), filed.map((d) => d.code));
  });

  it("takes back the number of a filing that rolls back", async () => {
    clock.set(THURSDAY);
    // The same service with a listener that refuses a filing inside its transaction.
    const events = createEventBus();
    events.listen("dossiers.transition", async (_tx, e) => {
      if (e.action === "submit") throw new Error("the mail server's outbox is full");
    });
    const ctx = env.ctx;
    const failing = makeDossierService({ ...ctx, events });
    await assert.rejects(fileOne(0, failing), /outbox is full/);
    const d = await fileOne(1);
    assert.equal(d.code, `${s.place.centre}-261203-0001`, "the failed filing's number went to the next one");
    assert.equal((await fileOne(2)).code, `${s.place.centre}-261203-0002`);
  });

  it("lets only one of two simultaneous actions on a dossier succeed", async () => {
    const [id] = await fileMany(1);
    const results = await Promise.allSettled([env.ctx.dossiers.act(receiver, id!, "receive", {}), env.ctx.dossiers.act(receiver, id!, "refuse_receipt", { reason: "Thiếu giấy tờ" })]);
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
    assert.equal(ok.length, 1, "exactly one action took effect");
    assert.equal(refused.length, 1);
    const error = refused[0]!.reason as { code?: string; messages?: { vi: string } };
    assert.equal(error.code, "dossier.invalid_transition");
    assert.match(error.messages!.vi, /«(Tiếp nhận hồ sơ|Từ chối tiếp nhận)»/, "the refusal names the action that lost");
    const history = (await env.ctx.dossiers.get(receiver, id!)).history.map((h) => h.action);
    assert.ok(!(history.includes("receive") && history.includes("refuse_receipt")), history.join(","));
  });

  it("files a dossier once for a request id retried at the same time", async () => {
    const requestId = randomUUID();
    const input = { procedureCode: procedure.code, agencyCode: s.place.centre, formData: { ...formOf(s.cast.citizen), hoTen: "Trùng lặp" }, requestId };
    const results = await Promise.all([1, 2, 3].map(() => env.ctx.dossiers.create(citizen, input)));
    assert.equal(new Set(results.map((r) => r.dossier.id)).size, 1);
    assert.equal(results.filter((r) => r.created).length, 1);
  });
});
