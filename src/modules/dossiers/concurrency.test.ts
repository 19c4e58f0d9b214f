// Dossier codes under load (issue 5, item 2): 200 receipts at once give the numbers 0001–0200 of the day,
// none repeated, none skipped — also when a receipt fails and rolls back. Two officers acting on one
// dossier at once: one succeeds, the other is told the dossier moved on. On PostgreSQL (CI runs the suite
// there too) the receipts really race over the pool's connections; on PGlite they queue on its one.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Actor } from "../../platform/auth/actor.ts";
import { fixedClock } from "../../platform/clock.ts";
import type { App } from "../../platform/http/types.ts";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import { createEventBus } from "../../platform/events.ts";
import { makeDossierService } from "./service.ts";
import { buildProvincialProcedure, CENTRE, dossierFixture } from "./testing-demo.ts";

const clock = fixedClock("2026-12-02T01:30:00Z");

describe("dossier codes under concurrency", () => {
  let env: TestEnv & { app: App };
  let receiver: Actor;
  let citizen: Actor;
  // No required paper: filing needs no upload, so the test is about the receipts.
  const procedure = buildProvincialProcedure({
    name: "Thủ tục thử tải",
    components: [{ key: "giay-to", name: "Giấy tờ kèm theo", required: false, counts: { original: 1, certifiedCopy: 0, copy: 0 }, fileTypes: ["application/pdf"] }],
  });

  before(async () => {
    env = await testApp({ clock });
    await dossierFixture(env.ctx, [procedure]);
    const actorOf = async (username: string): Promise<Actor> => env.ctx.identity.actorFor((await env.ctx.identity.findByUsername(username))!, { loa: 0 });
    receiver = await actorOf("tiepnhan");
    citizen = await actorOf("001199000001");
  });
  after(() => env.close());

  async function fileMany(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const { dossier } = await env.ctx.dossiers.create(citizen, {
        procedureCode: procedure.code,
        agencyCode: CENTRE,
        formData: { hoTen: `Người nộp ${i}`, soCccd: "001199000001" },
        requestId: randomUUID(),
        submit: true,
      });
      assert.equal(dossier.status, "new");
      ids.push(dossier.id);
    }
    return ids;
  }

  it("numbers 200 concurrent receipts 0001 to 0200 of the day, none twice, none skipped", async () => {
    const ids = await fileMany(200);
    const received = await Promise.all(ids.map((id) => env.ctx.dossiers.act(receiver, id, "receive", {})));
    const numbers = received.map((d) => Number(d.code!.split("-")[2])).sort((a, b) => a - b);
    assert.deepEqual(numbers, Array.from({ length: 200 }, (_, i) => i + 1));
    assert.ok(received.every((d) => d.code!.startsWith(`${CENTRE}-261202-`)));
  });

  it("takes back the number of a receipt that rolls back", async () => {
    const [fails, next] = await fileMany(2);
    // The same service with a listener that refuses one dossier's receipt inside its transaction.
    const events = createEventBus();
    events.listen("dossiers.transition", async (_tx, e) => {
      if (e.dossier.id === fails && e.action === "receive") throw new Error("the mail server's outbox is full");
    });
    const ctx = env.ctx;
    const service = makeDossierService({ ...ctx, events });
    await assert.rejects(service.act(receiver, fails!, "receive", {}), /outbox is full/);
    assert.equal((await ctx.dossiers.get(receiver, fails!)).status, "new", "nothing of the receipt stayed");
    const d = await ctx.dossiers.act(receiver, next!, "receive", {});
    assert.equal(d.code, `${CENTRE}-261202-0201`, "the failed receipt's number went to the next one");
    const later = await ctx.dossiers.act(receiver, fails!, "receive", {});
    assert.equal(later.code, `${CENTRE}-261202-0202`);
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
    const input = { procedureCode: procedure.code, agencyCode: CENTRE, formData: { hoTen: "Trùng lặp", soCccd: "001199000001" }, requestId };
    const results = await Promise.all([1, 2, 3].map(() => env.ctx.dossiers.create(citizen, input)));
    assert.equal(new Set(results.map((r) => r.dossier.id)).size, 1);
    assert.equal(results.filter((r) => r.created).length, 1);
  });
});
