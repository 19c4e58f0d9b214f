// The inputs of the one-stop forms (Circular 03/2025/TT-VPCP: Mẫu 01–07; Circular 01/2018/TT-VPCP: Mẫu 01–06,
// for the dossiers received before 15 September 2025 — see sets.ts). Plain data, close to what the dossier
// tables hold, so the dossier service maps its rows to these and the renderer never reads the database.
// Instants are Dates and are printed in Vietnam's time (DOMAIN.md §4).
import type { Timeliness } from "../model.ts";
import type { Applicant, SupplementItem } from "../tables.ts";
import type { FormEdition } from "./sets.ts";

export type { Applicant, SupplementItem, Timeliness };

/** The agency whose form it is: its header block names the parent body, the agency and the desk. */
export interface FormAgency {
  /** Tên cơ quan, e.g. `UBND phường Ba Đình`. */
  name: string;
  /** QCVN 102 code, e.g. `000.00.12.H29`. */
  code: string;
  /** Tên cơ quan chủ quản (the line above the agency's name), when there is one. */
  parentName?: string | null;
  /** Bộ phận tiếp nhận và trả kết quả: the desk that issues the receipt and the notices and keeps the register. */
  deskName?: string | null;
  /** Địa danh for the dated line `Hà Nội, ngày … tháng … năm …`. */
  place?: string | null;
}

/** What every form carries. */
export interface FormCommon {
  /** Which form of which circular this is: its number and title are printed from it (sets.ts). */
  edition: FormEdition;
  agency: FormAgency;
  /**
   * The public lookup address the QR code opens, e.g. `https://dvc.example.gov.vn/tra-cuu?ma=…&khoa=…`
   * (see `lookupUrl`); printed under the code as well, for people who cannot scan.
   */
  lookupUrl: string;
  /** When the form is issued: the date line, and the PDF's CreationDate (same input, same bytes). */
  generatedAt: Date;
}

/** The dossier the form is about. */
export interface FormDossier extends FormCommon {
  /** Mã hồ sơ, `{agency}-{YYMMDD}-{NNNN}`. */
  dossierCode: string;
  applicant: Applicant;
  /** The procedure the dossier is filed under (its name is "nội dung yêu cầu giải quyết"). */
  procedure: { code: string; name: string };
}

/**
 * One paper the applicant actually handed in (thành phần hồ sơ), with how many of each kind were received: paper
 * originals, certified copies and copies as the desk counted them, and the electronic files filed with it.
 */
export interface SubmittedPaper {
  name: string;
  original: number;
  certifiedCopy: number;
  copy: number;
  /** Electronic files (bản điện tử) filed for it, online or scanned at the desk. */
  electronic?: number;
  note?: string | null;
}

/** Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả. */
export interface ReceiptInput extends FormDossier {
  papers: SubmittedPaper[];
  /** Số lượng hồ sơ (bộ); 1 when not stated. */
  sets?: number;
  /** The legal processing time as the catalogue states it, e.g. `05 ngày làm việc`. */
  processingTime: string;
  receivedAt: Date;
  /** The appointment for the result (hẹn trả). */
  dueAt: Date;
  /** Where the result is handed over (đăng ký nhận kết quả tại). */
  returnPlace: string;
  /** Sổ theo dõi hồ sơ (the register): the book and the line the dossier was entered on. */
  register: { book: string; number: number };
  /** The officer who received it (người tiếp nhận hồ sơ). */
  officerName: string;
}

/** Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ. */
export interface SupplementRequestInput extends FormDossier {
  /** What to add or correct and why; the circular wants every item listed at once. */
  items: SupplementItem[];
  /** Display names of the components and form fields the items' keys refer to. */
  labels?: Record<string, string>;
  /** The officer who asks (người hướng dẫn), and how to reach them. */
  officerName: string;
  contact?: string | null;
}

/** Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ. */
export interface RefusalInput extends FormDossier {
  /** Receipt refused at the desk, or the dossier refused after receipt. */
  stage: "receipt" | "processing";
  reason: string;
  officerName: string;
}

/**
 * Mẫu 04: the apology. Circular 01/2018: Phiếu xin lỗi và hẹn lại ngày trả kết quả (a new date). Circular 03/2025:
 * Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết (the extension asked, and the new date).
 */
export interface ApologyInput extends FormDossier {
  receivedAt: Date;
  /** The appointment on the receipt that will not be kept. */
  dueAt: Date;
  reason: string;
  /** The new appointment. */
  newDueAt: Date;
  /** The extension asked, in words (`03 ngày làm việc`): the 2025 form states it. */
  extension?: string | null;
  /** The head of the agency who signs (thủ trưởng cơ quan). */
  signerName: string;
  signerTitle?: string | null;
}

/** Mẫu 05 of Circular 03/2025: Thông báo dừng giải quyết hồ sơ, with its reason. */
export interface StopNoticeInput extends FormDossier {
  receivedAt: Date;
  reason: string;
  /** Who stopped it, and the title they sign under. */
  signerName: string;
  signerTitle?: string | null;
}

/** The control sheet (Mẫu 06 of 2025, 05 of 2018): one hand-over: the unit that had the dossier, from when, due when, done when. */
export interface StepRecord {
  stepName: string;
  /** The agency and, when known, its department (phòng ban) that received the dossier for the step. */
  agencyName: string;
  department?: string | null;
  officerName?: string | null;
  startedAt: Date;
  dueAt: Date;
  doneAt?: Date | null;
  timeliness?: Timeliness | null;
  note?: string | null;
}

/** The control sheet (Mẫu 06 of 2025, 05 of 2018): Phiếu kiểm soát quá trình giải quyết hồ sơ. */
export interface ControlSheetInput extends FormDossier {
  receivedAt: Date;
  dueAt: Date;
  /** Cơ quan (bộ phận) giải quyết hồ sơ and cơ quan phối hợp. */
  leadAgency: string;
  partnerAgencies?: string[];
  steps: StepRecord[];
}

/** The register (Mẫu 07 of 2025, 06 of 2018): one line, one dossier. */
export interface RegisterRow {
  dossierCode: string;
  procedureName: string;
  applicantName: string;
  address?: string | null;
  phone?: string | null;
  receivedAt: Date;
  dueAt?: Date | null;
  /** Sent to the processing agency (chuyển hồ sơ đến cơ quan giải quyết). */
  transferredAt?: Date | null;
  /** The result is ready (có kết quả giải quyết). */
  resultAt?: Date | null;
  /** Handed to the applicant (trả kết quả). */
  returnedAt?: Date | null;
  note?: string | null;
}

/** The register (Mẫu 07 of 2025, 06 of 2018): Sổ theo dõi hồ sơ for a period. */
export interface RegisterInput extends FormCommon {
  /** Quyển số. */
  book: string;
  /** The period, as calendar days in Vietnam (inclusive). */
  from: Date;
  to: Date;
  rows: RegisterRow[];
}
