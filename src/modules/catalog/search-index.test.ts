// The search index reads words as the database does: its tokens, its unaccenting and its trigram similarity
// are checked against PostgreSQL's own (`vietnamese` configuration, vn_unaccent, pg_trgm) on the suite's
// database, so a drift between the two (a new letter, a changed configuration) fails here, not in a citizen's
// search. Its order and filters are checked on a small catalogue built by hand.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Database } from "../../platform/db/index.ts";
import { execRows, sql } from "../../platform/db/index.ts";
import { testDatabase } from "../../../test/helpers/db.ts";
import { buildSearchIndex, type IndexedProcedure, plainWords, similarity, unaccent } from "./search-index.ts";

const TEXTS = [
  "Đăng ký khai sinh có yếu tố nước ngoài",
  "Cấp lại Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở",
  "Thủ tục nhận cha, mẹ, con; ĐĂNG KÝ GIÁM HỘ",
  "Chứng thực bản sao loại 12 (mẫu A5), lần 2",
  "Ưu đãi người có công: trợ cấp hàng tháng năm 2025",
  "Giấy phép khai thác nước dưới đất (nước ngầm); nước mặt!",
  "Hộ kinh doanh; Hợp tác xã; Tổ hợp tác",
  "Quỹ Đổi mới sáng tạo: Ứng dụng Khoa học",
];
/** Texts the index leaves to PostgreSQL's parser. */
const NOT_PLAIN = ["Xác nhận thông tin nhận cha-mẹ-con, Covid-19", "Thủ tục 1.002755", "nước dưới đất/nước mặt", "a@b.vn", "Quỹ — Ứng dụng", "中文"];

describe("catalogue search index", () => {
  let database: Database;
  before(async () => {
    database = await testDatabase();
  });
  after(() => database.close());

  const one = async <T>(query: ReturnType<typeof sql>): Promise<T> => (await execRows<{ v: T }>(database.db, query))[0]!.v;

  it("unaccents as vn_unaccent does", async () => {
    for (const t of TEXTS) assert.equal(unaccent(t), await one<string>(sql`SELECT vn_unaccent(${t}) AS v`), t);
  });

  it("finds in plain text the words the `vietnamese` configuration finds, and leaves any other text to it", async () => {
    for (const t of TEXTS) {
      const lexemes = await one<string[]>(sql`SELECT tsvector_to_array(to_tsvector('vietnamese'::regconfig, ${t})) AS v`);
      assert.deepEqual([...new Set(plainWords(t))].sort(), [...lexemes].sort(), t);
    }
    for (const t of NOT_PLAIN) assert.equal(plainWords(t), null, t);
  });

  it("measures similarity as pg_trgm does", async () => {
    const pairs = [["snh", "sinh"], ["khia", "khai"], ["giay", "gia"], ["ho", "hop"], ["dat", "dang"], ["kinh", "kinh"]] as const;
    for (const [a, b] of pairs) {
      const theirs = await one<number>(sql`SELECT similarity(${a}, ${b})::float8 AS v`);
      assert.ok(Math.abs(similarity(a, b) - theirs) < 1e-6, `${a} ~ ${b}: ${similarity(a, b)} vs ${theirs}`);
    }
  });

  describe("order, filters and corrections", () => {
    const procedure = (code: string, name: string, rest: Partial<IndexedProcedure> = {}): IndexedProcedure => ({
      code,
      name,
      fieldCode: "HT",
      fieldName: "Hộ tịch",
      onlineLevel: "full",
      levels: ["commune"],
      audience: ["citizen"],
      agencyCodes: ["000.01.01.H06"],
      summary: { processingTimes: [], fees: [] },
      currentVersion: 1,
      nameWords: plainWords(name)!,
      words: [...plainWords(name)!, ...plainWords(rest.fieldName ?? "Hộ tịch")!],
      rank: 0,
      alpha: 0,
      ...rest,
    });
    // Ranks as the database gives them: the shorter name first.
    const rows = [
      procedure("1.1", "Đăng ký khai sinh", { rank: 1, alpha: 2 }),
      procedure("1.2", "Đăng ký lại khai sinh", { rank: 2, alpha: 3, agencyCodes: ["000.02.01.H06"] }),
      procedure("1.3", "Cấp bản sao trích lục hộ tịch", { rank: 3, alpha: 1, words: ["cap", "ban", "sao", "trich", "luc", "ho", "tich", "khai", "sinh"] }),
      procedure("1.4", "Đăng ký thành lập hộ kinh doanh", { rank: 4, alpha: 4, fieldCode: "KD", audience: ["business"], onlineLevel: "partial" }),
    ];
    const index = buildSearchIndex(rows, ["ket", "hon"]);
    const codes = (q: string, f: Partial<Parameters<typeof index.search>[0]> = {}) =>
      index.search({ words: q.trim() ? plainWords(q) : null, fieldCode: null, agencySuffix: null, onlineLevel: null, audience: null, limit: 10, offset: 0, ...f }).map((r) => r.code);

    it("puts name matches first in rank order, then matches elsewhere", () => {
      assert.deepEqual(codes("khai sinh"), ["1.1", "1.2", "1.3"]);
      assert.deepEqual(codes("KHAI SINH dang"), ["1.1", "1.2"]);
    });

    it("lists by name without words, nothing for signs alone, and pages", () => {
      assert.deepEqual(codes(""), ["1.3", "1.1", "1.2", "1.4"]);
      assert.deepEqual(codes("12"), []);
      assert.deepEqual(codes("?! ;"), []);
      assert.deepEqual(codes("khai sinh", { offset: 1, limit: 1 }), ["1.2"]);
    });

    it("filters by field, online level, audience and agency subtree", () => {
      assert.deepEqual(codes("dang ky", { fieldCode: "KD" }), ["1.4"]);
      assert.deepEqual(codes("dang ky", { onlineLevel: "full" }), ["1.1", "1.2"]);
      assert.deepEqual(codes("dang ky", { audience: "business" }), ["1.4"]);
      assert.deepEqual(codes("dang ky", { agencySuffix: "02.01.H06" }), ["1.2"]);
    });

    it("corrects an unknown word to the nearest of the vocabulary, keeps known ones", () => {
      assert.deepEqual(index.correct("khai snh"), [
        { typed: "khai", known: true, suggestion: "khai" },
        { typed: "snh", known: false, suggestion: "sinh" },
      ]);
      assert.equal(index.correct("kett")[0]!.suggestion, "ket", "the vocabulary beyond the listed words counts");
      assert.equal(index.correct("xyzxyzxyz")[0]!.suggestion, null);
    });
  });
});
