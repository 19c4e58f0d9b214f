// Once-only (issue 18, item 3): an applicant who agreed on their draft's page has the fields its procedure maps
// to a registry filled from that registry (looked up for the dossier, with its purpose and legal basis, recorded
// like every look-up), and an officer verifies a dossier's applicant against a registry, stating a purpose, and
// sees the registry's answer beside the dossier's values. The dossier keeps which databases were read.
import { type Actor, hasRole } from "../../platform/auth/actor.ts";
import type { ProcedureContent } from "../catalog/index.ts";
import type { DossierService } from "../dossiers/index.ts";
import { InvalidLookup, RegistryLookupForbidden } from "./errors.ts";
import type { RegistryName } from "./gateway/mapping.ts";
import type { BusinessDto, CitizenDto, CivilEventsDto } from "./schema.ts";
import type { LookupMeta, RegistriesService } from "./service.ts";

/**
 * The legal basis recorded for a prefill: the decree on managing, connecting and sharing the digital data of State
 * agencies, and the applicant's consent given on the page. No article is cited: none was checked here.
 */
export const PREFILL_LEGAL_BASIS = "Nghị định 47/2020/NĐ-CP về quản lý, kết nối và chia sẻ dữ liệu số của cơ quan nhà nước; sự đồng ý của người nộp hồ sơ";

type Answer = CitizenDto | BusinessDto | CivilEventsDto;

/** One form field beside what the registry holds for it (the officer's verification). */
export interface Comparison {
  field: string;
  label: string;
  dossierValue: string;
  registryValue: string | null;
  differs: boolean;
}

export interface OnceOnly {
  /** Reads `registry` for the signed-in applicant's draft and fills its mapped fields: "filled", or "not_found". Throws registries.* errors. */
  prefill(actor: Actor, dossierId: string, registry: RegistryName, meta?: LookupMeta): Promise<"filled" | "not_found">;
  /** An officer's look-up of a dossier's applicant, for `purpose`: the mapped fields beside the registry's values (null when it has no record). */
  verify(actor: Actor, dossierId: string, registry: RegistryName, purpose: string, meta?: LookupMeta): Promise<Comparison[] | null>;
}

const MARITAL: Record<string, readonly string[]> = {
  single: ["Chưa đăng ký kết hôn với ai", "Chưa kết hôn", "Độc thân"],
  married: ["Đang có vợ (chồng)", "Đã kết hôn"],
  divorced: ["Đã đăng ký kết hôn nhưng đã ly hôn", "Ly hôn"],
  widowed: ["Đã đăng ký kết hôn nhưng vợ (chồng) đã chết", "Góa"],
};
const SEX: Record<string, readonly string[]> = { male: ["Nam"], female: ["Nữ"] };
const STATUS: Record<string, readonly string[]> = { active: ["Đang hoạt động"], suspended: ["Tạm ngừng kinh doanh"], dissolved: ["Đã giải thể"] };

/** The registry's value of `path` as the form field writes it (an address on one line, a coded value in the form's words); null when it has none the form takes. */
export function formValue(answer: Answer, path: string, property: { enum?: unknown } | undefined): string | null {
  let value: unknown = answer;
  for (const part of path.split(".")) value = value && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
  let candidates: readonly string[];
  if (value && typeof value === "object" && "communeName" in value) {
    const a = value as CitizenDto["permanentResidence"];
    candidates = [[a.detail, a.communeName, a.provinceName].filter((s) => s.trim() !== "").join(", ")];
  } else if (typeof value !== "string") return null;
  else if (path === "maritalStatus") candidates = MARITAL[value] ?? [];
  else if (path === "sex") candidates = SEX[value] ?? [];
  else if (path === "status") candidates = STATUS[value] ?? [];
  else candidates = [value];
  const options = Array.isArray(property?.enum) ? (property.enum as unknown[]) : null;
  return candidates.find((c) => !options || options.includes(c)) ?? null;
}

function mappedFields(content: ProcedureContent, registry: RegistryName) {
  const properties = (content.form.schema.properties ?? {}) as Record<string, { enum?: unknown }>;
  return Object.entries(content.form.ui.fields).flatMap(([name, hint]) =>
    hint.registry?.source === registry ? [{ name, label: hint.label, hint: hint.registry, property: properties[name] }] : [],
  );
}

export function makeOnceOnly(deps: { registries: RegistriesService; dossiers: DossierService }): OnceOnly {
  const { registries, dossiers } = deps;

  const ask = (actor: Actor, registry: RegistryName, subject: string, purpose: { purpose: string; legalBasis: string; dossierId: string }, meta: LookupMeta) =>
    registry === "population"
      ? registries.lookupCitizen(actor, subject, purpose, meta)
      : registry === "business"
        ? registries.lookupBusiness(actor, subject, purpose, meta)
        : registries.civilEvents(actor, subject, purpose, meta);

  return {
    async prefill(actor, dossierId, registry, meta = {}) {
      const d = await dossiers.get(actor, dossierId);
      // The applicant's own draft only: an officer verifies instead, and a filed dossier is not refilled.
      if (actor.type !== "user" || d.status !== "draft" || d.applicant.idNumber !== actor.username || !(hasRole(actor, "citizen") || hasRole(actor, "business"))) {
        throw new RegistryLookupForbidden();
      }
      const content = await dossiers.boundProcedure(d);
      const fields = mappedFields(content, registry);
      if (!fields.length && !content.components.some((c) => c.replacedByRegistry === registry)) {
        throw new InvalidLookup([{ path: "/registry", message: "Thủ tục không lấy thông tin từ cơ sở dữ liệu này." }]);
      }
      const purpose = { purpose: `Điền sẵn tờ khai hồ sơ ${d.procedureName} theo đồng ý của người nộp`, legalBasis: PREFILL_LEGAL_BASIS, dossierId: d.id };
      const answer = (await ask(actor, registry, actor.username, purpose, { ...meta, prefill: true })) as Answer | null;
      if (!answer) return "not_found";
      const marks: Parameters<DossierService["applyRegistryPrefill"]>[2]["marks"] = {};
      for (const f of fields) {
        const value = formValue(answer, f.hint.field, f.property);
        if (value !== null) marks[f.name] = { source: registry, field: f.hint.field, value, authoritative: f.hint.authoritative };
      }
      await dossiers.applyRegistryPrefill(actor, d.id, { marks, registries: [registry] }, meta);
      return "filled";
    },

    async verify(actor, dossierId, registry, purposeText, meta = {}) {
      const d = await dossiers.get(actor, dossierId);
      if (actor.type !== "user" || !actor.agencyCode) throw new RegistryLookupForbidden();
      const content = await dossiers.boundProcedure(d);
      const purpose = { purpose: purposeText.trim(), legalBasis: PREFILL_LEGAL_BASIS.split(";")[0]!, dossierId: d.id };
      const answer = (await ask(actor, registry, d.applicant.idNumber, purpose, meta)) as Answer | null;
      await dossiers.recordRegistryUse(actor, d.id, registry, meta);
      if (!answer) return null;
      return mappedFields(content, registry).map((f) => {
        const dossierValue = typeof d.formData[f.name] === "string" ? (d.formData[f.name] as string) : "";
        const registryValue = formValue(answer, f.hint.field, f.property);
        return { field: f.name, label: f.label, dossierValue, registryValue, differs: registryValue !== null && registryValue !== dossierValue };
      });
    },
  };
}
