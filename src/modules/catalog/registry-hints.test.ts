// Publishing checks a form's registry hints (issue 18, once-only): the registry has the field, the form field is
// text, and the registry holds the procedure's applicants; a paper stands for a registry that holds them too.
import assert from "node:assert/strict";
import fs from "node:fs";
import { describe, it } from "node:test";
import type { ProcedureContent } from "./model.ts";
import { publishProblems } from "./validate.ts";

const demo = (code: string): ProcedureContent =>
  (JSON.parse(fs.readFileSync(new URL("../../../data/catalog/procedures.json", import.meta.url), "utf8")) as { procedures: ProcedureContent[] }).procedures.find((p) => p.code === code)!;
const registryProblems = (content: ProcedureContent) =>
  publishProblems(content, { departments: new Map() })
    .map((p) => p.path)
    .filter((p) => /registry|Registry/.test(p))
    .sort();

describe("registry hints at publishing", () => {
  it("accepts the demo catalogue's hints (the criminal record certificate reads the population registry)", () => {
    const record = demo("1.900201");
    assert.equal(record.form.ui.fields.noiThuongTru?.registry?.field, "permanentResidence");
    assert.equal(record.components.find((c) => c.key === "giay-to-tuy-than")?.replacedByRegistry, "population");
    assert.deepEqual(registryProblems(record), []);
  });

  it("refuses a field the registry does not have, a non-text field, and a registry that does not hold the applicants", () => {
    const record = structuredClone(demo("1.900201"));
    record.form.ui.fields.hoTen!.registry = { source: "population", field: "hoTenDayDu", authoritative: true };
    record.form.ui.fields.soLuongPhieu!.registry = { source: "population", field: "birthDate", authoritative: false };
    record.form.ui.fields.email!.registry = { source: "business", field: "name", authoritative: false };
    record.components[0]!.replacedByRegistry = "business";
    assert.deepEqual(registryProblems(record), [
      "/components/0/replacedByRegistry",
      "/form/ui/fields/email/registry/source",
      "/form/ui/fields/hoTen/registry/field",
      "/form/ui/fields/soLuongPhieu/registry",
    ]);
  });
});
