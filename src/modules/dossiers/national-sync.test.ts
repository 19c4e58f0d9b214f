// The national portal's sync, delivered by the job worker to a stub portal this test starts on loopback: it signs
// in, then posts each message in the envelope of the public integrations, every one checked by the JSON Schema
// written from them (docs/dvcqg/dvcqg-sync.schema.json).
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { sql } from "../../platform/db/drizzle.ts";
import { testDatabase } from "../../../test/helpers/db.ts";
import type { Database } from "../../platform/db/index.ts";
import { createJobQueue } from "../../platform/jobs/index.ts";
import { listJobs, retryDeadJob } from "../../platform/jobs/repo.ts";
import { testWorker, waitFor } from "../../platform/jobs/testing.ts";
import type { DossierRow } from "./hooks.ts";
import { makeFileLinks } from "./file-links.ts";
import type { DongBoExtra } from "./national-format.ts";
import { envelope, makeNationalSync, NATIONAL_SYNC_JOB, nationalTime, succeeded, toDongBoHoSoMC } from "./national-sync.ts";
import { dossierFiles, dossierPauses } from "./tables.ts";
import { buildDossier, buildEvent, insertDossier, play, type PlayedChange, step } from "./testing-events.ts";
import { PORTAL_ACCOUNT, type PortalDelivery, portalEndpoint, portalSchema, stubPortal } from "./testing-portal.ts";

const links = makeFileLinks({ secret: "a-test-secret-of-at-least-32-characters", publicUrl: "https://dvc.example.gov.vn" });
const schema = portalSchema();
/** Asserts the message is one the schema written from the public integrations accepts, in its envelope. */
const valid = (data: ReturnType<typeof toDongBoHoSoMC>) =>
  assert.equal(schema.DongBoHoSoMC(envelope({ service: "DongBoHoSoMC", messageId: "m", dossierId: "d", isUpdating: "True", data }, "phien", "000.00.00.H06")), null);
const noFiles = (o: Partial<DongBoExtra> = {}): DongBoExtra => ({ processingAgencyName: null, snapshot: { files: [], pauses: [] }, link: (id) => links.url(id, new Date("2026-03-02T00:00:00Z")), ...o });

/** A dossier's life from filing to return: each entry is one change, in its own transaction. */
function life(base: DossierRow): PlayedChange[] {
  const d = (o: Partial<DossierRow>) => ({ ...base, ...o });
  const s0 = step(0, "Tiếp nhận hồ sơ", new Date("2026-03-02T09:30:00Z"));
  const s1 = step(1, "Thẩm định hồ sơ", new Date("2026-03-05T09:30:00Z"));
  const ended = (s: typeof s0, startedAt: Date) => ({ ...s, startedAt });
  const t = (h: number) => new Date(Date.UTC(2026, 2, 2, h));
  return [
    buildEvent(d({ status: "new", nationalStatus: 1, code: null, receivedAt: null, dueAt: null }), { action: "submit", fromStatus: "draft", fromNationalStatus: null, at: t(1) }),
    buildEvent(d({ status: "processing", nationalStatus: 2 }), { action: "received", fromStatus: "new", at: t(3) }),
    buildEvent(d({ status: "processing", nationalStatus: 4 }), { action: "receive", fromStatus: "new", fromNationalStatus: 2, at: t(3), step: s0 }),
    buildEvent(d({}), { action: "forward", at: t(5), endedStep: ended(s0, t(3)), step: s1 }),
    buildEvent(d({ status: "done", nationalStatus: 9, finishedAt: t(8) }), { action: "finish", at: t(8), endedStep: ended(s1, t(5)), step: null }),
    buildEvent(d({ status: "returned", nationalStatus: 10, finishedAt: t(8), returnedAt: t(9) }), { action: "return", fromStatus: "done", at: t(9) }),
  ];
}

/** What the portal should see of one life, in order: TrangThai is the dossier's status after each step. */
const LIFE = [
  "D1",
  "D2",
  "D4",
  "P4 Bắt đầu bước: Tiếp nhận hồ sơ",
  "P4 Hoàn thành bước: Tiếp nhận hồ sơ",
  "P4 Bắt đầu bước: Thẩm định hồ sơ",
  "P9 Hoàn thành bước: Thẩm định hồ sơ",
  "D9",
  "D10",
];
const sign = (m: PortalDelivery) => (m.service === "DongBoHoSoMC" ? `D${m.data.TrangThaiHoSo}` : `P${m.data.TrangThai} ${m.data.NoiDungXuLy}`);
const ofDossier = (x: PortalDelivery, d: { id: string; code: string | null }) => x.data.MaHoSo === d.id || x.data.MaHoSo === d.code;
const seenBy = (list: PortalDelivery[], d: { id: string; code: string | null }) => list.filter((x) => ofDossier(x, d)).map(sign);

describe("national portal sync", () => {
  let database: Database;
  before(async () => {
    database = await testDatabase();
  });
  after(() => database.close());
  // The workers of a test take any job of their name: a test that stops half way leaves none behind (held,
  // failing or dead messages) for the next test's worker and portal.
  afterEach(() => database.rows(sql`DELETE FROM jobs`));

  const setup = (port: number) => {
    const jobs = createJobQueue();
    const made = makeNationalSync({ jobs, endpoint: portalEndpoint(port), links, backoff: () => 50, maxAttempts: 100 });
    jobs.register(made.job!);
    return { jobs, sync: made.listener! };
  };
  const unfinished = async (ids: string[]) => {
    const rows = await database.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM jobs WHERE name = ${NATIONAL_SYNC_JOB} AND status <> 'done'
            AND payload->>'dossierId' IN (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})`,
    );
    return rows[0]!.n;
  };
  /** Runs each change in its own transaction, the dossiers' changes interleaved. */
  const interleave = async (sync: ReturnType<typeof setup>["sync"], lives: PlayedChange[][]) => {
    for (let i = 0; i < LIFE.length; i++) {
      for (const changes of lives) {
        const c = changes[i];
        if (c) await database.transaction((tx) => play(tx, sync, c));
      }
    }
  };

  it("formats dates as yyyyMMddHHmmss in Vietnam's time, across midnight and the year's end", () => {
    assert.equal(nationalTime(new Date("2026-02-23T03:04:05Z")), "20260223100405");
    assert.equal(nationalTime(new Date("2026-12-31T17:30:00.999Z")), "20270101003000");
    assert.equal(nationalTime(null), "");
  });

  it("builds DongBoHoSoMC with the portal's codes, every value a string: business 2, KenhThucHien counter 1 / post 3, HinhThucTra, the channel's fees only", () => {
    const dossier = buildDossier({ channel: "counter", applicant: { type: "business", name: "Công ty TNHH Ví dụ", idNumber: "0100233488", phone: null, email: null, address: null } });
    const fee = (key: string, channel: "online" | "counter" | null) => ({ key, name: `Lệ phí ${key}`, kind: "fee" as const, amount: 8000, channel, exemptions: [] });
    const procedure = { name: "Đăng ký khai sinh", field: { code: "HT", name: "Hộ tịch" }, components: [], fees: [fee("all", null), fee("online", "online"), fee("counter", "counter")] };
    const m = toDongBoHoSoMC(dossier, procedure, 4, noFiles({ processingAgencyName: "UBND xã Ví Dụ" }));
    assert.equal(m.LoaiDoiTuong, "2");
    assert.equal(m.KenhThucHien, "1");
    assert.equal(m.HinhThucTra, "0");
    assert.equal("HinhThuc" in m, false, "DOMAIN.md §3: the portal reads HinhThucTra");
    assert.equal(m.TrangThaiHoSo, "4");
    assert.deepEqual(m.DanhSachLePhi, [
      { MaPhiLePhi: "all", TenPhiLePhi: "Lệ phí all", HinhThucThu: "1", Gia: "8000", LoaiPhiLePhi: "1" },
      { MaPhiLePhi: "counter", TenPhiLePhi: "Lệ phí counter", HinhThucThu: "1", Gia: "8000", LoaiPhiLePhi: "1" },
    ]);
    assert.equal(m.MaHoSo, dossier.code);
    assert.equal(m.NgayTiepNhan, "20260302101500");
    assert.equal(m.NgayHenTra, "20260306163000");
    assert.equal(m.NgayTra, "");
    assert.equal(m.Email, "");
    assert.equal(m.DonViXuLy, "UBND xã Ví Dụ");
    const post = toDongBoHoSoMC(buildDossier({ channel: "post" }), null, 4, noFiles());
    assert.equal(post.KenhThucHien, "3");
    assert.equal(post.HinhThucTra, "1");
    // Filed online, the result returned by post at the applicant's request.
    const online = toDongBoHoSoMC(buildDossier({ channel: "online", status: "returned", returnMethod: "post" }), null, 10, noFiles());
    assert.equal(online.KenhThucHien, "2");
    assert.equal(online.HinhThucTra, "1");
    for (const x of [m, post, online]) valid(x);
  });

  it("has a schema that refuses what the portal would not read: a single dossier as data, HinhThuc, a number, an unknown field", () => {
    const m = toDongBoHoSoMC(buildDossier(), null, 4, noFiles());
    const body = envelope({ service: "DongBoHoSoMC", messageId: "m", dossierId: "d", isUpdating: "False", data: m }, "phien", "000.00.00.H06");
    assert.equal(schema.DongBoHoSoMC(body), null);
    assert.notEqual(schema.DongBoHoSoMC({ ...body, data: m }), null, "data must be an array");
    const { HinhThucTra: _, ...withoutTra } = m;
    assert.notEqual(schema.DongBoHoSoMC({ ...body, data: [{ ...withoutTra, HinhThuc: "0" }] }), null, "HinhThucTra, not HinhThuc");
    assert.notEqual(schema.DongBoHoSoMC({ ...body, data: [{ ...m, TrangThaiHoSo: 4 }] }), null, "every value a string");
    assert.notEqual(schema.DongBoHoSoMC({ ...body, data: [{ ...m, TenThanhPhanHoSo: "x" }] }), null, "no field the integrations do not name");
    assert.notEqual(schema.DongBoHoSoMC({ ...body, session: undefined }), null, "the session in the body");
  });

  it("computes Decision 766's flags from what happened: digitised and reused papers, the VNeID sign-in, nothing paid online, no database looked up", () => {
    const file = (o: Partial<DongBoExtra["snapshot"]["files"][number]>) => ({ id: "f", kind: "component", component: "to-khai", name: "to-khai.pdf", sha256: "a".repeat(64), digitised: false, reusedFrom: null, reusedKind: null, ...o });
    const plain = toDongBoHoSoMC(buildDossier({ filedLoa: 0 }), null, 4, noFiles({ snapshot: { files: [file({ id: "f1" })], pauses: [] } }));
    assert.deepEqual(
      [plain.HoSoCoThanhPhanSoHoa, plain.TaiKhoanDuocXacThucVoiVNeID, plain.DuocThanhToanTrucTuyen, plain.NoiNopHoSo, plain.DSKetNoiCSDL],
      ["0", "0", "0", "2", []],
    );
    assert.deepEqual(plain.TaiLieuNop[0], {
      TepDinhKemId: "f1",
      TenTepDinhKem: "to-khai.pdf",
      IsDeleted: "False",
      MaThanhPhanHoSo: "to-khai",
      DuongDanTaiTepTin: links.url("f1", new Date("2026-03-02T00:00:00Z")),
      DuocSoHoa: "0",
      DuocTaiSuDung: "0",
      DuocLayTuKhoDMQG: "0",
    });
    const files = [file({ id: "f1", digitised: true }), file({ id: "f2", reusedFrom: "old-paper", reusedKind: "component" }), file({ id: "f3", reusedFrom: "old-result", reusedKind: "result" })];
    const rich = toDongBoHoSoMC(buildDossier({ filedLoa: 2 }), null, 4, noFiles({ snapshot: { files, pauses: [] } }));
    assert.equal(rich.HoSoCoThanhPhanSoHoa, "1");
    valid(plain);
    valid(rich);
    assert.equal(rich.TaiKhoanDuocXacThucVoiVNeID, "1");
    assert.deepEqual(rich.TaiLieuNop.map((f) => [f.DuocSoHoa, f.DuocTaiSuDung, f.MaKetQuaThayThe ?? null]), [["1", "0", null], ["0", "1", null], ["0", "2", "old-result"]]);
    // A password or VNeID level-1 sign-in, or the counter, is not an account verified with VNeID.
    assert.equal(toDongBoHoSoMC(buildDossier({ filedLoa: 1 }), null, 4, noFiles()).TaiKhoanDuocXacThucVoiVNeID, "0");
    assert.equal(toDongBoHoSoMC(buildDossier({ channel: "counter", filedLoa: 2 }), null, 4, noFiles()).TaiKhoanDuocXacThucVoiVNeID, "0");
  });

  it("names each national database read under the portal's MaCSDL the province configured, else under its registry key", () => {
    const d = buildDossier({ registriesUsed: ["population", "business"] });
    const configured = toDongBoHoSoMC(d, null, 4, noFiles({ databaseCodes: { population: "CSDLQGDC" } }));
    assert.deepEqual(configured.DSKetNoiCSDL, [{ MaCSDL: "CSDLQGDC" }, { MaCSDL: "business" }]);
    assert.deepEqual(toDongBoHoSoMC(d, null, 4, noFiles()).DSKetNoiCSDL, [{ MaCSDL: "population" }, { MaCSDL: "business" }]);
    valid(configured);
  });

  it("lists each supplement with what was asked, when, when answered, and the due dates before and after it", () => {
    const pause = {
      id: 7,
      fromAt: new Date("2026-03-03T02:00:00Z"),
      toAt: new Date("2026-03-05T02:00:00Z"),
      items: [{ component: "to-khai", reason: "Thiếu chữ ký" }],
      dueBefore: new Date("2026-03-06T09:30:00Z"),
      dueAfter: new Date("2026-03-10T09:30:00Z"),
    };
    const d = buildDossier();
    const m = toDongBoHoSoMC(d, null, 4, noFiles({ snapshot: { files: [], pauses: [pause, { ...pause, id: 8, toAt: null, dueAfter: null }] } }));
    assert.deepEqual(m.DanhSachHoSoBoSung, [
      {
        HoSoBoSungId: `${d.id}:7`,
        NoiDungBoSung: "to-khai: Thiếu chữ ký",
        NgayBoSung: "20260303090000",
        NgayTiepNhanBoSung: "20260305090000",
        TrangThaiBoSung: "True",
        NgayHenTraTruoc: "20260306163000",
        NgayHenTraMoi: "20260310163000",
      },
      { HoSoBoSungId: `${d.id}:8`, NoiDungBoSung: "to-khai: Thiếu chữ ký", NgayBoSung: "20260303090000", NgayTiepNhanBoSung: "", TrangThaiBoSung: "False", NgayHenTraTruoc: "20260306163000", NgayHenTraMoi: "" },
    ]);
    valid(m);
  });

  it("reads success as the integrations do: error_code 0, \"0\" or \"00\"", () => {
    for (const ok of [0, "0", "00"]) assert.equal(succeeded({ error_code: ok }), true, String(ok));
    for (const no of [1, "-1", "3", undefined, null, ""]) assert.equal(succeeded({ error_code: no }), false, String(no));
  });

  it("delivers every message of several dossiers once, in order per dossier, even when responses are lost", async () => {
    const portal = stubPortal();
    const { jobs, sync } = setup(await portal.listen());
    // Every third delivery's response is lost: the portal took the message, the job retries it.
    let n = 0;
    portal.setAnswer(() => (++n % 3 === 0 ? "drop" : { error_code: "00", message: "Thành công" }));
    const dossiers = [buildDossier(), buildDossier(), buildDossier()];
    await interleave(sync, dossiers.map(life));
    const workers = [testWorker(database, jobs), testWorker(database, jobs)];
    for (const w of workers) await w.start();
    try {
      await waitFor("every message delivered", async () => (await unfinished(dossiers.map((d) => d.id))) === 0);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await portal.close();
    }
    for (const d of dossiers) assert.deepEqual(seenBy(portal.accepted, d), LIFE);
    assert.ok(portal.raw.length > portal.accepted.length, "some messages were sent again after a lost response");
    assert.equal(new Set(portal.accepted.map((x) => x.key)).size, 3 * LIFE.length);
    assert.deepEqual(portal.invalid, [], "every message as the schema says");
    assert.equal(portal.logins(), 1, "one sign-in, its session kept");
    for (const x of portal.raw) {
      assert.equal(x.session, "phien-1");
      assert.equal(x.madonvi, PORTAL_ACCOUNT.madonvi);
      assert.equal(x.dstcode, PORTAL_ACCOUNT.dstcode);
    }
    // The first DongBoHoSoMC of a dossier creates it; the later ones update it.
    for (const d of dossiers) {
      const updating = portal.accepted.filter((x) => ofDossier(x, d) && x.service === "DongBoHoSoMC").map((x) => (x.service === "DongBoHoSoMC" ? x.isUpdating : ""));
      assert.deepEqual(updating, ["False", "True", "True", "True", "True"]);
    }
  });

  it("waits out an endpoint that refuses connections, then delivers everything in order, none twice", async () => {
    const portal = stubPortal();
    const port = await portal.listen();
    await portal.close();
    const { jobs, sync } = setup(port);
    const dossiers = [buildDossier(), buildDossier()];
    await interleave(sync, dossiers.map(life));
    const worker = testWorker(database, jobs);
    await worker.start();
    try {
      await waitFor("deliveries to fail a few times", async () => {
        const rows = await database.rows<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM jobs WHERE name = ${NATIONAL_SYNC_JOB} AND attempts >= 3 AND last_error IS NOT NULL
                AND payload->>'dossierId' = ${dossiers[0]!.id}`,
        );
        return rows[0]!.n > 0;
      });
      assert.equal(portal.raw.length, 0);
      await portal.listen(port);
      await waitFor("every message delivered", async () => (await unfinished(dossiers.map((d) => d.id))) === 0);
    } finally {
      await worker.stop();
      await portal.close();
    }
    for (const d of dossiers) assert.deepEqual(seenBy(portal.raw, d), LIFE);
    assert.equal(new Set(portal.raw.map((x) => x.key)).size, portal.raw.length, "no message arrived twice");
  });

  it("dead-letters a message the portal refuses with 400 and holds that dossier's later messages back", async () => {
    const portal = stubPortal();
    const { jobs, sync } = setup(await portal.listen());
    const [refused, other] = [buildDossier(), buildDossier()];
    portal.setAnswer((d) => (ofDossier(d, refused!) && sign(d) === "D4" ? 400 : { error_code: 0, message: "Thành công" }));
    await interleave(sync, [life(refused!), life(other!)]);
    const worker = testWorker(database, jobs);
    await worker.start();
    try {
      await waitFor("the other dossier's messages", async () => (await unfinished([other!.id])) === 0);
      await waitFor("the refused message dead", async () => (await listJobs(database.db, { status: "dead", limit: 100 })).length > 0);
      assert.deepEqual(seenBy(portal.accepted, other!), LIFE);
      assert.deepEqual(seenBy(portal.accepted, refused!), ["D1", "D2"]);
      assert.deepEqual(seenBy(portal.raw, refused!), ["D1", "D2", "D4"], "refused once, not retried");
      // What `motcua jobs list --status dead` shows.
      const dead = (await listJobs(database.db, { status: "dead", limit: 100 })).filter((j) => j.name === NATIONAL_SYNC_JOB);
      assert.equal(dead.length, 1);
      assert.match(String(dead[0]!.lastError), /PermanentJobError: national portal answered 400 to DongBoHoSoMC/);
      assert.equal(dead[0]!.attempts, 1);

      // Once the cause is fixed, an operator retries it and the rest follows, in order.
      portal.setAnswer(() => ({ error_code: 0, message: "Thành công" }));
      assert.ok(await retryDeadJob(database.db, Number(dead[0]!.id)));
      await waitFor("the held messages", async () => (await unfinished([refused!.id])) === 0);
    } finally {
      await worker.stop();
      await portal.close();
    }
    assert.deepEqual(seenBy(portal.accepted, refused!), LIFE);
  });

  it("queues nothing for a change that rolls back", async () => {
    const { sync } = setup(9);
    const [rolledBack, committed] = [buildDossier(), buildDossier()];
    await assert.rejects(
      database.transaction(async (tx) => {
        await play(tx, sync, ...life(rolledBack!));
        throw new Error("the change failed");
      }),
      /the change failed/,
    );
    await database.transaction((tx) => play(tx, sync, ...life(committed!)));
    assert.equal(await unfinished([rolledBack!.id]), 0);
    assert.equal(await unfinished([committed!.id]), LIFE.length);
  });

  it("listens to nothing, and defines no job, when no endpoint is configured", () => {
    const sync = makeNationalSync({ jobs: createJobQueue(), endpoint: null, links });
    assert.equal(sync.listener, null);
    assert.equal(sync.job, null);
  });

  it("sends the state at the time of the change, with the catalogue's and the directory's names", async () => {
    const portal = stubPortal();
    const jobs = createJobQueue();
    const made = makeNationalSync({
      jobs,
      endpoint: portalEndpoint(await portal.listen()),
      links,
      backoff: () => 50,
      catalog: async () => ({
        name: "Đăng ký khai sinh",
        field: { code: "HT", name: "Hộ tịch" },
        components: [{ key: "to-khai", name: "Tờ khai đăng ký khai sinh", required: true, counts: { original: 1, certifiedCopy: 0, copy: 0 }, fileTypes: ["application/pdf"] }],
        fees: [],
      }),
      directory: async (_tx, code) => ({ name: `Cơ quan ${code}`, departments: [{ code: "hanh-chinh-tu-phap", name: "Phòng Hành chính – Tư pháp" }] }),
    });
    jobs.register(made.job!);
    const sync = made.listener!;
    const dossier = buildDossier({ status: "new", nationalStatus: 1 });
    const file = { id: `${dossier.id}-f1`, dossierId: dossier.id, provinceCode: "06", kind: "component", component: "to-khai", name: "to-khai.pdf", contentType: "application/pdf", size: 10, sha256: "a".repeat(64), uploadedBy: "user:test", uploadedAt: new Date(), digitised: true };
    await database.transaction(async (tx) => {
      await insertDossier(tx, dossier);
      await tx.insert(dossierFiles).values(file);
      await play(tx, sync, buildEvent(dossier, { action: "submit", fromStatus: "draft", fromNationalStatus: null }));
    });
    // Changed after the message was queued: the message still says what was true then.
    await database.rows(sql`UPDATE dossier_files SET name = 'renamed.pdf' WHERE id = ${file.id}`);
    const processing = { ...dossier, status: "processing", nationalStatus: 4 };
    await database.transaction((tx) =>
      play(tx, sync, buildEvent(processing, { action: "receive", fromStatus: "new", fromNationalStatus: 1, step: step(0, "Thẩm định hồ sơ") })),
    );
    const worker = testWorker(database, jobs);
    await worker.start();
    try {
      await waitFor("the messages", async () => (await unfinished([dossier.id])) === 0);
    } finally {
      await worker.stop();
      await portal.close();
    }
    assert.deepEqual(portal.invalid, []);
    const got = portal.accepted.filter((x) => ofDossier(x, dossier));
    // A receipt reported as one change still tells the portal 2 before 4.
    assert.deepEqual(got.map(sign), ["D1", "D2", "D4", "P4 Bắt đầu bước: Thẩm định hồ sơ"]);
    const [first, , fourth, progress] = got;
    assert.ok(first?.service === "DongBoHoSoMC" && fourth?.service === "DongBoHoSoMC" && progress?.service === "CapNhatTienDoHoSoMC");
    assert.deepEqual(first.data.TaiLieuNop, [
      {
        TepDinhKemId: file.id,
        TenTepDinhKem: "to-khai.pdf",
        IsDeleted: "False",
        MaThanhPhanHoSo: "to-khai",
        DuongDanTaiTepTin: first.data.TaiLieuNop[0]!.DuongDanTaiTepTin,
        DuocSoHoa: "1",
        DuocTaiSuDung: "0",
        DuocLayTuKhoDMQG: "0",
      },
    ]);
    const link = new URL(first.data.TaiLieuNop[0]!.DuongDanTaiTepTin);
    assert.equal(link.pathname, `/api/file-links/${file.id}`);
    assert.ok(links.verify(file.id, link.searchParams.get("exp")!, link.searchParams.get("sig")!, new Date("2026-03-03T00:00:00Z")), "a link this node signed, valid for a while");
    assert.equal(first.data.HoSoCoThanhPhanSoHoa, "1");
    assert.equal(fourth.data.TaiLieuNop[0]?.TenTepDinhKem, "renamed.pdf");
    assert.equal(first.data.TenTTHC, "Đăng ký khai sinh");
    assert.equal(first.data.TenLinhVuc, "Hộ tịch");
    assert.equal(first.data.DonViXuLy, "Cơ quan 000.00.11.H06");
    assert.equal(first.data.ChuHoSo, "Nguyễn Thị Mai");
    assert.equal(first.data.MaDoiTuong, "001199000001");
    assert.equal(first.data.KenhThucHien, "2");
    assert.equal(progress.data.PhongBanXuLy, "Phòng Hành chính – Tư pháp");
    assert.equal(progress.data.NguoiXuLy, "Lê Thị Chuyên");
    assert.equal(progress.data.ChucDanh, "Chuyên viên");
    assert.equal(progress.data.ThoiDiemXuLy, "20260302110000");
    assert.equal(progress.data.NgayKetThucTheoQuyDinh, "20260304163000");
  });

  it("sends a DongBoHoSoMC the portal already has again at once as an update, and signs in again when its session is refused", async () => {
    const portal = stubPortal();
    const { jobs, sync } = setup(await portal.listen());
    const known = buildDossier();
    // The portal has this dossier from an earlier system: it refuses to create it again. Its sessions expire once it
    // has taken three messages (as it answers the third, so that a later message surely meets the expired session,
    // however fast the worker is): the next message is refused, the job signs in again and sends it.
    let taken = 0;
    portal.setAnswer((d) => {
      if (d.service === "DongBoHoSoMC" && d.isUpdating === "False") return { error_code: "-3", message: `Hồ sơ ${d.data.MaHoSo} đã tồn tại` };
      if (++taken === 3) portal.expireSessions();
      return { error_code: "0", message: "Thành công" };
    });
    await interleave(sync, [life(known)]);
    const worker = testWorker(database, jobs);
    await worker.start();
    try {
      await waitFor("every message delivered", async () => (await unfinished([known.id])) === 0);
    } finally {
      await worker.stop();
      await portal.close();
    }
    assert.deepEqual(portal.invalid, []);
    assert.deepEqual(seenBy(portal.accepted, known), LIFE);
    const first = portal.raw.filter((x) => x.service === "DongBoHoSoMC").slice(0, 2);
    assert.deepEqual(first.map((x) => (x.service === "DongBoHoSoMC" ? x.isUpdating : "")), ["False", "True"], "refused as a creation, sent again as an update");
    assert.equal(portal.logins(), 2, "signed in again after the sessions expired");
    assert.equal((await listJobs(database.db, { status: "dead", limit: 100 })).filter((j) => j.name === NATIONAL_SYNC_JOB).length, 0);
  });

  it("dead-letters a message the portal refuses by its error_code, after one fresh sign-in", async () => {
    const portal = stubPortal();
    const { jobs, sync } = setup(await portal.listen());
    const refused = buildDossier();
    portal.setAnswer((d) => (sign(d) === "D2" ? { error_code: "-1", message: "Mã TTHC không tồn tại trên Cổng" } : { error_code: 0, message: "Thành công" }));
    await interleave(sync, [life(refused)]);
    const worker = testWorker(database, jobs);
    await worker.start();
    try {
      await waitFor("the refused message dead", async () => (await listJobs(database.db, { status: "dead", limit: 100 })).some((j) => j.name === NATIONAL_SYNC_JOB));
    } finally {
      await worker.stop();
      await portal.close();
    }
    const dead = (await listJobs(database.db, { status: "dead", limit: 100 })).filter((j) => j.name === NATIONAL_SYNC_JOB);
    assert.match(String(dead[0]!.lastError), /national portal refused DongBoHoSoMC \(error_code "-1"\)/);
    assert.deepEqual(seenBy(portal.raw, refused), ["D1", "D2", "D2"], "sent again once with a fresh session, then held");
    assert.equal(portal.logins(), 2);
  });

  it("checks every message written to the pauses' table too against the schema", async () => {
    // A supplement round on a real row: the pause's due dates reach DanhSachHoSoBoSung through readSnapshot.
    const portal = stubPortal();
    const { jobs, sync } = setup(await portal.listen());
    const d = buildDossier({ status: "processing", nationalStatus: 4 });
    await database.transaction(async (tx) => {
      await insertDossier(tx, d);
      await tx.insert(dossierPauses).values({
        dossierId: d.id,
        provinceCode: "06",
        fromAt: new Date("2026-03-03T02:00:00Z"),
        toAt: new Date("2026-03-04T02:00:00Z"),
        items: [{ reason: "Bổ sung bản sao giấy khai sinh" }],
        dueBefore: new Date("2026-03-06T09:30:00Z"),
        dueAfter: new Date("2026-03-09T09:30:00Z"),
      });
      await play(tx, sync, buildEvent({ ...d, status: "done", nationalStatus: 9, finishedAt: new Date("2026-03-05T02:00:00Z") }, { action: "finish", fromStatus: "processing", fromNationalStatus: 4 }));
    });
    const worker = testWorker(database, jobs);
    await worker.start();
    try {
      await waitFor("the message", async () => (await unfinished([d.id])) === 0);
    } finally {
      await worker.stop();
      await portal.close();
    }
    assert.deepEqual(portal.invalid, []);
    const m = portal.accepted.find((x) => ofDossier(x, d) && x.service === "DongBoHoSoMC");
    assert.ok(m?.service === "DongBoHoSoMC");
    assert.equal(m.data.DanhSachHoSoBoSung[0]?.NgayHenTraTruoc, "20260306163000");
    assert.equal(m.data.DanhSachHoSoBoSung[0]?.NgayHenTraMoi, "20260309163000");
    assert.equal(m.data.NgayKetThucXuLy, "20260305090000");
  });
});
