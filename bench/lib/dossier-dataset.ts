// A generated province's two years of dossiers for the dossier benchmark (issue 5, item 14): N dossiers
// (1,000,000 by default) over the demo agencies and 20 procedures, with their history, loaded with
// set-based SQL — one `INSERT … SELECT … FROM generate_series` per chunk of ~100,000 dossiers that also
// writes their events — so a million rows load in minutes, not hours of row-by-row inserts.
//
// Everything is derived from the series number `i` (hashint8 of it, md5 of it), never from random(): the
// same N gives the same rows, codes and keys on every run and on both databases. `i` runs in time order:
// dossier i is received on working day ⌊(i − 1)·D / N⌋ of the last two years, so the daily numbers of the
// codes `{agency}-{YYMMDD}-{NNNN}` are a row_number() within a chunk, chunks never split a day, and the
// counters (`dossier_counters`) are exactly the last numbers used — a receipt on a loaded day continues
// its sequence.
import fs from "node:fs";
import { DEMO_PLACE, buildProvincialProcedure } from "../../src/modules/dossiers/testing.ts";
import type { ProcedureContent } from "../../src/modules/catalog/model.ts";
import { buildProcedure } from "../../src/modules/catalog/testing.ts";

/** Runs one SQL statement (no parameters: every value here is generated, none user-supplied). */
export type Exec = (statement: string) => Promise<Array<Record<string, unknown>>>;

const { centre: CENTRE, justice: JUSTICE } = DEMO_PLACE;
const CONSTRUCTION = "000.00.12.H06";
const AGRICULTURE = "000.00.13.H06";
const COMMUNES = ["000.00.51.H06", "000.00.52.H06"];

/** A provincial procedure: received at the centre, examined and signed at `agency` (its own department). */
function provincial(code: string, name: string, agency: string, department: string, fieldCode: string, fieldName: string): ProcedureContent {
  const base = buildProvincialProcedure(DEMO_PLACE);
  return buildProvincialProcedure(DEMO_PLACE, {
    code,
    name,
    field: { code: fieldCode, name: fieldName },
    agencies: [agency],
    steps: base.steps.map((s) => (s.key === "tham-dinh" ? { ...s, department } : s)),
  });
}

/** A commune procedure, received and decided at either demo commune. */
function commune(code: string, name: string, fieldCode: string, fieldName: string): ProcedureContent {
  return buildProcedure({ code, name, field: { code: fieldCode, name: fieldName }, levels: ["commune"], agencies: COMMUNES });
}

/** The 20 procedures the dossiers are filed under (12 provincial, 8 commune). */
export function datasetProcedures(): ProcedureContent[] {
  return [
    provincial("1.800001", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", JUSTICE, "hanh-chinh-tu-phap", "LLTP", "Lý lịch tư pháp"),
    provincial("1.800002", "Đăng ký hành nghề luật sư với tư cách cá nhân", JUSTICE, "bo-tro-tu-phap", "LS", "Luật sư"),
    provincial("1.800003", "Đăng ký hoạt động của văn phòng công chứng", JUSTICE, "bo-tro-tu-phap", "CC", "Công chứng"),
    provincial("1.800004", "Thay đổi, cải chính hộ tịch có yếu tố nước ngoài", JUSTICE, "hanh-chinh-tu-phap", "HT", "Hộ tịch"),
    provincial("1.800005", "Cấp giấy phép xây dựng mới đối với công trình cấp II", CONSTRUCTION, "quan-ly-xay-dung", "XD", "Hoạt động xây dựng"),
    provincial("1.800006", "Cấp chứng chỉ hành nghề hoạt động xây dựng", CONSTRUCTION, "quan-ly-xay-dung", "XD", "Hoạt động xây dựng"),
    provincial("1.800007", "Cấp giấy phép quy hoạch dự án đầu tư xây dựng", CONSTRUCTION, "quy-hoach-kien-truc", "QH", "Quy hoạch xây dựng"),
    provincial("1.800008", "Thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở", CONSTRUCTION, "quan-ly-xay-dung", "XD", "Hoạt động xây dựng"),
    provincial("1.800009", "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", AGRICULTURE, "quan-ly-dat-dai", "DD", "Đất đai"),
    provincial("1.800010", "Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền", AGRICULTURE, "quan-ly-dat-dai", "DD", "Đất đai"),
    provincial("1.800011", "Cấp giấy phép môi trường", AGRICULTURE, "moi-truong", "MT", "Môi trường"),
    provincial("1.800012", "Cấp giấy phép khai thác nước dưới đất", AGRICULTURE, "moi-truong", "TNN", "Tài nguyên nước"),
    commune("1.800013", "Đăng ký khai sinh", "HT", "Hộ tịch"),
    commune("1.800014", "Đăng ký kết hôn", "HT", "Hộ tịch"),
    commune("1.800015", "Đăng ký khai tử", "HT", "Hộ tịch"),
    commune("1.800016", "Cấp bản sao trích lục hộ tịch", "HT", "Hộ tịch"),
    commune("1.800017", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", "CT", "Chứng thực"),
    commune("1.800018", "Chứng thực chữ ký trong các giấy tờ, văn bản", "CT", "Chứng thực"),
    commune("1.800019", "Xác nhận tình trạng hôn nhân", "HT", "Hộ tịch"),
    commune("1.800020", "Thực hiện trợ cấp xã hội hàng tháng", "BTXH", "Bảo trợ xã hội"),
  ];
}

/**
 * The service centres the submission benchmark files at (made by the bench's setup, 000.00.X0.H06 …): a filing
 * takes its receiving agency's dossier code, a daily sequence of at most 9,999 (issue 14, item 6), holding the
 * agency's counter row until it commits. Spread over 100 centres, as a province's filings are, a run of the
 * benchmark and its pgbench baseline (some 200,000 filings a day at three rounds of 10 s) stays under each
 * centre's 9,999 and measures filings, not one counter's lock.
 */
export const SUBMIT_AGENCIES: readonly string[] = Array.from(
  { length: 100 },
  (_, i) => `000.00.${"XYZ"[Math.floor(i / 36)]}${"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i % 36]}.H06`,
);
/** The departments of each of SUBMIT_AGENCIES: those the submission procedure's steps name. */
export const SUBMIT_AGENCY_DEPARTMENTS = [
  { code: "tiep-nhan", name: "Bộ phận tiếp nhận và trả kết quả" },
  { code: "hanh-chinh-tu-phap", name: "Phòng Hành chính tư pháp" },
  { code: "van-phong", name: "Văn phòng" },
];

/** The procedure the submission benchmark files online: no required paper, so `submit: true` succeeds without uploads. */
export const SUBMIT_PROCEDURE_CODE = "1.800099";
export function submitProcedure(): ProcedureContent {
  const p = buildProvincialProcedure(DEMO_PLACE, { code: SUBMIT_PROCEDURE_CODE, name: "Cấp phiếu thử nghiệm nộp trực tuyến (đo tải)" });
  return {
    ...p,
    // Received and decided at any of the bench's centres: no step names an agency of its own.
    agencies: [...SUBMIT_AGENCIES],
    steps: p.steps.map((s) => ({ ...s, agency: null })),
    components: p.components.map((c) => ({ ...c, required: false })),
  };
}

/**
 * The procedure the registries benchmark files (bench/registries.ts): the demo catalogue's criminal-record
 * certificate form (1.900201), whose name, sex, birth date, nationality, CCCD and permanent residence map to the
 * population registry (authoritative), filed online at the bench's centres with no required paper.
 */
export const REGISTRY_PROCEDURE_CODE = "1.800098";
export function registryProcedure(): ProcedureContent {
  const demo = (JSON.parse(fs.readFileSync(new URL("../../data/catalog/procedures.json", import.meta.url), "utf8")) as { procedures: ProcedureContent[] }).procedures.find((p) => p.code === "1.900201");
  if (!demo) throw new Error("data/catalog/procedures.json: no 1.900201");
  const p = submitProcedure();
  return {
    ...p,
    code: REGISTRY_PROCEDURE_CODE,
    name: "Cấp Phiếu lý lịch tư pháp thử nghiệm điền sẵn từ CSDL (đo tải)",
    audience: ["citizen"],
    form: demo.form,
    components: demo.components.map((c) => ({ ...c, required: false })),
  };
}

export interface LoadOptions {
  n: number;
  /** Events for one dossier in `eventsEvery` (1: all of them). */
  eventsEvery?: number;
  rowsPerChunk?: number;
  log?: (line: string) => void;
}

export interface LoadResult {
  dossiers: number;
  events: number;
  days: number;
  ms: { dossiers: number; counters: number; vacuum: number; total: number };
}

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
const arr = (list: readonly string[]) => `ARRAY[${list.map(q).join(",")}]::text[]`;

// Fictitious applicants: common family, middle and given names combined by the hash of the series number.
const FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"];
const MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Đức", "Quang", "Thu", "Xuân", "Gia", "Bảo"];
const GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Hương", "Lan", "Linh", "Long", "Mai", "Nam", "Ngọc", "Phong", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến", "Khánh"];
const STREETS = ["Ngô Gia Tự", "Lý Thái Tổ", "Trần Hưng Đạo", "Nguyễn Văn Cừ", "Kinh Dương Vương", "Hai Bà Trưng", "Lê Thái Tổ", "Huyền Quang"];

/**
 * Each status's history, in order: the events a dossier in that state has (the online ones begin with
 * `submit`). `at` says which of the dossier's times the event happened at.
 */
const HISTORY: Array<[status: string, ord: number, action: string, from: string, to: string, at: string]> = [
  ["new", 0, "submit", "draft", "new", "submitted"],
  ...(["processing", "supplementing", "done", "returned", "refused", "withdrawn"] as const).flatMap((s) => [
    [s, 0, "submit", "draft", "new", "submitted"] as [string, number, string, string, string, string],
    [s, 1, "received", "new", "processing", "received"] as [string, number, string, string, string, string],
    [s, 2, "receive", "new", "processing", "received"] as [string, number, string, string, string, string],
  ]),
  ["supplementing", 3, "request_supplement", "processing", "supplementing", "paused"],
  ["done", 3, "forward", "processing", "processing", "middle"],
  ["done", 4, "finish", "processing", "done", "finished"],
  ["returned", 3, "forward", "processing", "processing", "middle"],
  ["returned", 4, "finish", "processing", "done", "finished"],
  ["returned", 5, "return", "done", "returned", "returned"],
  ["refused", 3, "refuse", "processing", "refused", "finished"],
  ["withdrawn", 3, "withdraw", "processing", "withdrawn", "finished"],
];

/**
 * Loads N dossiers and their events into the (migrated, seeded) database behind `exec`, then
 * `dossier_counters`, then VACUUM ANALYZE. The procedures of `datasetProcedures()` must be published.
 */
export async function loadDossiers(exec: Exec, opts: LoadOptions): Promise<LoadResult> {
  const started = Date.now();
  const { n } = opts;
  const every = Math.max(1, opts.eventsEvery ?? 1);
  const rowsPerChunk = opts.rowsPerChunk ?? 100_000;
  const log = opts.log ?? (() => {});
  const procs = datasetProcedures();
  const citizen = await exec(`SELECT id FROM users WHERE username = '001199000001'`);
  const citizenId = String(citizen[0]?.id ?? "no-citizen");
  const officers = await exec(`SELECT id, username FROM users WHERE username IN ('tiepnhan', 'chuyenvien.tuphap')`);
  const officerId = (u: string) => String(officers.find((r) => r.username === u)?.id ?? u);

  // Working days (Mon–Fri) of the two years up to yesterday, Vietnam time, numbered from 0.
  await exec(`DROP TABLE IF EXISTS bench_days`);
  await exec(`CREATE UNLOGGED TABLE bench_days AS
    SELECT (row_number() OVER (ORDER BY d) - 1)::int AS idx, d::date AS day
    FROM generate_series(((now() AT TIME ZONE 'UTC') + interval '7 hours')::date - 730, ((now() AT TIME ZONE 'UTC') + interval '7 hours')::date - 1, interval '1 day') AS d
    WHERE extract(isodow FROM d) < 6`);
  await exec(`CREATE UNIQUE INDEX ON bench_days (idx)`);
  const days = Number((await exec(`SELECT count(*)::int AS n FROM bench_days`))[0]!.n);

  const procValues = procs
    .map((p, k) => {
      const isCommune = p.agencies.every((a) => COMMUNES.includes(a));
      // Processing times from 3 to 20 working days; the calendar is approximated by 1.4 calendar days each.
      const department = p.steps.find((st) => st.role === "specialist")?.department ?? null;
      return `(${k}, ${q(p.code)}, ${isCommune}, ${q(p.agencies[0]!)}, ${3 + ((k * 7) % 18)}, ${department ? q(department) : "NULL"})`;
    })
    .join(", ");
  const history = HISTORY.map(([s, o, a, f, t, at]) => `(${q(s)}, ${o}, ${q(a)}, ${q(f)}, ${q(t)}, ${q(at)})`).join(", ");

  // A bulk load of rows consistent by construction: the foreign-key triggers of the events (a lookup of
  // the dossier per event) would double the load time and check nothing. Restored right after.
  await exec(`SET session_replication_role = replica`);
  await exec(`SET work_mem = '128MB'`);
  let events = 0;
  const daysPerChunk = Math.max(1, Math.ceil((rowsPerChunk * days) / n));
  try {
    for (let d0 = 0; d0 < days; d0 += daysPerChunk) {
      const d1 = Math.min(days, d0 + daysPerChunk);
      // Dossier i is on day ⌊(i − 1)·D / N⌋: the first i of day d is ⌈d·N / D⌉ + 1.
      const i0 = Math.ceil((d0 * n) / days) + 1;
      const i1 = Math.ceil((d1 * n) / days);
      if (i1 < i0) continue;
      const t = Date.now();
      const rows = await exec(chunkSql({ i0, i1, n, days, procValues, history, every, citizenId, receiver: officerId("tiepnhan"), specialist: officerId("chuyenvien.tuphap") }));
      events += Number(rows[0]?.events ?? 0);
      log(`  dossiers ${i0.toLocaleString("en")}–${i1.toLocaleString("en")} (days ${d0}–${d1 - 1}) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
  } finally {
    await exec(`RESET session_replication_role`);
    await exec(`RESET work_mem`);
  }
  const loaded = Date.now();
  await exec(`INSERT INTO dossier_counters (agency_code, day, last)
    SELECT agency_code, to_date(split_part(code, '-', 2), 'YYMMDD'), max(split_part(code, '-', 3)::int)
    FROM dossiers WHERE code IS NOT NULL GROUP BY 1, 2
    ON CONFLICT (agency_code, day) DO UPDATE SET last = greatest(dossier_counters.last, excluded.last)`);
  await exec(`DROP TABLE bench_days`);
  const counted = Date.now();
  // As a database in service would be: visibility map set (index-only scans), statistics current.
  for (const table of ["dossiers", "dossier_events", "dossier_counters"]) await exec(`VACUUM ANALYZE ${table}`);
  const done = Date.now();
  return { dossiers: n, events, days, ms: { dossiers: loaded - started, counters: counted - loaded, vacuum: done - counted, total: done - started } };
}

interface ChunkArgs {
  i0: number;
  i1: number;
  n: number;
  days: number;
  procValues: string;
  history: string;
  every: number;
  citizenId: string;
  receiver: string;
  specialist: string;
}

/** One chunk: the dossiers of days [d0, d1) and, in the same statement, their events. */
function chunkSql(a: ChunkArgs): string {
  const h = (k: number) => `(hashint8(g.i * 16 + ${k}) & 2147483647)`;
  return `
WITH p (idx, code, commune, implementing, days, department) AS (VALUES ${a.procValues}),
s0 AS (
  SELECT g.i, bd.idx AS day_idx, bd.day,
    ((g.i - 1)::bigint * ${a.days} % ${a.n})::float8 / ${a.n} AS frac,
    ${h(1)} AS h1, ${h(2)} AS h2, ${h(3)} AS h3, ${h(4)} AS h4, ${h(5)} AS h5, ${h(6)} AS h6, ${h(7)} AS h7, ${h(8)} AS h8
  FROM generate_series(${a.i0}::bigint, ${a.i1}::bigint) AS g(i)
  JOIN bench_days bd ON bd.idx = ((g.i - 1) * ${a.days} / ${a.n})::int
),
s1 AS (
  SELECT s0.*, p.code AS procedure_code, p.days AS proc_days, p.department,
    CASE WHEN p.commune THEN (${arr(COMMUNES)})[1 + s0.h2 % 2] ELSE ${q(CENTRE)} END AS receiving,
    CASE WHEN p.commune THEN (${arr(COMMUNES)})[1 + s0.h2 % 2] ELSE p.implementing END AS implementing,
    -- The last 12 working days hold the open dossiers; older ones are almost all returned.
    CASE WHEN s0.day_idx >= ${a.days - 12} THEN
      CASE WHEN s0.h3 % 1000 < 150 THEN 'new' WHEN s0.h3 % 1000 < 650 THEN 'processing' WHEN s0.h3 % 1000 < 750 THEN 'supplementing'
           WHEN s0.h3 % 1000 < 850 THEN 'done' ELSE 'returned' END
    ELSE
      CASE WHEN s0.h3 % 1000 < 4 THEN 'processing' WHEN s0.h3 % 1000 < 8 THEN 'supplementing' WHEN s0.h3 % 1000 < 25 THEN 'done'
           WHEN s0.h3 % 1000 < 45 THEN 'refused' WHEN s0.h3 % 1000 < 55 THEN 'withdrawn' ELSE 'returned' END
    END AS status,
    -- Office hours 07:30–17:00 Vietnam time (UTC+7, no daylight saving), in series order within the day.
    ((s0.day + time '07:30' + s0.frac * interval '9 hours 30 minutes') - interval '7 hours') AT TIME ZONE 'UTC' AS t0
  FROM s0 JOIN p ON p.idx = s0.h1 % 20
),
s2 AS (
  SELECT s1.*,
    CASE WHEN s1.status = 'new' OR s1.h4 % 100 < 45 THEN 'online' WHEN s1.h4 % 100 < 98 THEN 'counter' ELSE 'post' END AS channel,
    s1.status <> 'new' AS received,
    s1.t0 + s1.proc_days * interval '1 day 9 hours 36 minutes' AS due,
    CASE WHEN s1.status IN ('done', 'returned', 'refused', 'withdrawn')
      THEN s1.t0 + s1.proc_days * interval '1 day 9 hours 36 minutes' * ((s1.h6 % 100 + 5)::float8 / 97) END AS finished,
    CASE WHEN s1.status IN ('done', 'returned', 'refused', 'withdrawn') THEN
      CASE WHEN s1.h6 % 100 < 80 THEN 'early' WHEN s1.h6 % 100 < 92 THEN 'on_time' ELSE 'late' END END AS timeliness
  FROM s1
),
s3 AS (
  SELECT s2.*,
    CASE WHEN s2.received THEN row_number() OVER (PARTITION BY s2.receiving, s2.day_idx, s2.received ORDER BY s2.i) END AS num,
    CASE WHEN s2.channel = 'online' THEN s2.t0 - (s2.h5 % 7200) * interval '1 second' ELSE s2.t0 - (s2.h5 % 900) * interval '1 second' END AS created
  FROM s2
),
ins AS (
  INSERT INTO dossiers (id, code, lookup_key, procedure_code, procedure_version, agency_code, province_code, processing_agency_code,
    channel, status, national_status, applicant, owner_user_id, form_data, created_by, request_id, created_at, updated_at,
    submitted_at, received_at, due_at, original_due_at, paused_at, finished_at, returned_at, timeliness, step_index, step_due_at,
    assignee_user_id, assignee_department, supplements_after_receipt, overdue_at, due_soon_at, result_file_sha256, return_method)
  SELECT
    md5('bench-dossier-' || s3.i)::uuid::text,
    CASE WHEN s3.received THEN s3.receiving || '-' || to_char(s3.day, 'YYMMDD') || '-' || CASE WHEN s3.num < 10000 THEN lpad(s3.num::text, 4, '0') ELSE s3.num::text END END,
    -- Crockford base32 (no I, L, O, U), like newLookupKey(): base64 of a digest, upper-cased, the rest mapped.
    CASE WHEN s3.received THEN translate(upper(substr(encode(decode(md5('bench-key-' || s3.i), 'hex'), 'base64'), 1, 8)), 'ILOU+/', 'JKMN01') END,
    s3.procedure_code, 1, s3.receiving, '24',
    CASE WHEN s3.status IN ('processing', 'supplementing') THEN s3.implementing ELSE s3.receiving END,
    s3.channel, s3.status,
    CASE s3.status WHEN 'new' THEN 1 WHEN 'processing' THEN 4 WHEN 'supplementing' THEN 5 WHEN 'done' THEN 9 WHEN 'returned' THEN 10
      WHEN 'refused' THEN 8 WHEN 'withdrawn' THEN 7 END,
    jsonb_build_object(
      'type', 'citizen',
      'name', (${arr(FAMILY)})[1 + s3.h7 % ${FAMILY.length}] || ' ' || (${arr(MIDDLE)})[1 + (s3.h7 / 16) % ${MIDDLE.length}] || ' ' || (${arr(GIVEN)})[1 + (s3.h7 / 256) % ${GIVEN.length}],
      -- CCCD: birth province (027 Bắc Ninh, 001 Hà Nội), sex and century, year of birth, six digits.
      'idNumber', CASE WHEN s3.h8 % 10 < 8 THEN '027' ELSE '001' END || ((s3.h8 / 10) % 4)::text || lpad(((s3.h8 / 40) % 100)::text, 2, '0') || lpad(((s3.h8 / 4000) % 1000000)::text, 6, '0'),
      'phone', '09' || lpad((s3.h5 % 100000000)::text, 8, '0'),
      'email', NULL,
      'address', 'Số ' || (1 + s3.h7 % 300) || ' đường ' || (${arr(STREETS)})[1 + (s3.h7 / 8192) % ${STREETS.length}] || ', Bắc Ninh'),
    CASE WHEN s3.channel <> 'online' THEN NULL WHEN s3.i % 20000 = 0 THEN ${q(a.citizenId)} ELSE md5('bench-citizen-' || s3.h5 % 300000)::uuid::text END,
    jsonb_build_object('hoTen', 'Người nộp ' || s3.i, 'soCccd', lpad((s3.h8 % 1000000000000)::text, 12, '0')),
    CASE WHEN s3.channel = 'online' THEN 'user:' || md5('bench-citizen-' || s3.h5 % 300000)::uuid::text ELSE ${q(`user:${a.receiver}`)} END,
    md5('bench-request-' || s3.i)::uuid::text,
    s3.created, coalesce(s3.finished + (1 + s3.h5 % 72) * interval '1 hour', s3.t0),
    CASE WHEN s3.channel = 'online' THEN s3.t0 - (s3.h5 % 600) * interval '1 second' ELSE s3.t0 END,
    CASE WHEN s3.received THEN s3.t0 END,
    CASE WHEN s3.received AND s3.status <> 'supplementing' THEN s3.due END,
    CASE WHEN s3.received THEN s3.due END,
    CASE WHEN s3.status = 'supplementing' THEN s3.t0 + interval '1 day' END,
    s3.finished,
    CASE WHEN s3.status = 'returned' THEN s3.finished + (1 + s3.h5 % 72) * interval '1 hour' END,
    s3.timeliness,
    CASE WHEN s3.status IN ('processing', 'supplementing') THEN 1 + s3.h2 % 2 WHEN s3.status = 'done' THEN 3 END,
    CASE WHEN s3.status IN ('processing', 'supplementing', 'done') THEN s3.t0 + interval '2 days' END,
    CASE WHEN s3.status IN ('processing', 'supplementing') AND s3.implementing = ${q(JUSTICE)} THEN ${q(a.specialist)} END,
    CASE WHEN s3.status IN ('processing', 'supplementing') THEN s3.department END,
    CASE WHEN s3.status IN ('supplementing', 'done', 'returned') AND s3.h3 % 7 = 0 THEN 1 ELSE 0 END,
    CASE WHEN s3.status = 'processing' AND s3.due < now() THEN s3.due END,
    CASE WHEN s3.status = 'processing' AND s3.due < now() + interval '1 day' THEN least(s3.due, now()) END,
    CASE WHEN s3.status IN ('done', 'returned') THEN encode(sha256(('bench-result-' || s3.i)::bytea), 'hex') END,
    CASE WHEN s3.status = 'returned' THEN CASE WHEN s3.channel = 'online' THEN 'online' ELSE 'counter' END END
  FROM s3
  RETURNING id, status, channel, created_at, submitted_at, received_at, due_at, original_due_at, paused_at, finished_at, returned_at, created_by
),
hist (status, ord, action, from_status, to_status, at_kind) AS (VALUES ${a.history}),
ev AS (
  INSERT INTO dossier_events (dossier_id, province_code, at, actor, actor_name, action, from_status, to_status, note, details)
  SELECT ins.id, '24',
    CASE hist.at_kind WHEN 'submitted' THEN ins.submitted_at WHEN 'received' THEN ins.received_at WHEN 'paused' THEN ins.paused_at
      WHEN 'middle' THEN ins.received_at + (ins.finished_at - ins.received_at) / 2 WHEN 'finished' THEN ins.finished_at ELSE ins.returned_at END,
    CASE WHEN hist.action = 'submit' THEN ins.created_by ELSE ${q(`user:${a.receiver}`)} END,
    CASE WHEN hist.action = 'submit' THEN 'Người nộp hồ sơ' ELSE 'Trần Văn Tiếp' END,
    hist.action,
    -- A counter dossier is received from its draft.
    CASE WHEN ins.channel <> 'online' AND hist.from_status = 'new' THEN 'draft' ELSE hist.from_status END,
    hist.to_status, NULL,
    CASE hist.action WHEN 'receive' THEN jsonb_build_object('dueAt', ins.original_due_at) WHEN 'request_supplement' THEN jsonb_build_object('items', jsonb_build_array(jsonb_build_object('component', 'cccd', 'reason', 'Bản sao không rõ nét'))) END
  FROM ins JOIN hist ON hist.status = ins.status AND (hist.action <> 'submit' OR ins.channel = 'online')
  WHERE ${a.every === 1 ? "true" : `abs(hashtext(ins.id)) % ${a.every} = 0`}
  RETURNING 1
)
SELECT (SELECT count(*) FROM ev)::int AS events`;
}

/**
 * A fixed sample of received dossiers' (code, key) for the lookup benchmark: the same rows on every
 * run (ordered by a digest of the id, not random()). Only dossiers with a history when events were
 * loaded for a fraction. Received ones only: a dossier has its code from filing, its lookup key from receipt.
 */
export async function lookupSample(exec: Exec, count: number): Promise<Array<{ code: string; key: string }>> {
  const rows = await exec(`SELECT d.code, d.lookup_key AS key FROM dossiers d
    WHERE d.code IS NOT NULL AND d.lookup_key IS NOT NULL AND EXISTS (SELECT 1 FROM dossier_events e WHERE e.dossier_id = d.id)
    ORDER BY md5(d.id || 'lookup-sample') LIMIT ${count}`);
  return rows.map((r) => ({ code: String(r.code), key: String(r.key) }));
}
