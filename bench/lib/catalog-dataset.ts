// A fixed, generated catalogue for the search benchmark: N procedures whose names combine real
// administrative verbs, objects and qualifiers (so words repeat across thousands of names, as in a real
// province's catalogue), and a fixed mix of queries typed with and without diacritics, with typos and
// with filters. The same seed gives the same data and queries on every run and both databases.
import { sql } from "../../src/platform/db/drizzle.ts";
import type { Db } from "../../src/platform/db/index.ts";
import type { ProcedureContent } from "../../src/modules/catalog/model.ts";
import { listedColumns } from "../../src/modules/catalog/present.ts";
import { procedures, procedureVersions } from "../../src/modules/catalog/tables.ts";
import { buildProcedure } from "../../src/modules/catalog/testing.ts";

const VERBS = ["Cấp", "Cấp lại", "Cấp đổi", "Đăng ký", "Đăng ký lại", "Gia hạn", "Điều chỉnh", "Thu hồi", "Xác nhận", "Chứng thực", "Thẩm định", "Phê duyệt", "Công nhận", "Hỗ trợ", "Giải quyết"];
const OBJECTS = [
  "khai sinh", "kết hôn", "khai tử", "giám hộ", "nhận cha, mẹ, con", "thay đổi, cải chính hộ tịch", "giấy phép xây dựng",
  "giấy phép xây dựng nhà ở riêng lẻ", "giấy chứng nhận quyền sử dụng đất", "biến động đất đai", "chuyển mục đích sử dụng đất",
  "hộ kinh doanh", "giấy chứng nhận đăng ký doanh nghiệp", "phiếu lý lịch tư pháp", "bản sao từ bản chính", "chữ ký",
  "hợp đồng, giao dịch", "thường trú", "tạm trú", "trợ cấp xã hội hàng tháng", "chi phí mai táng", "mức độ khuyết tật",
  "giấy phép kinh doanh rượu", "giấy phép khai thác nước dưới đất", "đăng ký môi trường", "chứng chỉ hành nghề luật sư",
  "chứng chỉ hành nghề công chứng", "giấy phép lái xe", "biển số xe", "giấy phép hoạt động giáo dục", "học bổng chính sách",
  "giấy phép tổ chức lễ hội", "giấy phép quảng cáo", "an toàn thực phẩm", "giấy phép hoạt động dược", "chứng chỉ hành nghề y",
  "giấy phép nuôi trồng thủy sản", "giấy chứng nhận kinh tế trang trại", "giấy phép khai thác khoáng sản", "đăng ký tàu cá",
];
const QUALIFIERS = ["", "", "", " có yếu tố nước ngoài", " cho hộ gia đình, cá nhân", " đối với doanh nghiệp", " trong trường hợp bị mất", " lần đầu", " tại cấp xã", " cho người khuyết tật"];
const FIELDS = [
  ["HT", "Hộ tịch"], ["XD", "Hoạt động xây dựng"], ["DD", "Đất đai"], ["KD", "Hộ kinh doanh"], ["DN", "Thành lập và hoạt động doanh nghiệp"],
  ["LLTP", "Lý lịch tư pháp"], ["CT", "Chứng thực"], ["CTR", "Cư trú"], ["BTXH", "Bảo trợ xã hội"], ["MT", "Môi trường"],
  ["LS", "Luật sư"], ["CC", "Công chứng"], ["GT", "Đường bộ"], ["GD", "Giáo dục và Đào tạo"], ["VH", "Văn hóa"],
  ["YT", "Khám bệnh, chữa bệnh"], ["TS", "Thủy sản"], ["NN", "Nông nghiệp"], ["KS", "Khoáng sản"], ["TP", "An toàn thực phẩm"],
] as const;
const AGENCIES = ["000.00.11.H06", "000.00.12.H06", "000.00.13.H06", "000.00.51.H06", "000.00.52.H06"];

/** A small deterministic PRNG (mulberry32), so every run has the same data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;

export function generateProcedures(n: number, seed = 766): ProcedureContent[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const object = pick(r, OBJECTS);
    const [fieldCode, fieldName] = pick(r, FIELDS);
    const agency = pick(r, AGENCIES);
    return buildProcedure({
      code: `1.${String(100000 + i).padStart(6, "0")}`,
      name: `${pick(r, VERBS)} ${object}${pick(r, QUALIFIERS)}`,
      description: `Thủ tục về ${object} thuộc lĩnh vực ${fieldName.toLowerCase()}, thực hiện tại ${agency.endsWith("5") ? "cấp xã" : "cấp tỉnh"}.`,
      field: { code: fieldCode, name: fieldName },
      agencies: [agency],
      audience: r() < 0.25 ? ["business"] : r() < 0.5 ? ["citizen", "business"] : ["citizen"],
      onlineLevel: r() < 0.6 ? "full" : "partial",
    });
  });
}

/** Loads the procedures as published version 1, in batches (the bench only: no audit, no checks). */
export async function loadProcedures(db: Db, list: ProcedureContent[]): Promise<void> {
  const now = new Date();
  for (let i = 0; i < list.length; i += 500) {
    const batch = list.slice(i, i + 500);
    await db.insert(procedures).values(
      batch.map((c) => ({
        code: c.code,
        currentVersion: 1,
        ...listedColumns(c),
        publishedAt: now,
      })),
    );
    await db.insert(procedureVersions).values(
      batch.map((c) => ({
        procedureCode: c.code,
        version: 1,
        content: c,
        createdBy: "system:bench",
        createdAt: now,
        updatedBy: "system:bench",
        updatedAt: now,
        publishedAt: now,
        publishedBy: "system:bench",
      })),
    );
  }
  await db.execute(sql`INSERT INTO catalog_words (word) SELECT DISTINCT unnest(tsvector_to_array(search_vector)) FROM procedures ON CONFLICT DO NOTHING`);
  // A bulk load leaves the GIN indexes' pending lists full until autovacuum comes by: clean them now, as
  // a catalogue that has been in service for a while would be.
  await db.execute(sql`VACUUM ANALYZE procedures`);
}

const strip = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D");

/** One typo: a letter dropped or two neighbours swapped, in a word of four letters or more. */
function typo(r: () => number, text: string): string {
  const words = text.split(" ");
  const candidates = words.map((w, i) => [w, i] as const).filter(([w]) => w.length >= 4);
  if (candidates.length === 0) return text;
  const [w, i] = pick(r, candidates);
  const at = 1 + Math.floor(r() * (w.length - 2));
  words[i] = r() < 0.5 ? w.slice(0, at) + w.slice(at + 1) : w.slice(0, at) + w[at + 1] + w[at] + w.slice(at + 2);
  return words.join(" ");
}

/**
 * `n` searches that are all different (the node's cache of repeated searches cannot answer any of them), in the
 * proportions of the fixed mix below: a verb or not, an object, a qualifier or not, typed with or without
 * diacritics or with a typo, a filter on a fifth of them, and a second page now and then.
 */
export function generateDistinctQueries(n: number, seed = 766_2026): string[] {
  const r = rng(seed);
  const seen = new Set<string>();
  while (seen.size < n) {
    const phrase = `${r() < 0.5 ? "" : `${pick(r, VERBS)} `}${pick(r, OBJECTS)}${pick(r, QUALIFIERS)}`.toLowerCase();
    const kind = r();
    const params = new URLSearchParams();
    params.set("q", kind < 0.35 ? phrase : kind < 0.65 ? strip(phrase) : kind < 0.8 ? typo(r, strip(phrase)) : r() < 0.5 ? phrase : strip(phrase));
    if (kind >= 0.8) {
      const filter = r();
      if (filter < 0.25) params.set("field", pick(r, FIELDS)[0]);
      else if (filter < 0.5) params.set("level", r() < 0.5 ? "full" : "partial");
      else if (filter < 0.75) params.set("audience", r() < 0.5 ? "citizen" : "business");
      else params.set("agency", pick(r, [...AGENCIES, "000.00.00.H06"]));
    }
    if (r() < 0.1) params.set("page", "2");
    seen.add(`/api/procedures?${params.toString()}`);
  }
  return [...seen];
}

/** The fixed mix: 35 % with diacritics, 30 % without, 15 % with a typo, 20 % with a filter. Paths of GET /api/procedures. */
export function generateQueries(n: number, seed = 2026): string[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => {
    const phrase = r() < 0.5 ? pick(r, OBJECTS) : `${pick(r, VERBS)} ${pick(r, OBJECTS)}`.toLowerCase();
    const kind = r();
    const params = new URLSearchParams();
    if (kind < 0.35) params.set("q", phrase);
    else if (kind < 0.65) params.set("q", strip(phrase));
    else if (kind < 0.8) params.set("q", typo(r, strip(phrase)));
    else {
      params.set("q", r() < 0.5 ? phrase : strip(phrase));
      const filter = r();
      if (filter < 0.25) params.set("field", pick(r, FIELDS)[0]);
      else if (filter < 0.5) params.set("level", r() < 0.5 ? "full" : "partial");
      else if (filter < 0.75) params.set("audience", r() < 0.5 ? "citizen" : "business");
      else params.set("agency", pick(r, [...AGENCIES, "000.00.00.H06"]));
    }
    return `/api/procedures?${params.toString()}`;
  });
}
