// Test factories of the catalogue: a valid procedure of the demo agencies, changed as a test needs.
import type { ProcedureContent } from "./model.ts";

let counter = 0;

/** A publishable commune-level procedure (demo agencies of data/demo/agencies.json); `code` is unique per call. */
export function buildProcedure(overrides: Partial<ProcedureContent> = {}): ProcedureContent {
  counter += 1;
  return {
    code: `1.9${String(90000 + counter).padStart(5, "0")}`,
    name: `Thủ tục thử nghiệm số ${counter}`,
    description: "Thủ tục dùng trong kiểm thử.",
    field: { code: "TN", name: "Thử nghiệm" },
    levels: ["commune"],
    agencies: ["000.00.51.H06"],
    audience: ["citizen"],
    onlineLevel: "full",
    assuranceLevel: 0,
    components: [
      {
        key: "to-khai",
        name: "Tờ khai theo mẫu",
        required: true,
        counts: { original: 1, certifiedCopy: 0, copy: 0 },
        fileTypes: ["application/pdf"],
        template: "Tờ khai (mẫu thử)",
      },
      { key: "cccd", name: "Căn cước công dân", required: false, counts: { original: 0, certifiedCopy: 1, copy: 0 }, fileTypes: ["image/jpeg", "application/pdf"] },
    ],
    form: {
      schema: {
        type: "object",
        properties: {
          hoTen: { type: "string", minLength: 1, maxLength: 100 },
          ngaySinh: { type: "string", format: "date" },
          soCccd: { type: "string", pattern: "^[0-9]{12}$" },
        },
        required: ["hoTen", "soCccd"],
        additionalProperties: false,
      },
      ui: {
        order: ["hoTen", "ngaySinh", "soCccd"],
        fields: {
          hoTen: { label: "Họ và tên" },
          ngaySinh: { label: "Ngày sinh", widget: "date" },
          soCccd: { label: "Số định danh cá nhân", help: "12 chữ số" },
        },
      },
    },
    fees: [{ key: "le-phi", name: "Lệ phí", kind: "fee", amount: 10000, channel: null, exemptions: [{ description: "Người thuộc hộ nghèo" }] }],
    processingTimes: [
      { channel: "counter", amount: 3, unit: "working_days" },
      { channel: "online", amount: 2, unit: "working_days" },
    ],
    results: [{ name: "Giấy xác nhận", electronic: true }],
    conditions: ["Người yêu cầu từ đủ 18 tuổi"],
    legalBasis: [{ number: "01/2025/TT-TEST", title: "Thông tư thử nghiệm", issuedOn: "2025-01-02", effectiveFrom: "2025-02-15" }],
    steps: [
      { key: "tiep-nhan", name: "Tiếp nhận hồ sơ", role: "receiver", department: "tiep-nhan", agency: null, hours: 4, leaderSigns: false },
      { key: "tham-dinh", name: "Thẩm định hồ sơ", role: "specialist", department: "van-hoa-xa-hoi", agency: null, hours: 12, leaderSigns: false },
      { key: "ky-duyet", name: "Lãnh đạo ký duyệt", role: "leader", department: null, agency: null, hours: 6, leaderSigns: true },
      { key: "tra-ket-qua", name: "Trả kết quả", role: "receiver", department: "tiep-nhan", agency: null, hours: 2, leaderSigns: false },
    ],
    ...overrides,
  };
}
