// Realistic inputs for each form: the tests render them, and so can anyone looking at the layout.
import { lookupUrl } from "./layout.ts";
import { editionOf, type FormBasis, type FormKind, FORM_SETS } from "./sets.ts";
import type {
  ApologyInput,
  ControlSheetInput,
  FormDossier,
  ReceiptInput,
  RefusalInput,
  RegisterInput,
  RegisterRow,
  StopNoticeInput,
  SupplementRequestInput,
} from "./types.ts";

const at = (s: string) => new Date(`${s}+07:00`);

/** The edition of `kind` in the set of `basis` (Circular 03/2025 unless said). */
export function edition(kind: FormKind, basis: FormBasis = "03/2025/TT-VPCP") {
  return editionOf(FORM_SETS.find((s) => s.basis === basis)!, kind)!;
}

export const EXAMPLE_URL = lookupUrl("https://dichvucong.hanoi.gov.vn", "000.00.12.H29-251103-0007", "K7Q2-M9XA");

const dossier: Omit<FormDossier, "edition"> = {
  agency: {
    parentName: "UBND quận Ba Đình",
    name: "UBND phường Ngọc Hà",
    code: "000.00.12.H29",
    deskName: "Bộ phận Tiếp nhận và Trả kết quả",
    place: "Hà Nội",
  },
  lookupUrl: EXAMPLE_URL,
  generatedAt: at("2025-11-03T08:42:00"),
  dossierCode: "000.00.12.H29-251103-0007",
  applicant: {
    type: "citizen",
    name: "Nguyễn Thị Mai",
    idNumber: "001190012345",
    phone: "0912345678",
    email: "mai.nguyen@example.vn",
    address: "Số 12, ngõ 34 phố Đội Cấn, phường Ngọc Hà, thành phố Hà Nội",
  },
  procedure: { code: "1.001193", name: "Đăng ký khai sinh" },
};

export const RECEIPT: ReceiptInput = {
  ...dossier,
  edition: edition("receipt"),
  papers: [
    { name: "Tờ khai đăng ký khai sinh theo mẫu", original: 1, certifiedCopy: 0, copy: 0 },
    { name: "Giấy chứng sinh do cơ sở y tế nơi trẻ sinh ra cấp", original: 1, certifiedCopy: 0, copy: 0 },
    { name: "Giấy chứng nhận kết hôn của cha, mẹ", original: 0, certifiedCopy: 1, copy: 1, note: "Xuất trình bản chính để đối chiếu" },
    { name: "Căn cước công dân của người đi đăng ký", original: 0, certifiedCopy: 0, copy: 1 },
  ],
  processingTime: "01 ngày làm việc",
  receivedAt: at("2025-11-03T08:30:00"),
  dueAt: at("2025-11-04T16:30:00"),
  returnPlace: "Bộ phận Tiếp nhận và Trả kết quả UBND phường Ngọc Hà, số 25 phố Liễu Giai",
  register: { book: "01/2025", number: 7 },
  officerName: "Trần Văn Hùng",
};

export const SUPPLEMENT: SupplementRequestInput = {
  ...dossier,
  edition: edition("supplement"),
  items: [
    { component: "giay_chung_sinh", reason: "Bản chụp bị mờ, không đọc được họ tên người mẹ và ngày sinh của trẻ." },
    { field: "noi_sinh", reason: "Nơi sinh ghi \"Bệnh viện Phụ sản\" chưa đủ; ghi rõ: Bệnh viện Phụ sản Hà Nội, 929 đường La Thành." },
    { component: "giay_ket_hon", field: "so_dang_ky", reason: "Số đăng ký kết hôn trên tờ khai không khớp với giấy chứng nhận kết hôn." },
  ],
  labels: { giay_chung_sinh: "Giấy chứng sinh", giay_ket_hon: "Giấy chứng nhận kết hôn", noi_sinh: "Nơi sinh", so_dang_ky: "Số đăng ký" },
  officerName: "Trần Văn Hùng",
  contact: "số điện thoại 024 3845 1234",
};

export const REFUSAL: RefusalInput = {
  ...dossier,
  edition: edition("refusal"),
  stage: "receipt",
  reason:
    "Trẻ được sinh ra tại phường Kim Mã; theo Luật Hộ tịch, việc đăng ký khai sinh thực hiện tại UBND cấp xã nơi cư trú của cha hoặc mẹ. Đề nghị Bà nộp hồ sơ tại UBND phường Kim Mã.",
  officerName: "Trần Văn Hùng",
};

export const APOLOGY: ApologyInput = {
  ...dossier,
  edition: edition("apology"),
  receivedAt: at("2025-11-03T08:30:00"),
  dueAt: at("2025-11-04T16:30:00"),
  reason: "Cần xác minh thông tin đăng ký kết hôn của cha, mẹ với UBND xã nơi đăng ký kết hôn.",
  newDueAt: at("2025-11-06T16:30:00"),
  extension: "02 ngày làm việc",
  signerName: "Lê Thị Hồng",
  signerTitle: "Chủ tịch",
};

/** The same apology of a dossier received under Circular 01/2018 (before 15 September 2025). */
export const APOLOGY_2018: ApologyInput = {
  ...APOLOGY,
  edition: edition("apology", "01/2018/TT-VPCP"),
  receivedAt: at("2025-09-03T08:30:00"),
  dueAt: at("2025-09-04T16:30:00"),
  newDueAt: at("2025-09-08T16:30:00"),
  extension: null,
};

export const STOP_NOTICE: StopNoticeInput = {
  ...dossier,
  edition: edition("stop"),
  receivedAt: at("2025-11-03T08:30:00"),
  reason: "Theo đề nghị dừng giải quyết hồ sơ của người yêu cầu ngày 04/11/2025.",
  signerName: "Lê Thị Hồng",
  signerTitle: "Chủ tịch",
};

export const CONTROL_SHEET: ControlSheetInput = {
  ...dossier,
  edition: edition("control"),
  receivedAt: at("2025-11-03T08:30:00"),
  dueAt: at("2025-11-04T16:30:00"),
  leadAgency: "UBND phường Ngọc Hà - Bộ phận Tư pháp - Hộ tịch",
  partnerAgencies: ["Công an phường Ngọc Hà"],
  steps: [
    {
      stepName: "Thẩm định hồ sơ",
      agencyName: "UBND phường Ngọc Hà",
      department: "Tư pháp - Hộ tịch",
      officerName: "Phạm Quốc Bảo",
      startedAt: at("2025-11-03T09:00:00"),
      dueAt: at("2025-11-03T16:00:00"),
      doneAt: at("2025-11-03T14:10:00"),
      timeliness: "early",
    },
    {
      stepName: "Phê duyệt, ký giấy khai sinh",
      agencyName: "UBND phường Ngọc Hà",
      department: "Lãnh đạo UBND",
      officerName: "Lê Thị Hồng",
      startedAt: at("2025-11-03T14:10:00"),
      dueAt: at("2025-11-04T10:00:00"),
      doneAt: at("2025-11-04T10:00:00"),
      timeliness: "on_time",
    },
    {
      stepName: "Cấp số định danh cá nhân cho trẻ",
      agencyName: "Công an phường Ngọc Hà",
      officerName: "Đỗ Minh Tuấn",
      startedAt: at("2025-11-04T10:05:00"),
      dueAt: at("2025-11-04T14:00:00"),
      doneAt: at("2025-11-04T15:20:00"),
      timeliness: "late",
      note: "Hệ thống CSDL quốc gia về dân cư gián đoạn",
    },
    {
      stepName: "Trả kết quả",
      agencyName: "UBND phường Ngọc Hà",
      department: "Bộ phận Tiếp nhận và Trả kết quả",
      startedAt: at("2025-11-04T15:25:00"),
      dueAt: at("2025-11-04T16:30:00"),
    },
  ],
};

const PROCEDURES = [
  "Đăng ký khai sinh",
  "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan tổ chức có thẩm quyền của Việt Nam cấp hoặc chứng nhận",
  "Đăng ký kết hôn",
  "Cấp giấy xác nhận tình trạng hôn nhân",
  "Đăng ký thường trú",
];
const NAMES = ["Nguyễn Thị Mai", "Trần Văn Hùng", "Lê Hoàng Yến", "Phạm Đức Thắng", "Công ty TNHH Thương mại Đại Phát"];

/** A register of `n` rows over November 2025, each row a little different. */
export function registerExample(n: number): RegisterInput {
  const rows: RegisterRow[] = Array.from({ length: n }, (_, i) => {
    const received = at(`2025-11-${String(1 + (i % 28)).padStart(2, "0")}T08:30:00`);
    const dayOf = (d: number) => new Date(received.getTime() + d * 86_400_000);
    return {
      dossierCode: `000.00.12.H29-2511${String(1 + (i % 28)).padStart(2, "0")}-${String(i + 1).padStart(4, "0")}`,
      procedureName: PROCEDURES[i % PROCEDURES.length]!,
      applicantName: NAMES[i % NAMES.length]!,
      address: i % 7 === 0 ? null : `Số ${i + 1} phố Đội Cấn, phường Ngọc Hà, Hà Nội`,
      phone: `09${String(12345600 + i)}`,
      receivedAt: dayOf(0),
      dueAt: dayOf(2),
      transferredAt: dayOf(0),
      resultAt: i % 3 === 0 ? null : dayOf(2),
      returnedAt: i % 3 === 0 ? null : dayOf(3),
      note: i % 10 === 0 ? "Trả kết quả qua bưu chính công ích" : null,
    };
  });
  return {
    edition: edition("register"),
    agency: dossier.agency,
    lookupUrl: "https://dichvucong.hanoi.gov.vn/tra-cuu",
    generatedAt: at("2025-12-01T07:30:00"),
    book: "01/2025",
    from: at("2025-11-01T00:00:00"),
    to: at("2025-11-30T00:00:00"),
    rows,
  };
}
