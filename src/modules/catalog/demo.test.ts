// The demo catalogue shipped in data/catalog: every procedure passes the publishing checks (the seed
// publishes each one), the common procedures a citizen looks for are there and are found.
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, it } from "node:test";
import { runSeeds } from "../../platform/db/seeds.ts";
import type { App } from "../../platform/http/types.ts";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import { adminUnitsSeed, demoAgenciesSeed } from "../directory/index.ts";
import { formDataProblems } from "./form-schema.ts";
import { needsUpload } from "./model.ts";
import { demoCatalogSeed, readDemoCatalog } from "./seeds.ts";

describe("demo catalogue", () => {
  let env: TestEnv & { app: App };
  const demo = readDemoCatalog();
  before(async () => {
    env = await testApp();
    await runSeeds(env.database, [adminUnitsSeed(), demoAgenciesSeed(env.ctx.directory), demoCatalogSeed(env.ctx.catalog)], { demo: true });
  });
  after(() => env.close());

  it("publishes at least 40 procedures of commune and provincial level, each through every publishing check", async () => {
    assert.ok(demo.length >= 40, `${demo.length} procedures`);
    const levels = new Set(demo.flatMap((p) => p.levels));
    assert.ok(levels.has("commune") && levels.has("province"));
    for (const p of demo) {
      const published = await env.ctx.catalog.published(p.code);
      assert.equal(published.version, 1, p.code);
      assert.equal(published.status, "published");
    }
    // The seed runs once.
    assert.deepEqual(await runSeeds(env.database, [demoCatalogSeed(env.ctx.catalog)], { demo: true }), []);
  });

  it("covers the common procedures, each found by its name typed without diacritics", async () => {
    const wanted = [
      "dang ky khai sinh",
      "dang ky ket hon",
      "dang ky khai tu",
      "chung thuc ban sao tu ban chinh",
      "dang ky thuong tru",
      "dang ky thanh lap ho kinh doanh",
      "cap giay phep xay dung nha o rieng le",
      "giay chung nhan quyen su dung dat",
      "phieu ly lich tu phap",
      "tro cap xa hoi hang thang",
    ];
    for (const q of wanted) {
      const res = await env.app.inject({ method: "GET", url: `/api/procedures?q=${encodeURIComponent(q)}` });
      assert.ok(res.json().items.length > 0, `${q} finds a procedure`);
    }
    const first = await env.app.inject({ method: "GET", url: `/api/procedures?q=${encodeURIComponent("khai sinh")}` });
    assert.equal(first.json().items[0].name, "Đăng ký khai sinh", "the plain procedure before its variants");
  });

  it("has working forms: empty data is refused field by field in Vietnamese", () => {
    for (const p of demo) {
      const problems = formDataProblems(p.form, {});
      const required = (p.form.schema.required as string[] | undefined) ?? [];
      assert.equal(problems.length, required.length, p.code);
      for (const [i, name] of required.entries()) {
        assert.equal(problems[i]?.path, `/${name}`);
        assert.match(problems[i]!.message, /^Cần nhập /);
      }
    }
  });

  it("carries a national code found in public sources, or an illustrative one marked so", () => {
    // data/catalog/README.md, "Verified national codes": the sources (S1, S2…) and a row per verified code.
    const readme = fs.readFileSync(new URL("../../../data/catalog/README.md", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("## Verified national codes"), readme.indexOf("## Procedures"));
    const sources = new Set([...section.matchAll(/^- \*\*(S\d+)\*\* \S/gm)].map((m) => m[1]!));
    const verified = new Map([...section.matchAll(/^\| `(\d\.\d{6})` \| [^|]+ \| ([^|]+) \|$/gm)].map((m) => [m[1]!, m[2]!.split(",").map((x) => x.trim())]));
    assert.ok(verified.size >= 20, `${verified.size} verified codes`);
    for (const [code, cited] of verified) {
      assert.ok(cited.length > 0 && cited.every((c) => sources.has(c)), `${code}: its sources ${cited.join(", ")} are listed`);
    }
    for (const p of demo) {
      if (p.illustrative === true) {
        assert.ok(!verified.has(p.code), `${p.code} is both verified and illustrative`);
        assert.match(p.code, /^1\.9\d{5}$/, `${p.code}: an illustrative code lies in the range kept for them`);
      } else {
        assert.ok(verified.has(p.code), `${p.code} (${p.name}) is neither a verified national code nor marked illustrative`);
      }
    }
    const used = new Set(demo.map((p) => p.code));
    assert.deepEqual([...verified.keys()].filter((c) => !used.has(c)), [], "every verified code is a demo procedure's");
    assert.equal(demo.find((p) => p.name === "Gia hạn tạm trú")?.code, "1.002755");
  });

  it("never asks online for the declaration the e-form is, nor anywhere for a paper only shown", () => {
    for (const p of demo) {
      for (const c of p.components) {
        if (/xuất trình/i.test(c.name)) assert.equal(c.shownOnly, true, `${p.code} ${c.key} is shown in person`);
        // A declaration of this procedure ("Tờ khai…"); a tax declaration is another authority's paper.
        if (/^Tờ khai/.test(c.name) && !/thuế/.test(c.name)) assert.equal(c.replacedByEForm, true, `${p.code} ${c.key} is the e-form's paper`);
        if (c.shownOnly) assert.equal(needsUpload(c, "counter"), false);
      }
    }
    const birth = demo.find((p) => p.code === "1.001193")!;
    assert.deepEqual(birth.components.filter((c) => needsUpload(c, "online")).map((c) => c.key), ["giay-chung-sinh"]);
    assert.deepEqual(birth.components.filter((c) => needsUpload(c, "counter")).map((c) => c.key), ["to-khai", "giay-chung-sinh"]);
  });

  it("says that it is illustrative", () => {
    const file = JSON.parse(fs.readFileSync(new URL("../../../data/catalog/procedures.json", import.meta.url), "utf8")) as { about: string };
    assert.match(file.about, /MINH HỌA/);
    assert.match(file.about, /ILLUSTRATIVE/i);
  });
});
