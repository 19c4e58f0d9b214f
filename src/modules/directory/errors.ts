import { defineError, type FieldProblem } from "../../platform/http/errors.ts";

export const ProvinceNotFound = defineError<[string]>(
  "directory.province_not_found",
  "not_found",
  (code) => ({
    vi: `Không tìm thấy tỉnh, thành phố có mã ${code}.`,
    en: `No province with code ${code}.`,
  }),
);

export const AgencyNotFound = defineError<[string]>("directory.agency_not_found", "not_found", (code) => ({
  vi: `Không tìm thấy cơ quan có mã định danh ${code}.`,
  en: `No agency with identifier ${code}.`,
}));

/** A field of an agency being created is wrong; `fields` names it (e.g. `/code`, `/provinceCode`). */
export const InvalidAgency = defineError<[FieldProblem[]]>(
  "directory.invalid_agency",
  "invalid",
  () => ({ vi: "Thông tin cơ quan không hợp lệ.", en: "The agency is not valid." }),
  (fields) => ({ fields }),
);

export const AgencyExists = defineError<[string]>("directory.agency_exists", "conflict", (code) => ({
  vi: `Đã có cơ quan với mã định danh ${code}.`,
  en: `An agency with identifier ${code} already exists.`,
}));

export const DepartmentExists = defineError<[string, string]>(
  "directory.department_exists",
  "conflict",
  (agency, code) => ({
    vi: `Cơ quan ${agency} đã có phòng ban mã ${code}.`,
    en: `Agency ${agency} already has a department with code ${code}.`,
  }),
);

export const DirectoryForbidden = defineError("directory.forbidden", "forbidden", () => ({
  vi: "Bạn không có quyền thay đổi danh mục cơ quan.",
  en: "You are not allowed to change the agency directory.",
}));
