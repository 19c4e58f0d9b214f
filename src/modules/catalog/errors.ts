import { defineError, type FieldProblem } from "../../platform/http/errors.ts";

export const ProcedureNotFound = defineError<[string]>("catalog.procedure_not_found", "not_found", (code) => ({
  vi: `Không tìm thấy thủ tục hành chính mã ${code}.`,
  en: `No administrative procedure with code ${code}.`,
}));

export const VersionNotFound = defineError<[string, number]>("catalog.version_not_found", "not_found", (code, version) => ({
  vi: `Thủ tục ${code} không có phiên bản ${version}.`,
  en: `Procedure ${code} has no version ${version}.`,
}));

export const ProcedureExists = defineError<[string]>("catalog.procedure_exists", "conflict", (code) => ({
  vi: `Đã có thủ tục hành chính mã ${code}.`,
  en: `A procedure with code ${code} already exists.`,
}));

export const NoDraft = defineError<[string]>("catalog.no_draft", "conflict", (code) => ({
  vi: `Thủ tục ${code} không có bản dự thảo để công bố.`,
  en: `Procedure ${code} has no draft to publish.`,
}));

export const DraftNotFound = defineError<[string]>("catalog.draft_not_found", "not_found", (code) => ({
  vi: `Thủ tục ${code} không có bản dự thảo đang soạn.`,
  en: `Procedure ${code} has no draft.`,
}));

/** The code in a body differs from the code in the path. */
export const CodeMismatch = defineError<[string, string]>(
  "catalog.code_mismatch",
  "invalid",
  (path, body) => ({
    vi: `Mã thủ tục trong nội dung (${body}) khác mã trên đường dẫn (${path}).`,
    en: `The code in the body (${body}) differs from the code in the path (${path}).`,
  }),
  () => ({ fields: [{ path: "/code", message: "Mã thủ tục không khớp đường dẫn." }] }),
);

/** Publishing refused: every problem of the draft is listed in `fields`. */
export const NotPublishable = defineError<[FieldProblem[]]>(
  "catalog.not_publishable",
  "invalid",
  (problems) => ({
    vi: `Chưa công bố được: bản dự thảo còn ${problems.length} lỗi.`,
    en: `Cannot publish: the draft has ${problems.length} problem(s).`,
  }),
  (fields) => ({ fields }),
);

/** An import document that is not a national catalogue document; nothing was changed. */
export const InvalidImport = defineError<[FieldProblem[]]>(
  "catalog.invalid_import",
  "invalid",
  (problems) => ({
    vi: `Tệp nhập không hợp lệ (${problems.length} lỗi); không có thay đổi nào.`,
    en: `The import document is not valid (${problems.length} problem(s)); nothing was changed.`,
  }),
  (fields) => ({ fields }),
);

export const CatalogForbidden = defineError("catalog.forbidden", "forbidden", () => ({
  vi: "Chỉ quản trị viên của cơ quan thực hiện thủ tục được thay đổi thủ tục này.",
  en: "Only an administrator of the implementing agencies may change this procedure.",
}));

export const UnknownExportFormat = defineError<[string]>("catalog.unknown_export_format", "invalid", (format) => ({
  vi: `Không hỗ trợ định dạng xuất ${format}; dùng dvcqg.`,
  en: `Export format ${format} is not supported; use dvcqg.`,
}));
