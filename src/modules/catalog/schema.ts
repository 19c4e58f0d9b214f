import { type Static, Type } from "../../platform/typebox.ts";
import { Nullable } from "../../platform/http/schema.ts";
import { AUDIENCES, Channel, LEVELS, Literals, ONLINE_LEVELS, ProcedureCode, ProcedureContent, ProcessingTime } from "./model.ts";

export const ProcedureQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: "words to find; diacritics and case are ignored, small typos tolerated" })),
    field: Type.Optional(Type.String({ maxLength: 40, description: "field (lĩnh vực) code" })),
    agency: Type.Optional(Type.String({ maxLength: 13, description: "implementing agency, or any agency under it (QCVN 102 code)" })),
    level: Type.Optional(Literals(ONLINE_LEVELS)),
    audience: Type.Optional(Literals(AUDIENCES)),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
);
export type ProcedureQuery = Static<typeof ProcedureQuery>;

const FeeSummary = Type.Object({
  name: Type.String(),
  kind: Literals(["fee", "charge"] as const),
  amount: Type.Integer(),
  channel: Nullable(Channel),
});

export const ProcedureListItem = Type.Object({
  code: Type.String(),
  name: Type.String(),
  field: Type.Object({ code: Type.String(), name: Type.String() }),
  level: Literals(ONLINE_LEVELS),
  levels: Type.Array(Literals(LEVELS)),
  audience: Type.Array(Literals(AUDIENCES)),
  agencies: Type.Array(Type.String()),
  processingTime: Type.Array(ProcessingTime),
  fees: Type.Array(FeeSummary),
  version: Type.Integer(),
});
export type ProcedureListItem = Static<typeof ProcedureListItem>;

export const ProcedurePage = Type.Object({
  items: Type.Array(ProcedureListItem),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  hasMore: Type.Boolean(),
  total: Nullable(Type.Integer(), { description: "known on the last page only; no count runs over the catalogue" }),
  correctedQuery: Nullable(Type.String(), { description: "the words searched instead, when nothing matched the words as typed" }),
});
export type ProcedurePage = Static<typeof ProcedurePage>;

export const VersionInfo = Type.Object({
  version: Type.Integer(),
  status: Literals(["draft", "published"] as const),
  createdAt: Type.String({ format: "date-time" }),
  updatedAt: Type.String({ format: "date-time" }),
  publishedAt: Nullable(Type.String({ format: "date-time" })),
});
export type VersionInfo = Static<typeof VersionInfo>;

export const ProcedureDto = Type.Composite([ProcedureContent, VersionInfo], { additionalProperties: true });
export type ProcedureDto = Static<typeof ProcedureDto>;

/** A procedure as written by an administrator, with the caller's request id for a retried create. */
export const ProcedureInput = Type.Object(
  { ...ProcedureContent.properties, requestId: Type.Optional(Type.String({ format: "uuid" })) },
  { additionalProperties: false },
);
export type ProcedureInput = Static<typeof ProcedureInput>;

export const CodeParams = Type.Object({ code: ProcedureCode });

export const VersionList = Type.Object({ items: Type.Array(VersionInfo) });

export const Problem = Type.Object({ path: Type.String(), message: Type.String() });
export const ValidationReport = Type.Object({ version: Type.Integer(), valid: Type.Boolean(), problems: Type.Array(Problem) });
export type ValidationReport = Static<typeof ValidationReport>;

export const Change = Type.Object({
  path: Type.String({ description: "JSON pointer into the version document" }),
  section: Type.String({ description: "the part of the procedure, in words" }),
  kind: Literals(["added", "removed", "changed"] as const),
  before: Type.Unknown(),
  after: Type.Unknown(),
});
export type Change = Static<typeof Change>;
export const VersionDiff = Type.Object({ from: Type.Integer(), to: Type.Integer(), changes: Type.Array(Change) });
export type VersionDiff = Static<typeof VersionDiff>;

export const ImportResult = Type.Object({
  items: Type.Array(Type.Object({ code: Type.String(), version: Type.Integer(), created: Type.Boolean() })),
});
