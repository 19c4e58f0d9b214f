// The listeners as the running node has them: a dossier received through the API mails its applicant
// through a real SMTP server, and reaches the national portal (a stub on loopback that signs the node in and
// checks every message against docs/dvcqg/dvcqg-sync.schema.json) as received (2) then being processed (4), each
// message once and in order — the wiring of context.ts, not a hand-built event. The portal can fetch the files
// the messages link to, and the Decision 766 flags say what happened at filing.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import type { App } from "../../platform/http/types.ts";
import { testWorker, waitFor } from "../../platform/jobs/testing.ts";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import type { ProcedureContent } from "../catalog/index.ts";
import { nodeSecret } from "../../platform/secrets.ts";
import { type MailCatcher, startMailCatcher } from "../../../test/helpers/smtp.ts";
import { makeFileLinks } from "./file-links.ts";
import { nationalTime, toDongBoHoSoMC } from "./national-format.ts";
import { findDossier } from "./repo.ts";
import { readSnapshot } from "./repo.sync.ts";
import { actorOf, apiAs, buildProvincialProcedure, dossierSetting, type DossierSetting, fileDossier, formOf, multipart, PDF, publishProcedures, uploadAs } from "./testing.ts";
import { type PortalDelivery, portalEndpoint, stubPortal } from "./testing-portal.ts";

describe("a dossier's outbox on the running node", () => {
  let env: TestEnv & { app: App };
  let smtp: MailCatcher;
  let portal: ReturnType<typeof stubPortal>;
  let s: DossierSetting;
  /** Each dossier's code (given at filing), as the tests learn it. */
  const codes = new Map<string, string>();
  /** The DongBoHoSoMC messages the portal accepted for a dossier, in order. */
  const messages = (id: string) =>
    portal.accepted.filter((x): x is Extract<PortalDelivery, { service: "DongBoHoSoMC" }> => x.service === "DongBoHoSoMC" && (x.data.MaHoSo === id || x.data.MaHoSo === codes.get(id)));
  const statuses = (id: string) => messages(id).map((x) => x.data.TrangThaiHoSo);
  let procedure: ProcedureContent;

  before(async () => {
    smtp = await startMailCatcher();
    portal = stubPortal();
    const port = await portal.listen();
    env = await testApp({
      config: {
        smtpUrl: smtp.url,
        publicUrl: "https://dvc.example.gov.vn",
        nationalSync: portalEndpoint(port, 5000),
      },
    });
    s = await dossierSetting(env.ctx);
    procedure = await publishProcedures(env.ctx, buildProvincialProcedure(s.place, { name: "Thủ tục thử hộp thư đi" }));
  });
  after(async () => {
    await env.close();
    await smtp.close();
    await portal.close();
  });

  it("mails the receipt to the applicant and syncs 1, 2, 4 to the national portal", async () => {
    const api = apiAs(env.app);
    const { citizen, receiver } = s.cast;
    const created = await api(citizen, "POST", "/api/dossiers", {
      procedureCode: procedure.code,
      agencyCode: s.place.centre,
      formData: formOf(citizen),
      requestId: randomUUID(),
      applicant: { type: "citizen", name: "-", idNumber: citizen.username, email: "mai.nguyen@example.vn" },
    });
    const id = created.json().id as string;
    await uploadAs(env.app, citizen, id, "to-khai");
    const filed = await api(citizen, "POST", `/api/dossiers/${id}/submit`);
    assert.equal(filed.statusCode, 200);
    const received = await api(receiver, "POST", `/api/dossiers/${id}/actions/receive`, {});
    assert.equal(received.statusCode, 200, received.body);
    const code = received.json().code as string;
    codes.set(id, code);
    assert.equal(code, filed.json().code, "the code given at filing is the receipt's");

    const worker = testWorker(env.database, env.ctx.jobs);
    await worker.start();
    try {
      await waitFor("the receipt mail", () => smtp.inbox.some((m) => m.to.includes("mai.nguyen@example.vn")));
      await waitFor("the national portal's messages", () => statuses(id).length >= 3);
    } finally {
      await worker.stop();
    }
    const mail = smtp.inbox.find((m) => m.to.includes("mai.nguyen@example.vn"))!;
    assert.match(mail.subject, /tiếp nhận/i);
    assert.ok(mail.text.includes(code), "the mail names the dossier code");
    assert.ok(mail.text.includes("https://dvc.example.gov.vn/tra-cuu?ma="), "and the lookup link");
    assert.deepEqual(statuses(id), ["1", "2", "4"], "filed, received, being processed — once each, in order");
    // MaHoSo never changes: the first message (1, filed) already carries the code the receipt keeps.
    assert.deepEqual(messages(id).map((x) => x.data.MaHoSo), [code, code, code]);
    assert.deepEqual(portal.invalid, [], "every message as the schema says");
    const progress = portal.accepted.find((x) => x.service === "CapNhatTienDoHoSoMC" && x.data.MaHoSo === code);
    assert.ok(progress?.service === "CapNhatTienDoHoSoMC");
    assert.equal(progress.data.TrangThai, "4", "the step started at the receipt, the dossier being processed");
  });

  it("syncs a dossier filed in one request (its row written with the COMMIT) as filed, with its code", async () => {
    // No paper to upload: filed at once, `submit: true`.
    const paperless = await publishProcedures(env.ctx, buildProvincialProcedure(s.place, { name: "Thủ tục thử nộp một lần", components: [] }));
    const { citizen } = s.cast;
    const filed = await apiAs(env.app)(citizen, "POST", "/api/dossiers", {
      procedureCode: paperless.code,
      agencyCode: s.place.centre,
      formData: formOf(citizen),
      requestId: randomUUID(),
      submit: true,
    });
    assert.equal(filed.statusCode, 201, filed.body);
    const { id, code } = filed.json() as { id: string; code: string };
    codes.set(id, code);
    const worker = testWorker(env.database, env.ctx.jobs);
    await worker.start();
    try {
      await waitFor("the filing's message", () => statuses(id).includes("1"));
    } finally {
      await worker.stop();
    }
    assert.deepEqual(messages(id).map((x) => [x.data.MaHoSo, x.data.TrangThaiHoSo]), [[code, "1"]]);
  });

  it("tells the portal what happened at filing: VNeID level 2 online, digitised at the counter; its links open the files, for a while", async () => {
    const api = apiAs(env.app);
    const { citizen, receiver } = s.cast;
    // Online, signed in through VNeID at level 2 (Decree 69/2024): the session's assurance level.
    const vneid = env.ctx.identity.actorFor(citizen.user, { loa: 2 });
    const { dossier: online } = await env.ctx.dossiers.create(vneid, { procedureCode: procedure.code, agencyCode: s.place.centre, formData: formOf(citizen), requestId: randomUUID() });
    await env.ctx.dossiers.attach(vneid, online.id, { component: "to-khai", source: Readable.from(PDF), declaredName: "to-khai.pdf" });
    await env.ctx.dossiers.submit(vneid, online.id);
    // At the counter for a walk-in: the receiver scans the paper and marks it digitised.
    const created = await api(receiver, "POST", "/api/dossiers", {
      procedureCode: procedure.code,
      agencyCode: s.place.centre,
      formData: formOf(citizen),
      requestId: randomUUID(),
      applicant: { type: "citizen", name: "Nguyễn Thị Mai", idNumber: citizen.username },
    });
    assert.equal(created.statusCode, 201, created.body);
    const counter = created.json().id as string;
    const { payload, headers } = multipart({ component: "to-khai", digitised: "true" }, { name: "to-khai-quet.pdf", type: "application/pdf", bytes: PDF });
    const up = await env.app.inject({ method: "POST", url: `/api/dossiers/${counter}/attachments`, payload, headers: { ...headers, authorization: `Bearer ${await receiver.token()}` } });
    assert.equal(up.statusCode, 201, up.body);
    assert.equal(up.json().digitised, true);
    assert.equal((await api(receiver, "POST", `/api/dossiers/${counter}/submit`)).statusCode, 200);
    for (const id of [online.id, counter]) {
      const r = await api(receiver, "POST", `/api/dossiers/${id}/actions/receive`, {});
      assert.equal(r.statusCode, 200, r.body);
      codes.set(id, r.json().code as string);
    }
    const worker = testWorker(env.database, env.ctx.jobs);
    await worker.start();
    try {
      await waitFor("both dossiers' messages", () => statuses(online.id).includes("4") && statuses(counter).includes("4"));
    } finally {
      await worker.stop();
    }
    assert.deepEqual(portal.invalid, []);
    const last = (id: string) => messages(id).at(-1)!.data;
    const o = last(online.id);
    const c = last(counter);
    assert.deepEqual([o.KenhThucHien, o.TaiKhoanDuocXacThucVoiVNeID, o.HoSoCoThanhPhanSoHoa, o.TaiLieuNop[0]?.DuocSoHoa], ["2", "1", "0", "0"]);
    assert.deepEqual([c.KenhThucHien, c.TaiKhoanDuocXacThucVoiVNeID, c.HoSoCoThanhPhanSoHoa, c.TaiLieuNop[0]?.DuocSoHoa], ["1", "0", "1", "1"]);
    assert.equal(c.MaHoSo, codes.get(counter));

    // The portal fetches the file a message links to, without an account here; the link is the permission.
    const link = new URL(c.TaiLieuNop[0]!.DuongDanTaiTepTin);
    assert.equal(link.origin, "https://dvc.example.gov.vn");
    const fetched = await env.app.inject({ method: "GET", url: link.pathname + link.search });
    assert.equal(fetched.statusCode, 200);
    assert.deepEqual(fetched.rawPayload, PDF);
    // Altered (another file, another expiry, another signature) or expired, it opens nothing.
    const other = o.TaiLieuNop[0]!.TepDinhKemId;
    const sig = link.searchParams.get("sig")!;
    const exp = link.searchParams.get("exp")!;
    for (const url of [
      `/api/file-links/${other}?exp=${exp}&sig=${sig}`,
      `/api/file-links/${c.TaiLieuNop[0]!.TepDinhKemId}?exp=${Number(exp) + 86_400}&sig=${sig}`,
      `/api/file-links/${c.TaiLieuNop[0]!.TepDinhKemId}?exp=${exp}&sig=${sig.slice(0, -2)}AA`,
    ]) {
      const r = await env.app.inject({ method: "GET", url });
      assert.equal(r.statusCode, 404, url);
      assert.equal(r.json().error.code, "dossier.file_link_invalid");
    }
    const expired = makeFileLinks({ secret: nodeSecret(env.config, "file-links"), publicUrl: env.config.publicUrl, ttlMs: -1000 }).url(c.TaiLieuNop[0]!.TepDinhKemId, new Date());
    const late = await env.app.inject({ method: "GET", url: expired.slice(env.config.publicUrl.length) });
    assert.equal(late.statusCode, 404);
  });

  it("records each supplement's due dates before and after it, as DanhSachHoSoBoSung sends them", async () => {
    const d = await fileDossier(env.ctx, s, procedure, { stage: "received" });
    const due = d.dueAt!;
    const asked = await env.ctx.dossiers.act(actorOf(env.ctx, s.cast.specialist), d.id, "request_supplement", { items: [{ component: "to-khai", reason: "Thiếu chữ ký" }] });
    assert.equal(asked.status, "supplementing");
    const answered = await env.ctx.dossiers.act(actorOf(env.ctx, s.cast.citizen), d.id, "supplement", { formData: formOf(s.cast.citizen) });
    const snapshot = await readSnapshot(env.database.db, d.id);
    assert.equal(snapshot.pauses.length, 1);
    assert.equal(snapshot.pauses[0]!.dueBefore?.toISOString(), due);
    assert.equal(snapshot.pauses[0]!.dueAfter?.toISOString(), answered.dueAt);
    const m = toDongBoHoSoMC((await findDossier(env.database.db, d.id))!, null, 4, { processingAgencyName: null, snapshot, link: (f) => f });
    assert.equal(m.DanhSachHoSoBoSung[0]!.NgayHenTraTruoc, nationalTime(new Date(due)));
    assert.equal(m.DanhSachHoSoBoSung[0]!.NgayHenTraMoi, nationalTime(new Date(answered.dueAt!)));
    assert.equal(m.DanhSachHoSoBoSung[0]!.NoiDungBoSung, "to-khai: Thiếu chữ ký");
  });
});
