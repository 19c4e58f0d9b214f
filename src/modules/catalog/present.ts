// Rows and version documents → what the API and the pages show.
import type { ProcedureContent } from "./model.ts";
import type { ProcedureDto, ProcedureListItem, VersionInfo } from "./schema.ts";

/** What a search result shows of the version in force; stored with the procedure's row. */
export interface ProcedureSummary {
  processingTimes: ProcedureContent["processingTimes"];
  fees: Array<Pick<ProcedureContent["fees"][number], "name" | "kind" | "amount" | "channel">>;
}

export function summaryOf(content: ProcedureContent): ProcedureSummary {
  return {
    processingTimes: content.processingTimes,
    fees: content.fees.map(({ name, kind, amount, channel }) => ({ name, kind, amount, channel })),
  };
}

/** The columns of a procedure's row that come from a version (listing and search). */
export function listedColumns(c: ProcedureContent) {
  return {
    name: c.name,
    description: c.description ?? "",
    fieldCode: c.field.code,
    fieldName: c.field.name,
    onlineLevel: c.onlineLevel,
    levels: c.levels,
    audience: c.audience,
    agencyCodes: c.agencies,
    summary: summaryOf(c),
  };
}

export interface ListedRow {
  code: string;
  name: string;
  fieldCode: string;
  fieldName: string;
  onlineLevel: string;
  levels: string[];
  audience: string[];
  agencyCodes: string[];
  summary: ProcedureSummary;
  currentVersion: number | null;
}

export function presentListItem(row: ListedRow): ProcedureListItem {
  return {
    code: row.code,
    name: row.name,
    field: { code: row.fieldCode, name: row.fieldName },
    level: row.onlineLevel as ProcedureListItem["level"],
    levels: row.levels as ProcedureListItem["levels"],
    audience: row.audience as ProcedureListItem["audience"],
    agencies: row.agencyCodes,
    processingTime: row.summary.processingTimes,
    fees: row.summary.fees,
    version: row.currentVersion ?? 0,
  };
}

export interface VersionRow {
  procedureCode: string;
  version: number;
  content: ProcedureContent;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
  publishedBy: string | null;
}

export function presentVersionInfo(row: Omit<VersionRow, "content">): VersionInfo {
  return {
    version: row.version,
    status: row.publishedAt ? "published" : "draft",
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
  };
}

export function presentProcedure(row: VersionRow): ProcedureDto {
  return { ...row.content, ...presentVersionInfo(row) };
}
