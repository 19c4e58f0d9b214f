// Once-only (issue 18, item 3): a draft's form fields filled from a national registry after the applicant agreed,
// each marked with where it came from; a field the registry is authoritative for may not be changed afterwards
// (the server refuses it on save and on filing); the national databases read for a dossier are kept for the
// national portal's DSKetNoiCSDL. The registries module reads the registry; this file only keeps what it gave.
import type { Actor } from "../../platform/auth/actor.ts";
import type { FieldProblem } from "../../platform/http/errors.ts";
import type { DossierRow } from "./hooks.ts";
import * as repo from "./repo.ts";
import type { DossierDto } from "./schema.ts";
import type { DossierCore, DossierDeps, Meta } from "./service.support.ts";
import type { RegistryFieldMark } from "./tables.ts";

export type { RegistryFieldMark } from "./tables.ts";

export interface DossierRegistryUse {
  /**
   * Writes what a registry gave into a draft's form (only the fields named), marks them, and records the
   * registries read. Only who may save the draft. Throws DossierNotFound, DossierForbidden, InvalidTransition.
   */
  applyRegistryPrefill(actor: Actor, id: string, fill: { marks: Record<string, RegistryFieldMark>; registries: string[] }, meta?: Meta): Promise<DossierDto>;
  /** Records that an officer verified the dossier's applicant against `registry` (it joins DSKetNoiCSDL). Throws DossierNotFound. */
  recordRegistryUse(actor: Actor, id: string, registry: string, meta?: Meta): Promise<void>;
}

/** The authoritative registry values a form changed: a problem for each, none when all are as the registry gave them. */
export function authoritativeProblems(d: Pick<DossierRow, "registryFields">, formData: Record<string, unknown>, base = "/formData"): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [key, mark] of Object.entries(d.registryFields ?? {})) {
    if (mark.authoritative && formData[key] !== mark.value) {
      problems.push({ path: `${base}/${key}`, message: `Thông tin này lấy từ cơ sở dữ liệu quốc gia, không được sửa (giá trị: ${mark.value}).` });
    }
  }
  return problems;
}

export function makeRegistryUse(deps: DossierDeps, core: DossierCore): DossierRegistryUse {
  const { clock, audit } = deps;
  const { boundProcedure, planOf, visible, guard, dto, transact } = core;
  return {
    async applyRegistryPrefill(actor, id, fill, meta = {}) {
      const d = await visible(actor, id);
      guard("save", d, planOf(await boundProcedure(d), d), actor);
      const now = clock.now();
      const saved = await transact(d, "save", async (tx, locked) => {
        const values = Object.fromEntries(Object.entries(fill.marks).map(([k, m]) => [k, m.value]));
        const after = await repo.updateDossier(tx, d.id, {
          formData: { ...locked.formData, ...values },
          registryFields: { ...locked.registryFields, ...fill.marks },
          registriesUsed: union(locked.registriesUsed, fill.registries),
          updatedAt: now,
        });
        await audit.record(tx, {
          actor,
          action: "dossier.registry_prefilled",
          subject: { type: "dossier", id: d.id },
          requestId: meta.requestId ?? null,
          change: { fields: Object.keys(fill.marks), registries: fill.registries },
        });
        return after;
      });
      return dto(actor, saved);
    },

    async recordRegistryUse(actor, id, registry, meta = {}) {
      const d = await visible(actor, id);
      if (d.registriesUsed.includes(registry)) return;
      await transact(d, "registry_verified", async (tx, locked) => {
        const after = await repo.updateDossier(tx, d.id, { registriesUsed: union(locked.registriesUsed, [registry]) });
        await audit.record(tx, { actor, action: "dossier.registry_verified", subject: { type: "dossier", id: d.id }, requestId: meta.requestId ?? null, change: { registry } });
        return after;
      });
    },
  };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
