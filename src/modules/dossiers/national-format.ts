// The national portal's sync messages (DOMAIN.md §3): `DongBoHoSoMC` (a dossier as it stands) and
// `CapNhatTienDoHoSoMC` (one step of its processing). Pure functions of the state at the time of the
// change, so a message queued now says what was true now, whenever it is delivered.
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

/** Tài liệu nộp: one file the applicant submitted. */
export interface NationalSubmittedFile {
  TepDinhKemId: string;
  TenTepDinhKem: string;
  MaThanhPhanHoSo: string;
  TenThanhPhanHoSo: string;
}

/** Phí, lệ phí: LoaiPhiLePhi 1 lệ phí, 2 phí; Gia in VND. */
export interface NationalFee {
  MaPhiLePhi: string;
  TenPhiLePhi: string;
  LoaiPhiLePhi: 1 | 2;
  Gia: number;
}

/** One supplement request (Mẫu 02) and when it was answered. */
export interface NationalSupplement {
  HoSoBoSungId: string;
  NgayYeuCauBoSung: string;
  NoiDungYeuCauBoSung: string;
  NgayTiepNhanBoSung: string;
}

/** Giấy tờ kết quả: one result paper issued. */
export interface NationalResult {
  GiayToId: string;
  TenGiayTo: string;
  MaHoaTep: string;
}

export interface DongBoHoSoMC {
  MaHoSo: string;
  MaTTHC: string;
  TenTTHC: string;
  MaLinhVuc: string;
  TenLinhVuc: string;
  SoBienNhan: string;
  ChuHoSo: string;
  /** 1 citizen, 2 business. */
  LoaiDoiTuong: 1 | 2;
  /** CCCD or tax code. */
  MaDoiTuong: string;
  Email: string;
  SoDienThoai: string;
  TrichYeuHoSo: string;
  NgayTiepNhan: string;
  NgayHenTra: string;
  /** National status code 1–10. */
  TrangThaiHoSo: number;
  NgayTra: string;
  /** Channel: 1 in person, 2 online, 3 public postal service. */
  HinhThuc: number;
  NgayKetThucXuLy: string;
  DonViXuLy: string;
  TaiLieuNop: NationalSubmittedFile[];
  DanhSachLePhi: NationalFee[];
  DanhSachHoSoBoSung: NationalSupplement[];
  DanhSachGiayToKetQua: NationalResult[];
}

/** Step status in CapNhatTienDoHoSoMC (our convention, documented in the README): 1 started, 2 ended. */
export const STEP_STARTED = 1;
export const STEP_ENDED = 2;

export interface CapNhatTienDoHoSoMC {
  MaHoSo: string;
  NguoiXuLy: string;
  ChucDanh: string;
  ThoiDiemXuLy: string;
  PhongBanXuLy: string;
  NoiDungXuLy: string;
  TrangThai: typeof STEP_STARTED | typeof STEP_ENDED;
  NgayBatDau: string;
  NgayKetThucTheoQuyDinh: string;
}

/** The dossier's rows beside the dossier itself, read in the change's transaction. */
export interface DossierSnapshot {
  files: Array<{ id: string; kind: string; component: string | null; name: string; sha256: string }>;
  pauses: Array<{ id: number; fromAt: Date; toAt: Date | null; items: SupplementItem[] }>;
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

/** DongBoHoSoMC for a dossier in national status `status`, at the time of the change. */
export function toDongBoHoSoMC(
  dossier: DossierRow,
  procedure: ProcedureFacts | null,
  status: number,
  extra: { processingAgencyName: string | null; snapshot: DossierSnapshot },
): DongBoHoSoMC {
  const { applicant } = dossier;
  const channel = dossier.channel as DossierChannel;
  const componentName = new Map((procedure?.components ?? []).map((c) => [c.key, c.name]));
  const fees = (procedure?.fees ?? []).filter((f) => f.channel === null || f.channel === channel);
  return {
    MaHoSo: nationalDossierCode(dossier),
    MaTTHC: dossier.procedureCode,
    TenTTHC: procedure?.name ?? "",
    MaLinhVuc: procedure?.field.code ?? "",
    TenLinhVuc: procedure?.field.name ?? "",
    SoBienNhan: dossier.code ?? "",
    ChuHoSo: applicant.name,
    LoaiDoiTuong: applicant.type === "business" ? 2 : 1,
    MaDoiTuong: applicant.idNumber,
    Email: applicant.email ?? "",
    SoDienThoai: applicant.phone ?? "",
    TrichYeuHoSo: procedure?.name ?? dossier.procedureCode,
    NgayTiepNhan: nationalTime(dossier.receivedAt),
    // While the clock is paused there is no due time in force: the one fixed at receipt stands in.
    NgayHenTra: nationalTime(dossier.dueAt ?? dossier.originalDueAt),
    TrangThaiHoSo: status,
    NgayTra: nationalTime(dossier.returnedAt),
    HinhThuc: NATIONAL_CHANNEL[channel] ?? 2,
    NgayKetThucXuLy: nationalTime(dossier.finishedAt),
    DonViXuLy: extra.processingAgencyName ?? dossier.processingAgencyCode,
    TaiLieuNop: extra.snapshot.files
      .filter((f) => f.kind === "component")
      .map((f) => ({
        TepDinhKemId: f.id,
        TenTepDinhKem: f.name,
        MaThanhPhanHoSo: f.component ?? "",
        TenThanhPhanHoSo: (f.component && componentName.get(f.component)) || "",
      })),
    DanhSachLePhi: fees.map((f) => ({ MaPhiLePhi: f.key, TenPhiLePhi: f.name, LoaiPhiLePhi: f.kind === "fee" ? 1 : 2, Gia: f.amount })),
    DanhSachHoSoBoSung: extra.snapshot.pauses.map((p) => ({
      HoSoBoSungId: `${dossier.id}:${p.id}`,
      NgayYeuCauBoSung: nationalTime(p.fromAt),
      NoiDungYeuCauBoSung: supplementText(p.items),
      NgayTiepNhanBoSung: nationalTime(p.toAt),
    })),
    DanhSachGiayToKetQua: extra.snapshot.files
      .filter((f) => f.kind === "result")
      .map((f) => ({ GiayToId: f.id, TenGiayTo: f.name, MaHoaTep: f.sha256 })),
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

/** CapNhatTienDoHoSoMC for a step that started or ended with a change. */
export function toCapNhatTienDoHoSoMC(input: {
  dossier: Pick<DossierRow, "code" | "id">;
  state: typeof STEP_STARTED | typeof STEP_ENDED;
  stepName: string;
  departmentName: string | null;
  startedAt: Date;
  dueAt: Date;
  at: Date;
  actor: Actor;
  actorName: string;
  note: string | null;
}): CapNhatTienDoHoSoMC {
  const what = input.state === STEP_ENDED ? `Hoàn thành bước: ${input.stepName}` : `Bắt đầu bước: ${input.stepName}`;
  return {
    MaHoSo: nationalDossierCode(input.dossier),
    NguoiXuLy: input.actorName,
    ChucDanh: titleOf(input.actor),
    ThoiDiemXuLy: nationalTime(input.at),
    PhongBanXuLy: input.departmentName ?? "",
    NoiDungXuLy: input.note ? `${what}. ${input.note}` : what,
    TrangThai: input.state,
    NgayBatDau: nationalTime(input.startedAt),
    NgayKetThucTheoQuyDinh: nationalTime(input.dueAt),
  };
}
