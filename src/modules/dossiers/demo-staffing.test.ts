// The demo's people and its catalogue fit together: every step of every demo procedure, at every agency that
// receives it, has a demo officer who may take it — so a dossier filed on the demo portal can be walked to its
// result in the demo office (before version 2 of the accounts the communes and two departments had none).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readDemoCatalog } from "../catalog/index.ts";
import { isWithinAgency, readDemoAgencies } from "../directory/index.ts";
import { readDemoAccounts } from "../identity/index.ts";
import { implementingAgency, planSteps, receivingAgencies } from "../workflow/index.ts";
import { isOneStopDesk } from "./desks.ts";

describe("demo staffing", () => {
  const officers = readDemoAccounts().accounts.filter((a) => a.kind === "officer");

  it("has an officer for every step of every demo procedure at every agency that receives it", () => {
    const missing: string[] = [];
    for (const content of readDemoCatalog()) {
      for (const receiving of receivingAgencies(content)) {
        for (const step of planSteps(content, "online", implementingAgency(content, receiving))) {
          // The step's own role, not a leader standing in for it (a province's leader could stand in for anyone).
          const staffed = officers.some((o) => o.roles.some((g) => g.role === step.role && isWithinAgency(step.agencyCode, g.agencyCode)));
          if (!staffed) missing.push(`${content.code} at ${receiving}: ${step.role} at ${step.agencyCode}`);
        }
      }
    }
    assert.deepEqual(missing, []);
  });

  it("has an officer for every step of every demo procedure received and returned at any desk of the province (Decree 118/2025)", () => {
    const desks = readDemoAgencies().filter((a) => isOneStopDesk({ kind: a.kind, communeCode: a.communeCode ?? null }));
    assert.ok(desks.some((a) => a.code === "000.00.51.H06"), "Phường Kinh Bắc's desk is one");
    const missing: string[] = [];
    for (const content of readDemoCatalog()) {
      for (const desk of desks) {
        const plan = planSteps(content, "counter", implementingAgency(content, desk.code), { receiving: desk.code, returning: desk.code });
        for (const step of plan) {
          const staffed = officers.some((o) => o.roles.some((g) => g.role === step.role && isWithinAgency(step.agencyCode, g.agencyCode)));
          if (!staffed) missing.push(`${content.code} at ${desk.code}: ${step.role} at ${step.agencyCode}`);
        }
      }
    }
    assert.deepEqual(missing, []);
  });

  it("gives every demo officer a department of their agency, or none", () => {
    const agencies = readDemoAgencies();
    for (const o of officers) {
      const agency = agencies.find((a) => a.code === o.agencyCode);
      assert.ok(agency, `${o.username}: agency ${o.agencyCode}`);
      if (o.departmentCode) assert.ok((agency.departments ?? []).some((d) => d.code === o.departmentCode), `${o.username}: ${o.departmentCode}`);
    }
  });
});
