// The one-stop desks of a province, and which of them may receive a dossier or hand over its result: filing
// anywhere in the province (Decree 118/2025/NĐ-CP; DOMAIN.md §2–3). The decree's text was not available (see
// docs/DOMAIN.md and the research notes): its article is not cited, and what it says is taken from DOMAIN.md —
// every provincial and commune Public Administration Service Centre (and a commune People's Committee's one-stop
// desk) receives dossiers of any procedure of the province, whatever the applicant's address, and the result can
// be returned where it was filed.
import { DomainError } from "../../platform/http/errors.ts";
import type { ProcedureContent } from "../catalog/index.ts";
import type { AgencyDto, AgencySummaryDto, DirectoryService } from "../directory/index.ts";
import { receivingAgencies, returnDesk, type StepPlan } from "../workflow/index.ts";

/**
 * Whether an agency is a one-stop desk: a Public Administration Service Centre (a province's or a commune's), or a
 * commune's People's Committee, whose centre is a unit of its own (data/demo/agencies.json: its `tiep-nhan`).
 */
export function isOneStopDesk(a: Pick<AgencySummaryDto, "kind" | "communeCode">): boolean {
  return a.kind === "service_centre" || (a.kind === "people_committee" && a.communeCode !== null);
}

/** The agency, or null when there is none by that code (any other failure, the database's, is thrown). */
async function agencyOrNull(directory: DirectoryService, code: string): Promise<AgencyDto | null> {
  try {
    return await directory.agency(code);
  } catch (err) {
    if (err instanceof DomainError && err.kind === "not_found") return null;
    throw err;
  }
}

/** The province a procedure belongs to: its (first) implementing agency's. */
export async function procedureProvince(directory: DirectoryService, content: ProcedureContent): Promise<string | null> {
  const first = content.agencies[0];
  if (!first) return null;
  return (await agencyOrNull(directory, first))?.provinceCode ?? null;
}

/** Whether `agency` is a one-stop desk of `province`. */
export async function isDeskOf(directory: DirectoryService, agency: string, province: string | null): Promise<boolean> {
  if (province === null) return false;
  const a = await agencyOrNull(directory, agency);
  return a !== null && a.provinceCode === province && isOneStopDesk(a);
}

/** Every one-stop desk of a province, in the directory's order (the filing page's choice of where to collect). */
export async function desksOf(directory: DirectoryService, province: string): Promise<AgencySummaryDto[]> {
  const out: AgencySummaryDto[] = [];
  for (let page = 1; ; page++) {
    const found = await directory.searchAgencies({ province, page, pageSize: 100 });
    out.push(...found.items.filter(isOneStopDesk));
    if (!found.hasMore) return out;
  }
}

/**
 * Whether a dossier of the procedure may be received at `agency`: one of the procedure's own desks, or — at the
 * counter or by post, and for a procedure whose process starts with a desk's reception — any one-stop desk of its
 * province. An online dossier is received by the procedure's own desks; its applicant chooses where to collect.
 */
export async function mayReceiveAt(directory: DirectoryService, content: ProcedureContent, agency: string, online: boolean): Promise<boolean> {
  if (receivingAgencies(content).includes(agency)) return true;
  if (online || content.steps[0]?.role !== "receiver") return false;
  return isDeskOf(directory, agency, await procedureProvince(directory, content));
}

/** Whether the result of a dossier with this plan may be handed over at `agency`: its own return desk, or a desk of the province. */
export async function mayReturnAt(directory: DirectoryService, content: ProcedureContent, plan: StepPlan[], agency: string): Promise<boolean> {
  const own = returnDesk(plan);
  if (own === null) return false;
  return own === agency || isDeskOf(directory, agency, await procedureProvince(directory, content));
}
