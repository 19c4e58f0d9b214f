// The national portal's sync, delivered by the job worker to a stub portal this test starts on loopback.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, afterEach, before, describe, it } from "node:test";
import { sql } from "drizzle-orm";
import { testDatabase } from "../../../test/helpers/db.ts";
import type { Config } from "../../platform/config/index.ts";
import type { Database } from "../../platform/db/index.ts";
import { createJobQueue } from "../../platform/jobs/index.ts";
import { listJobs, retryDeadJob } from "../../platform/jobs/repo.ts";
import { testWorker, waitFor } from "../../platform/jobs/testing.ts";
import type { DossierRow } from "./hooks.ts";
import { makeNationalSync, NATIONAL_SYNC_JOB, type NationalMessage, nationalTime, toDongBoHoSoMC } from "./national-sync.ts";
import { dossierFiles } from "./tables.ts";
import { buildDossier, buildEvent, insertDossier, play, type PlayedChange, step } from "./testing-events.ts";

interface Delivery {
  key: string;
  type: string;
  auth: string | undefined;
  message: NationalMessage;
}

/** A stand-in for the portal: records every delivery, accepts each Idempotency-Key once. */
function stubPortal() {
  const raw: Delivery[] = [];
  const accepted: Delivery[] = [];
  const seen = new Set<string>();
  let answer: (d: Delivery) => number | "drop" = () => 200;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const d: Delivery = {
        key: String(req.headers["idempotency-key"]),
        type: String(req.headers["x-message-type"]),
        auth: req.headers.authorization,
        message: JSON.parse(Buffer.concat(chunks).toString("utf8")) as NationalMessage,
      };
      raw.push(d);
      const a = answer(d);
      // A response lost on the way back: the message was taken, the sender cannot know it.
      if (a === "drop" || a === 200) {
        if (!seen.has(d.key)) accepted.push(d);
        seen.add(d.key);
      }
      if (a === "drop") return void req.socket.destroy();
      res.writeHead(a, { "content-type": "application/json" }).end(a === 200 ? '{"result":"ok"}' : '{"error":"refused"}');
    });
  });
  return {
    raw,
    accepted,
    setAnswer: (fn: typeof answer) => void (answer = fn),
    listen: (port = 0) => new Promise<number>((resolve) => server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

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

/** What the portal should see of one life, in order. */
const LIFE = ["D1", "D2", "D4", "P1 Tiếp nhận hồ sơ", "P2 Tiếp nhận hồ sơ", "P1 Thẩm định hồ sơ", "P2 Thẩm định hồ sơ", "D9", "D10"];
const sign = (m: NationalMessage) => (m.service === "DongBoHoSoMC" ? `D${m.data.TrangThaiHoSo}` : `P${m.data.TrangThai} ${m.data.NoiDungXuLy.replace(/^[^:]+: /, "")}`);
const seenBy = (list: Delivery[], dossierId: string) => list.filter((x) => x.message.dossierId === dossierId).map((x) => sign(x.message));

describe("national portal sync", () => {
  let database: Database;
  before(async () => {
    database = await testDatabase();
  });
  after(() => database.close());
  // The workers of a test take any job of their name: a test that stops half way leaves none behind (held,
  // failing or dead messages) for the next test's worker and portal.
  afterEach(() => database.rows(sql`DELETE FROM jobs`));

  const endpoint = (port: number): Config["nationalSync"] => ({ url: `http://127.0.0.1:${port}/dvcqg`, token: "portal-token", timeoutMs: 2000 });
  const setup = (port: number) => {
    const jobs = createJobQueue();
    const made = makeNationalSync({ jobs, endpoint: endpoint(port), backoff: () => 50, maxAttempts: 100 });
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

  it("builds DongBoHoSoMC with the portal's codes: business 2, counter 1, post 3, the channel's fees only", () => {
    const dossier = buildDossier({ channel: "counter", applicant: { type: "business", name: "Công ty TNHH Ví dụ", idNumber: "0100233488", phone: null, email: null, address: null } });
    const fee = (key: string, channel: "online" | "counter" | null) => ({ key, name: `Lệ phí ${key}`, kind: "fee" as const, amount: 8000, channel, exemptions: [] });
    const procedure = { name: "Đăng ký khai sinh", field: { code: "HT", name: "Hộ tịch" }, components: [], fees: [fee("all", null), fee("online", "online"), fee("counter", "counter")] };
    const m = toDongBoHoSoMC(dossier, procedure, 4, { processingAgencyName: "UBND xã Ví Dụ", snapshot: { files: [], pauses: [] } });
    assert.equal(m.LoaiDoiTuong, 2);
    assert.equal(m.HinhThuc, 1);
    assert.deepEqual(m.DanhSachLePhi.map((f) => f.MaPhiLePhi), ["all", "counter"]);
    assert.equal(m.MaHoSo, dossier.code);
    assert.equal(m.NgayTiepNhan, "20260302101500");
    assert.equal(m.NgayHenTra, "20260306163000");
    assert.equal(m.Email, "");
    assert.equal(m.DonViXuLy, "UBND xã Ví Dụ");
    assert.equal(toDongBoHoSoMC(buildDossier({ channel: "post" }), null, 4, { processingAgencyName: null, snapshot: { files: [], pauses: [] } }).HinhThuc, 3);
  });

  it("delivers every message of several dossiers once, in order per dossier, even when responses are lost", async () => {
    const portal = stubPortal();
    const { jobs, sync } = setup(await portal.listen());
    // Every third delivery's response is lost: the portal took the message, the job retries it.
    let n = 0;
    portal.setAnswer(() => (++n % 3 === 0 ? "drop" : 200));
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
    for (const d of dossiers) assert.deepEqual(seenBy(portal.accepted, d.id), LIFE);
    assert.ok(portal.raw.length > portal.accepted.length, "some messages were sent again after a lost response");
    assert.equal(new Set(portal.accepted.map((x) => x.key)).size, 3 * LIFE.length);
    for (const x of portal.raw) {
      assert.equal(x.auth, "Bearer portal-token");
      assert.equal(x.key, x.message.messageId);
      assert.equal(x.type, x.message.service);
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
    for (const d of dossiers) assert.deepEqual(seenBy(portal.raw, d.id), LIFE);
    assert.equal(new Set(portal.raw.map((x) => x.key)).size, portal.raw.length, "no message arrived twice");
  });

  it("dead-letters a message the portal refuses with 400 and holds that dossier's later messages back", async () => {
    const portal = stubPortal();
    const { jobs, sync } = setup(await portal.listen());
    const [refused, other] = [buildDossier(), buildDossier()];
    portal.setAnswer((d) => (d.message.dossierId === refused!.id && sign(d.message) === "D4" ? 400 : 200));
    await interleave(sync, [life(refused!), life(other!)]);
    const worker = testWorker(database, jobs);
    await worker.start();
    try {
      await waitFor("the other dossier's messages", async () => (await unfinished([other!.id])) === 0);
      await waitFor("the refused message dead", async () => (await listJobs(database.db, { status: "dead", limit: 100 })).length > 0);
      assert.deepEqual(seenBy(portal.accepted, other!.id), LIFE);
      assert.deepEqual(seenBy(portal.accepted, refused!.id), ["D1", "D2"]);
      assert.deepEqual(seenBy(portal.raw, refused!.id), ["D1", "D2", "D4"], "refused once, not retried");
      // What `motcua jobs list --status dead` shows.
      const dead = (await listJobs(database.db, { status: "dead", limit: 100 })).filter((j) => j.name === NATIONAL_SYNC_JOB);
      assert.equal(dead.length, 1);
      assert.match(String(dead[0]!.lastError), /PermanentJobError: national portal answered 400 to DongBoHoSoMC/);
      assert.equal(dead[0]!.attempts, 1);

      // Once the cause is fixed, an operator retries it and the rest follows, in order.
      portal.setAnswer(() => 200);
      assert.ok(await retryDeadJob(database.db, Number(dead[0]!.id)));
      await waitFor("the held messages", async () => (await unfinished([refused!.id])) === 0);
    } finally {
      await worker.stop();
      await portal.close();
    }
    assert.deepEqual(seenBy(portal.accepted, refused!.id), LIFE);
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
    const sync = makeNationalSync({ jobs: createJobQueue(), endpoint: null });
    assert.equal(sync.listener, null);
    assert.equal(sync.job, null);
  });

  it("sends the state at the time of the change, with the catalogue's and the directory's names", async () => {
    const portal = stubPortal();
    const jobs = createJobQueue();
    const made = makeNationalSync({
      jobs,
      endpoint: endpoint(await portal.listen()),
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
    const file = { id: `${dossier.id}-f1`, dossierId: dossier.id, provinceCode: "06", kind: "component", component: "to-khai", name: "to-khai.pdf", contentType: "application/pdf", size: 10, sha256: "a".repeat(64), uploadedBy: "user:test", uploadedAt: new Date() };
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
    const got = portal.accepted.filter((x) => x.message.dossierId === dossier.id).map((x) => x.message);
    // A receipt reported as one change still tells the portal 2 before 4.
    assert.deepEqual(got.map(sign), ["D1", "D2", "D4", "P1 Thẩm định hồ sơ"]);
    const [first, , fourth, progress] = got;
    assert.ok(first?.service === "DongBoHoSoMC" && fourth?.service === "DongBoHoSoMC" && progress?.service === "CapNhatTienDoHoSoMC");
    assert.deepEqual(first.data.TaiLieuNop, [{ TepDinhKemId: file.id, TenTepDinhKem: "to-khai.pdf", MaThanhPhanHoSo: "to-khai", TenThanhPhanHoSo: "Tờ khai đăng ký khai sinh" }]);
    assert.equal(fourth.data.TaiLieuNop[0]?.TenTepDinhKem, "renamed.pdf");
    assert.equal(first.data.TenTTHC, "Đăng ký khai sinh");
    assert.equal(first.data.TenLinhVuc, "Hộ tịch");
    assert.equal(first.data.DonViXuLy, "Cơ quan 000.00.11.H06");
    assert.equal(first.data.ChuHoSo, "Nguyễn Thị Mai");
    assert.equal(first.data.MaDoiTuong, "001199000001");
    assert.equal(first.data.HinhThuc, 2);
    assert.equal(progress.data.PhongBanXuLy, "Phòng Hành chính – Tư pháp");
    assert.equal(progress.data.NguoiXuLy, "Lê Thị Chuyên");
    assert.equal(progress.data.ChucDanh, "Chuyên viên");
    assert.equal(progress.data.ThoiDiemXuLy, "20260302110000");
    assert.equal(progress.data.NgayKetThucTheoQuyDinh, "20260304163000");
  });
});
