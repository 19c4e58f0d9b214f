// The national portal's sync messages (DOMAIN.md §3): `DongBoHoSoMC` (a dossier as it stands) and
// `CapNhatTienDoHoSoMC` (one step of its processing). Pure functions of the state at the time of the
// change, so a message queued now says what was true now, whenever it is delivered.
//
// No official specification of the portal's API was found. The field names, the value lists and the
// envelope follow public integrations of the portal, listed with their commits in docs/dvcqg/README.md
// (OpenCPS `DVCQGIntegrationActionImpl`, the `SyncDataToDVCQG` DTOs of a provincial system, and the
// transcription of Decision 766's scoring formulas); docs/dvcqg/dvcqg-sync.schema.json checks each message.
// Every value on the wire is a string, as in those integrations.
import type { Actor } from "../../platform/auth/actor.ts";
import { formatLocal } from "../calendar/index.ts";
import type { DossierRow } from "./hooks.ts";
import type { ProcedureFacts } from "./lookups.ts";
import { type DossierChannel, NATIONAL_CHANNEL } from "./model.ts";
import type { SupplementItem } from "./tables.ts";

/** `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh, the portal's date format; "" for no date. */
export function nationalTime(at: Date | null | undefined): string {
  if (!at) return "";
  // formatLocal gives `2026-02-23T10:00:00+07:00`: Vietnam has had no daylight saving since 1975.
  return formatLocal(at.getTime()).slice(0, 19).replace(/[-T:]/g, "");
}

type Flag = "0" | "1";
const flag = (b: boolean): Flag => (b ? "1" : "0");

/** TaiLieuNop: one file the applicant submitted. */
export interface NationalSubmittedFile {
  TepDinhKemId: string;
  TenTepDinhKem: string;
  IsDeleted: "False";
  MaThanhPhanHoSo: string;
  /** A signed link that expires (file-links.ts). */
  DuongDanTaiTepTin: string;
  /** Scanned at the counter and marked digitised. */
  DuocSoHoa: Flag;
  /** 0 not reused, 1 reused from the applicant's data store, 2 reused from an earlier dossier's result. */
  DuocTaiSuDung: "0" | "1" | "2";
  /** Taken from the applicant's store on the national portal: we have no access to it, so never. */
  DuocLayTuKhoDMQG: Flag;
  /** With DuocTaiSuDung 2: the result paper (its GiayToId in the earlier dossier's DanhSachGiayToKetQua). */
  MaKetQuaThayThe?: string;
}

/** DanhSachLePhi: LoaiPhiLePhi 1 lệ phí, 2 phí; Gia in VND. */
export interface NationalFee {
  MaPhiLePhi: string;
  TenPhiLePhi: string;
  HinhThucThu: string;
  Gia: string;
  LoaiPhiLePhi: "1" | "2";
}

/** DanhSachHoSoBoSung: one supplement request (Mẫu 02) and when it was answered. */
export interface NationalSupplement {
  HoSoBoSungId: string;
  NoiDungBoSung: string;
  NgayBoSung: string;
  NgayTiepNhanBoSung: string;
  TrangThaiBoSung: "True" | "False";
  NgayHenTraTruoc: string;
  NgayHenTraMoi: string;
}

/** DanhSachGiayToKetQua: one result paper issued. */
export interface NationalResult {
  GiayToId: string;
  TenGiayTo: string;
  MaThanhPhanHoSo: string;
  DuongDanTepTinKetQua: string;
}

export interface DongBoHoSoMC {
  MaHoSo: string;
  MaTTHC: string;
  TenTTHC: string;
  MaLinhVuc: string;
  TenLinhVuc: string;
  SoBienNhan: string;
  /** 1 in person, 2 online, 3 public postal service (DOMAIN.md §3). */
  KenhThucHien: "1" | "2" | "3";
  ChuHoSo: string;
  /** 1 citizen, 2 business. */
  LoaiDoiTuong: "1" | "2";
  /** CCCD or tax code. */
  MaDoiTuong: string;
  DinhDanhCHS: Array<{ LoaiDinhDanh: string; SoDinhDanh: string }>;
  Email: string;
  SoDienThoai: string;
  TrichYeuHoSo: string;
  NgayNopHoSo: string;
  NgayTiepNhan: string;
  /** The legal due date (`due_at`); an apology's promised date is not it (DOMAIN.md §3). */
  NgayHenTra: string;
  /** National status code 1–10. */
  TrangThaiHoSo: string;
  NgayTra: string;
  NgayTuChoi: string;
  /**
   * How the result is returned: 0 directly, 1 by post. DOMAIN.md §3 names the field `HinhThucTra`; OpenCPS and
   * the provincial DTO send `HinhThuc` (docs/dvcqg/README.md notes the discrepancy).
   */
  HinhThucTra: "0" | "1";
  NgayKetThucXuLy: string;
  DonViXuLy: string;
  TaiLieuNop: NationalSubmittedFile[];
  DanhSachLePhi: NationalFee[];
  DanhSachHoSoBoSung: NationalSupplement[];
  DanhSachGiayToKetQua: NationalResult[];
  /** Decision 766's flags. */
  NoiNopHoSo: string;
  HoSoCoThanhPhanSoHoa: Flag;
  TaiKhoanDuocXacThucVoiVNeID: Flag;
  DuocThanhToanTrucTuyen: "0" | "1" | "2";
  DSKetNoiCSDL: Array<{ MaCSDL: string }>;
}

export interface CapNhatTienDoHoSoMC {
  MaHoSo: string;
  NguoiXuLy: string;
  ChucDanh: string;
  ThoiDiemXuLy: string;
  PhongBanXuLy: string;
  NoiDungXuLy: string;
  /** The dossier's TrangThaiHoSo (1–10) after the step, not a flag of the step (DOMAIN.md §3). */
  TrangThai: string;
  NgayBatDau: string;
  NgayKetThucTheoQuyDinh: string;
}

/** The dossier's rows beside the dossier itself, read in the change's transaction. */
export interface DossierSnapshot {
  files: Array<{
    id: string;
    kind: string;
    component: string | null;
    name: string;
    sha256: string;
    digitised: boolean;
    reusedFrom: string | null;
    /** The kind of the file it was reused from: a digitised paper (`component`) or a `result`. */
    reusedKind: string | null;
  }>;
  pauses: Array<{ id: number; fromAt: Date; toAt: Date | null; items: SupplementItem[]; dueBefore: Date | null; dueAfter: Date | null }>;
}

/**
 * Mã hồ sơ as the portal knows it: the code a dossier gets when it is filed, so the first message (status 1)
 * already carries it and it never changes. Only a dossier filed before codes were given at filing has none
 * until its receipt: its id stands in.
 */
export function nationalDossierCode(dossier: Pick<DossierRow, "code" | "id">): string {
  return dossier.code ?? dossier.id;
}

function supplementText(items: SupplementItem[]): string {
  return items.map((i) => [i.component, i.field].filter(Boolean).join(" / ") + (i.component || i.field ? ": " : "") + i.reason).join("; ");
}

/**
 * TaiKhoanDuocXacThucVoiVNeID: the applicant filed signed in through VNeID at level 2 (Decree 69/2024/NĐ-CP's
 * levels, as identity's federation records them in the session's assurance level). Level 1 accounts and the
 * counter (no sign-in) give 0. The portal's own definition of the flag was not found (docs/dvcqg/README.md).
 */
export const VNEID_ASSURANCE = 2;

/**
 * NoiNopHoSo: where the dossier was filed. The provincial integration sends 2 for dossiers filed on the
 * province's own system (1 being, by inference, the national portal itself); every dossier here is filed on
 * this system, so 2 unless the code later receives dossiers filed on the national portal.
 */
export const FILED_ON_PROVINCE_SYSTEM = "2";

/**
 * HinhThucThu: when the fee is collected. The code list was found only in another ministry's API
 * (1 at reception, 2 at supplementation, 4 at the result's return: docs/dvcqg/README.md); this platform
 * collects a procedure's fees when the dossier is received, hence 1.
 */
export const FEE_AT_RECEPTION = "1";

/** DinhDanhCHS: LoaiDinhDanh 1 is a 12-digit personal identification number (provincial DTO); other ids have no known code. */
function identifiers(applicant: DossierRow["applicant"]): DongBoHoSoMC["DinhDanhCHS"] {
  return applicant.type === "citizen" && /^\d{12}$/.test(applicant.idNumber) ? [{ LoaiDinhDanh: "1", SoDinhDanh: applicant.idNumber }] : [];
}

/** HinhThucTra: how the result was (or, before the return, will be) handed over; 1 by post, 0 otherwise. */
function returnForm(dossier: DossierRow): "0" | "1" {
  return (dossier.returnMethod ?? dossier.channel) === "post" ? "1" : "0";
}

export interface DongBoExtra {
  processingAgencyName: string | null;
  snapshot: DossierSnapshot;
  /** The signed, expiring link to a file of the dossier. */
  link: (fileId: string) => string;
  /** The portal's MaCSDL of each registry key (MOTCUA_NATIONAL_SYNC_MACSDL); a key without one is sent as it is. */
  databaseCodes?: Readonly<Record<string, string>>;
}

/** DongBoHoSoMC for a dossier in national status `status`, at the time of the change. */
export function toDongBoHoSoMC(dossier: DossierRow, procedure: ProcedureFacts | null, status: number, extra: DongBoExtra): DongBoHoSoMC {
  const { applicant } = dossier;
  const channel = dossier.channel as DossierChannel;
  const fees = (procedure?.fees ?? []).filter((f) => f.channel === null || f.channel === channel);
  const submitted = extra.snapshot.files.filter((f) => f.kind === "component");
  const refused = dossier.status === "refused" || dossier.status === "refused_receipt";
  return {
    MaHoSo: nationalDossierCode(dossier),
    MaTTHC: dossier.procedureCode,
    TenTTHC: procedure?.name ?? "",
    MaLinhVuc: procedure?.field.code ?? "",
    TenLinhVuc: procedure?.field.name ?? "",
    SoBienNhan: dossier.code ?? "",
    KenhThucHien: String(NATIONAL_CHANNEL[channel] ?? 2) as DongBoHoSoMC["KenhThucHien"],
    ChuHoSo: applicant.name,
    LoaiDoiTuong: applicant.type === "business" ? "2" : "1",
    MaDoiTuong: applicant.idNumber,
    DinhDanhCHS: identifiers(applicant),
    Email: applicant.email ?? "",
    SoDienThoai: applicant.phone ?? "",
    TrichYeuHoSo: (procedure?.name ?? dossier.procedureCode).slice(0, 1000),
    NgayNopHoSo: nationalTime(dossier.submittedAt),
    NgayTiepNhan: nationalTime(dossier.receivedAt),
    // The legal due date. While the clock is paused there is none in force: the one fixed at receipt stands in.
    NgayHenTra: nationalTime(dossier.dueAt ?? dossier.originalDueAt),
    TrangThaiHoSo: String(status),
    NgayTra: nationalTime(dossier.returnedAt),
    NgayTuChoi: refused ? nationalTime(dossier.finishedAt ?? dossier.updatedAt) : "",
    HinhThucTra: returnForm(dossier),
    NgayKetThucXuLy: nationalTime(dossier.finishedAt),
    DonViXuLy: extra.processingAgencyName ?? dossier.processingAgencyCode,
    TaiLieuNop: submitted.map((f) => {
      const fromResult = f.reusedFrom !== null && f.reusedKind === "result";
      return {
        TepDinhKemId: f.id,
        TenTepDinhKem: f.name.slice(0, 4000),
        IsDeleted: "False" as const,
        MaThanhPhanHoSo: f.component ?? "",
        DuongDanTaiTepTin: extra.link(f.id),
        DuocSoHoa: flag(f.digitised),
        DuocTaiSuDung: f.reusedFrom === null ? ("0" as const) : fromResult ? ("2" as const) : ("1" as const),
        DuocLayTuKhoDMQG: "0" as const,
        ...(fromResult ? { MaKetQuaThayThe: f.reusedFrom! } : {}),
      };
    }),
    DanhSachLePhi: fees.map((f) => ({
      MaPhiLePhi: f.key,
      TenPhiLePhi: f.name,
      HinhThucThu: FEE_AT_RECEPTION,
      Gia: String(f.amount),
      LoaiPhiLePhi: f.kind === "fee" ? ("1" as const) : ("2" as const),
    })),
    DanhSachHoSoBoSung: extra.snapshot.pauses.map((p) => ({
      HoSoBoSungId: `${dossier.id}:${p.id}`,
      NoiDungBoSung: supplementText(p.items),
      NgayBoSung: nationalTime(p.fromAt),
      NgayTiepNhanBoSung: nationalTime(p.toAt),
      TrangThaiBoSung: p.toAt ? ("True" as const) : ("False" as const),
      NgayHenTraTruoc: nationalTime(p.dueBefore),
      NgayHenTraMoi: nationalTime(p.dueAfter),
    })),
    DanhSachGiayToKetQua: extra.snapshot.files
      .filter((f) => f.kind === "result")
      .map((f) => ({ GiayToId: f.id, TenGiayTo: f.name.slice(0, 2000), MaThanhPhanHoSo: "", DuongDanTepTinKetQua: extra.link(f.id) })),
    NoiNopHoSo: FILED_ON_PROVINCE_SYSTEM,
    HoSoCoThanhPhanSoHoa: flag(submitted.some((f) => f.digitised)),
    TaiKhoanDuocXacThucVoiVNeID: flag(dossier.channel === "online" && dossier.filedLoa >= VNEID_ASSURANCE),
    // Paid online (1 through the national portal, 2 through the province's payment gateway, per Decision 766's
    // formulas): this platform takes no payment and records none, so no dossier was paid online.
    DuocThanhToanTrucTuyen: "0",
    // The national databases read for this dossier (issue 18: the applicant's consented prefill, an officer's
    // verification), as the dossier records them, each under the portal's code the province configured
    // (MOTCUA_NATIONAL_SYNC_MACSDL: the code list was not found in public sources, docs/dvcqg), else its registry key.
    DSKetNoiCSDL: (dossier.registriesUsed ?? []).map((r) => ({ MaCSDL: extra.databaseCodes?.[r] ?? r })),
  };
}

const TITLES = [
  ["leader", "Lãnh đạo"],
  ["specialist", "Chuyên viên"],
  ["receiver", "Cán bộ tiếp nhận"],
] as const;

/** Chức danh of who acted: their highest officer role; the system's own changes say so. */
export function titleOf(actor: Actor): string {
  if (actor.type === "system" || actor.type === "cli") return "Hệ thống";
  if (actor.type !== "user") return "";
  return TITLES.find(([role]) => actor.roles.some((g) => g.role === role))?.[1] ?? "";
}

/** Whether a progress message is for a step that started or one that ended with the change. */
export type StepEdge = "started" | "ended";

/** CapNhatTienDoHoSoMC for a step that started or ended with a change; `status` is the dossier's TrangThaiHoSo after it. */
export function toCapNhatTienDoHoSoMC(input: {
  dossier: Pick<DossierRow, "code" | "id">;
  edge: StepEdge;
  status: number;
  stepName: string;
  departmentName: string | null;
  startedAt: Date;
  dueAt: Date;
  at: Date;
  actor: Actor;
  actorName: string;
  note: string | null;
}): CapNhatTienDoHoSoMC {
  const what = input.edge === "ended" ? `Hoàn thành bước: ${input.stepName}` : `Bắt đầu bước: ${input.stepName}`;
  return {
    MaHoSo: nationalDossierCode(input.dossier),
    // The portal keeps 50 characters (the provincial integration truncates there).
    NguoiXuLy: input.actorName.slice(0, 50),
    ChucDanh: titleOf(input.actor),
    ThoiDiemXuLy: nationalTime(input.at),
    PhongBanXuLy: input.departmentName ?? "",
    NoiDungXuLy: input.note ? `${what}. ${input.note}` : what,
    TrangThai: String(input.status),
    NgayBatDau: nationalTime(input.startedAt),
    NgayKetThucTheoQuyDinh: nationalTime(input.dueAt),
  };
}
