// How the simulated registries answer: the field names of the national databases' own interfaces (Vietnamese,
// camelCase), not motcua's. The gateway's connectors map them to motcua's (../gateway/mapping.ts).
import type { Business } from "./businesses.ts";
import type { Address, CivilEvent, Person, Population, Relation } from "./people.ts";

const RELATION: Record<Relation, (p: Person) => string> = {
  head: () => "Chủ hộ",
  spouse: (p) => (p.sex === "male" ? "Chồng" : "Vợ"),
  child: () => "Con",
  parent: (p) => (p.sex === "male" ? "Bố" : "Mẹ"),
};

const MARITAL = { single: "Chưa kết hôn", married: "Đã kết hôn", divorced: "Ly hôn", widowed: "Góa" } as const;
const STATUS = { active: "Đang hoạt động", suspended: "Tạm ngừng kinh doanh", dissolved: "Đã giải thể" } as const;
const ROLE = { child: "Con", father: "Cha", mother: "Mẹ", husband: "Chồng", wife: "Vợ" } as const;

function place(a: Address) {
  return { chiTiet: a.detail, maXa: a.commune.code, tenXa: a.commune.name, maTinh: a.commune.provinceCode, tenTinh: a.commune.provinceName };
}

export function citizenAnswer(population: Population, p: Person) {
  return {
    soDinhDanh: p.cccd,
    hoVaTen: p.fullName,
    ngaySinh: p.birthDate,
    gioiTinh: p.sex === "male" ? "Nam" : "Nữ",
    quocTich: "Việt Nam",
    noiThuongTru: place(p.permanent),
    noiOHienTai: place(p.current),
    tinhTrangHonNhan: MARITAL[p.maritalStatus],
    hoGiaDinh: {
      maHo: p.householdId,
      quanHeVoiChuHo: RELATION[p.relation](p),
      thanhVien: population.household(p).map((m) => ({ soDinhDanh: m.cccd, hoVaTen: m.fullName, quanHeVoiChuHo: RELATION[m.relation](m) })),
    },
  };
}

export function businessAnswer(b: Business) {
  return {
    maSoThue: b.taxCode,
    tenDoanhNghiep: b.name,
    diaChi: place(b.address),
    nguoiDaiDien: { soDinhDanh: b.representative.cccd, hoVaTen: b.representative.fullName, chucDanh: "Giám đốc" },
    tinhTrang: STATUS[b.status],
    ngayThanhLap: b.registeredOn,
    nganhNghe: b.industries.map(([ma, ten], i) => ({ ma, ten, chinh: i === 0 })),
  };
}

export function civilEventsAnswer(events: CivilEvent[]) {
  return {
    suKien: events.map((e) => ({
      loai: e.kind === "birth" ? "Khai sinh" : "Kết hôn",
      soDangKy: e.registrationNumber,
      ngayDangKy: e.registeredOn,
      noiDangKy: { maXa: e.commune.code, tenXa: e.commune.name, maTinh: e.commune.provinceCode, tenTinh: e.commune.provinceName },
      nguoiLienQuan: e.people.map((p) => ({ vaiTro: ROLE[p.role], soDinhDanh: p.cccd, hoVaTen: p.fullName, ngaySinh: p.birthDate })),
    })),
  };
}
