// The demo's exchanged documents: loaded once with the demo agencies, delivered by the worker, answered 01.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { runSeeds } from "../../platform/db/seeds.ts";
import { testContext, type TestEnv } from "../../../test/helpers/app.ts";
import { demoAgenciesSeed } from "../directory/index.ts";
import { demoExchangeSeed, demoKeysSeed } from "./seeds.ts";
import { drain } from "./testing.ts";

describe("the exchange's demo seed", () => {
  let env: TestEnv;
  before(async () => {
    env = await testContext();
  });
  after(() => env.close());

  it("gives the demo agencies signing keys from the development CA, and sends a few documents between them, which arrive and are answered 01", async () => {
    const seeds = [demoAgenciesSeed(env.ctx.directory), demoKeysSeed(env.ctx.exchangeKeys, env.ctx.directory), demoExchangeSeed(env.ctx.exchange)];
    assert.deepEqual(await runSeeds(env.database, seeds, { demo: true }), ["directory.demo-agencies", "exchange.demo-keys", "exchange.demo-documents"]);
    assert.deepEqual(await runSeeds(env.database, seeds, { demo: true }), []);
    for (const code of ["000.00.00.H06", "000.00.01.H06", "000.00.11.H06"]) {
      const keys = await env.ctx.exchangeKeys.keys(code);
      assert.deepEqual(keys.map((k) => [k.state, k.source]), [["active", "generated"]], code);
    }
    const ca = await env.ctx.exchangeKeys.developmentCa();
    assert.ok(ca.certificatePem.includes("BEGIN CERTIFICATE"));
    await drain(env.ctx);
    const operator = { type: "cli", name: "test" } as const;
    const justice = await env.ctx.exchange.list(operator, { box: "in", agency: "000.00.11.H06" });
    assert.equal(justice.items.length, 2);
    assert.deepEqual(justice.items.map((d) => [d.registerNumber, d.lastStatus]).sort(), [
      [1, "01"],
      [2, "01"],
    ]);
    const sent = await env.ctx.exchange.list(operator, { box: "out", agency: "000.00.00.H06" });
    const plan = await env.ctx.exchange.get(operator, sent.items[0]!.id);
    assert.deepEqual(plan.timelines.map((t) => [t.name, t.delivery, t.statuses.map((x) => x.code)]), [
      ["Sở Tư pháp tỉnh Bắc Ninh", "delivered", ["01"]],
      ["Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh", "delivered", ["01"]],
    ]);
  });
});
