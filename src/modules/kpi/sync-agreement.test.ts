// Issue 17, item 3: a province's figure computed here and the same dossiers' sync messages give the same numbers.
// Dossiers driven through the service (early, late, refused, withdrawn, open and overdue) reach a stub national
// portal through the outbox; the portal's last DongBoHoSoMC of each dossier is scored as the portal's description of
// Decision 766 scores it ("Mô tả công thức tính chỉ số 766": on time when NgayKetThucXuLy ≤ NgayHenTra, an open
// dossier judged at the period's end; online by KenhThucHien; digitised by HoSoCoThanhPhanSoHoa; VNeID by
// TaiKhoanDuocXacThucVoiVNeID; an electronic result by a result file), and compared with the index's inputs.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import { fixedClock } from "../../platform/clock.ts";
import { runSeeds } from "../../platform/db/seeds.ts";
import type { App } from "../../platform/http/types.ts";
import { testWorker, waitFor } from "../../platform/jobs/testing.ts";
import { actorOf, buildProvincialProcedure, type DossierSetting, dossierSetting, driveTo, fileDossier, publishProcedures } from "../dossiers/testing.ts";
import { type PortalDelivery, portalEndpoint, stubPortal } from "../dossiers/testing-portal.ts";
import { formulasSeed } from "./seeds.ts";

type Message = Extract<PortalDelivery, { service: "DongBoHoSoMC" }>["data"];

/** The Decision 766 inputs as the portal computes them from the messages, for dossiers received in the period. */
function scoreMessages(messages: Message[], from: string, to: string) {
  const inPeriod = (t: string) => t !== "" && t.slice(0, 8) >= from.replaceAll("-", "") && t.slice(0, 8) <= to.replaceAll("-", "");
  const periodEnd = `${to.replaceAll("-", "")}235959`;
  const received = messages.filter((m) => inPeriod(m.NgayTiepNhan));
  const ended = received.filter((m) => ["7", "8", "9", "10"].includes(m.TrangThaiHoSo));
  const open = received.filter((m) => ["4", "5"].includes(m.TrangThaiHoSo));
  return {
    received: received.length,
    online_received: received.filter((m) => m.KenhThucHien === "2").length,
    ended_on_time: ended.filter((m) => m.NgayKetThucXuLy <= m.NgayHenTra).length,
    ended_late: ended.filter((m) => m.NgayKetThucXuLy > m.NgayHenTra).length,
    open_on_time: open.filter((m) => m.NgayHenTra > periodEnd).length,
    open_overdue: open.filter((m) => m.NgayHenTra <= periodEnd).length,
    digitised: received.filter((m) => m.HoSoCoThanhPhanSoHoa === "1").length,
    vneid: received.filter((m) => m.TaiKhoanDuocXacThucVoiVNeID === "1").length,
    electronic_result: received.filter((m) => m.DanhSachGiayToKetQua.length > 0).length,
  };
}

type DossierDto = Awaited<ReturnType<typeof fileDossier>>;

describe("kpi: the index agrees with the national portal's messages", () => {
  const clock = fixedClock("2026-03-02T02:00:00Z");
  let env: TestEnv & { app: App };
  let portal: ReturnType<typeof stubPortal>;
  let s: DossierSetting;
  const dossiers: DossierDto[] = [];

  before(async () => {
    portal = stubPortal();
    env = await testApp({ clock, config: { publicUrl: "https://dvc.example.gov.vn", nationalSync: portalEndpoint(await portal.listen(), 5000) } });
    await runSeeds(env.database, [formulasSeed()], { demo: false });
    s = await dossierSetting(env.ctx);
    const procedure = await publishProcedures(env.ctx, buildProvincialProcedure(s.place));
    const { leader, citizen } = s.cast;
    const early = await fileDossier(env.ctx, s, procedure, { stage: "finished" });
    const late = await fileDossier(env.ctx, s, procedure, { stage: "received" });
    const open = await fileDossier(env.ctx, s, procedure, { stage: "received" });
    const refused = await fileDossier(env.ctx, s, procedure, { stage: "received" });
    await env.ctx.dossiers.act(actorOf(env.ctx, leader), refused.id, "refuse", { reason: "Không đủ điều kiện" });
    const withdrawn = await fileDossier(env.ctx, s, procedure, { stage: "received" });
    await env.ctx.dossiers.act(actorOf(env.ctx, citizen), withdrawn.id, "withdraw", {});
    const later = await fileDossier(env.ctx, s, procedure, { stage: "received" });
    // Three weeks on: one finished late; one still open and overdue at the quarter's end.
    clock.set("2026-03-23T02:00:00Z");
    await driveTo(env.ctx, s, late, "returned");
    dossiers.push(early, late, open, refused, withdrawn, later);

    const worker = testWorker(env.database, env.ctx.jobs);
    await worker.start();
    try {
      const expected = new Map([
        [early.code, "9"],
        [late.code, "10"],
        [open.code, "4"],
        [refused.code, "8"],
        [withdrawn.code, "7"],
        [later.code, "4"],
      ]);
      await waitFor("every dossier's last message", () =>
        [...expected].every(([code, status]) => lastMessage(code!)?.TrangThaiHoSo === status),
      );
    } finally {
      await worker.stop();
    }
  });
  after(async () => {
    await env.close();
    await portal.close();
  });

  function lastMessage(code: string): Message | undefined {
    return portal.accepted.filter((x): x is Extract<PortalDelivery, { service: "DongBoHoSoMC" }> => x.service === "DongBoHoSoMC" && x.data.MaHoSo === code).at(-1)?.data;
  }

  it("gives the same inputs for the quarter from the rollups and from the messages", async () => {
    assert.deepEqual(portal.invalid, []);
    const messages = dossiers.map((d) => lastMessage(d.code!)!);
    const fromMessages = scoreMessages(messages, "2026-01-01", "2026-03-31");
    const x = await env.ctx.kpi.index766(actorOf(env.ctx, s.cast.supervisor), { province: s.agencies.province.provinceCode!, period: "2026-Q1" });
    const mine = Object.fromEntries(Object.keys(fromMessages).map((k) => [k, x.inputs[k as keyof typeof x.inputs]]));
    assert.deepEqual(mine, fromMessages);
    // The case mix the comparison covers, so it cannot pass on empty figures.
    assert.deepEqual(fromMessages, {
      received: 6,
      online_received: 6,
      ended_on_time: 3,
      ended_late: 1,
      open_on_time: 0,
      open_overdue: 2,
      digitised: 0,
      vneid: 0,
      electronic_result: 2,
    });
  });
});
