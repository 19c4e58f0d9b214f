// The dossier notifications, delivered through the mail outbox to a real SMTP server started on loopback. The
// procedure (a birth registration's names) and the officers are the test's own; each test reads only its mail.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, afterEach, before, describe, it } from "node:test";
import { sql } from "../../platform/db/drizzle.ts";
import { testContext, type TestEnv } from "../../../test/helpers/app.ts";
import { testWorker } from "../../platform/jobs/testing.ts";
import { createMailer } from "../../platform/mail/index.ts";
import { createJobQueue, type JobQueue } from "../../platform/jobs/index.ts";
import type { ProcedureContent } from "../catalog/index.ts";
import type { UserView } from "../identity/index.ts";
import { buildOfficer, TEST_PASSWORD } from "../identity/testing.ts";
import { catalogLookup, directoryLookup } from "./lookups.ts";
import { makeNotifier, type Notifier } from "./notifications.ts";
import { vnDateTime } from "./notifications-templates.ts";
import { buildDossier, buildEvent, officerActor, play, type PlayedChange, step } from "./testing-events.ts";
import { buildPlace, buildProvincialProcedure, type DossierPlace, publishProcedures } from "./testing.ts";
import { type MailCatcher, type ReceivedMail, startMailCatcher } from "../../../test/helpers/smtp.ts";

const PUBLIC = "https://dvc.example.gov.vn";

describe("dossier notifications", () => {
  let env: TestEnv;
  let smtp: MailCatcher;
  let notifier: Notifier;
  let jobs: JobQueue;
  let officer: UserView;
  let unverified: UserView;
  let place: DossierPlace;
  let procedure: ProcedureContent;
  let n = 0;
  /** A dossier of the test's procedure, received by its Department of Justice (no address: `dossierWithMail`). */
  const dossierOf = (o: Parameters<typeof buildDossier>[0] = {}) =>
    // Filed now: after the procedure was published, so the version in force is found.
    buildDossier({ procedureCode: procedure.code, agencyCode: place.justice, processingAgencyCode: place.justice, createdAt: new Date(), submittedAt: new Date(), ...o });
  /** A dossier whose applicant has an address of their own, so each test reads only its mail. */
  const dossierWithMail = (o: Parameters<typeof buildDossier>[0] = {}) => {
    const d = dossierOf(o);
    return { ...d, applicant: { ...d.applicant, email: `nguoi.nop.${++n}@example.vn` } };
  };

  /** Runs every queued job, including the mail that jobs queue, and returns the mail that arrived. */
  async function deliver(): Promise<ReceivedMail[]> {
    const before = smtp.inbox.length;
    // The notifier's queue (its jobs and its mail) and the context's (the identity service's mail).
    const workers = [testWorker(env.database, jobs), testWorker(env.database, env.ctx.jobs)];
    for (let ran = 1; ran > 0; ) {
      ran = 0;
      for (const w of workers) ran += await w.runOnce();
    }
    return smtp.inbox.slice(before);
  }
  const change = (...changes: PlayedChange[]) => env.database.transaction((tx) => play(tx, notifier.listener, ...changes));

  before(async () => {
    smtp = await startMailCatcher();
    env = await testContext({ config: { smtpUrl: smtp.url, publicUrl: PUBLIC } });
    const { ctx } = env;
    const built = await buildPlace(ctx);
    place = built.place;
    // A birth registration's names (as the catalogue's 1.001193 has them), which the mails read.
    const base = buildProvincialProcedure(place);
    procedure = await publishProcedures(
      ctx,
      buildProvincialProcedure(place, {
        name: "Đăng ký khai sinh",
        field: { code: "HOTICH", name: "Hộ tịch" },
        components: [{ ...base.components[0]!, name: "Tờ khai đăng ký khai sinh" }, ...base.components.slice(1)],
        form: { ...base.form!, ui: { ...base.form!.ui, fields: { ...base.form!.ui.fields, ngaySinh: { label: "Ngày, tháng, năm sinh", widget: "date" } } } },
      }),
    );
    // The notifier under test on a queue and mailer of its own, beside the context's (which has its own notifier).
    jobs = createJobQueue();
    const mail = createMailer({ jobs, smtpUrl: smtp.url, from: ctx.config.mailFrom, dataDir: ctx.config.dataDir });
    notifier = makeNotifier({ jobs, mail, identity: ctx.identity, publicUrl: PUBLIC, catalog: catalogLookup(ctx.catalog) });
    jobs.register(notifier.job, mail.job);

    // An officer with a verified address, through the identity service's own verification link.
    const { justice } = built.agencies;
    const chuyen = (await buildOfficer(ctx, { agency: justice, department: "hanh-chinh-tu-phap", fullName: "Lê Thị Chuyên", email: null })).user;
    await ctx.identity.changeEmail(chuyen, TEST_PASSWORD, "chuyen.le@example.vn");
    const link = (await deliver()).find((m) => m.to.includes("chuyen.le@example.vn"));
    await ctx.identity.verifyEmail(new URL(/https:\/\/\S+/.exec(link!.text)![0]).searchParams.get("token")!);
    officer = (await ctx.identity.user(chuyen.id))!;
    assert.equal(officer.emailVerified, true);
    const lanh = (await buildOfficer(ctx, { agency: justice, department: "van-phong", roles: ["leader"], fullName: "Phạm Văn Lãnh", email: null })).user;
    unverified = await ctx.identity.changeEmail(lanh, TEST_PASSWORD, "lanh.pham@example.vn");
    await deliver();
  });
  // A test that stops half way leaves no job and no mail for the next one to read as its own.
  afterEach(() => deliver());
  after(async () => {
    await env.close();
    await smtp.close();
  });

  it("writes dates as dd/MM/yyyy HH:mm in Vietnam's time", () => {
    assert.equal(vnDateTime(new Date("2026-03-06T09:30:00Z")), "06/03/2026 16:30");
    assert.equal(vnDateTime(new Date("2026-12-31T17:05:00Z")), "01/01/2027 00:05");
  });

  it("mails the applicant once per receipt, with the appointment and the lookup link", async () => {
    const d = dossierWithMail();
    const received = buildEvent(d, { action: "received", fromStatus: "new" });
    await change(received, buildEvent(d, { action: "receive", fromStatus: "new", fromNationalStatus: 2, step: step(0, "Thẩm định") }));
    const mails = await deliver();
    assert.equal(mails.length, 1);
    const [m] = mails;
    assert.equal(m!.to, d.applicant.email);
    assert.equal(m!.subject, `Hồ sơ ${d.code} đã được tiếp nhận`);
    assert.match(m!.text, /Kính gửi ông\/bà Nguyễn Thị Mai/);
    assert.match(m!.text, /Thủ tục: Đăng ký khai sinh/);
    assert.match(m!.text, /Ngày hẹn trả kết quả: 06\/03\/2026 16:30/);
    assert.ok(m!.text.includes(`${PUBLIC}/tra-cuu?ma=${d.code}&khoa=${d.lookupKey}`));

    // A receipt reported as one change (no `received` half) is mailed too, once.
    const other = dossierWithMail();
    await change(buildEvent(other, { action: "receive", fromStatus: "new", step: step(0, "Thẩm định") }));
    assert.deepEqual((await deliver()).map((x) => [x.to, x.subject]), [[other.applicant.email, `Hồ sơ ${other.code} đã được tiếp nhận`]]);
  });

  it("reads the catalogue and the directory in the change's transaction", async () => {
    const { ctx } = env;
    const found = await env.database.transaction(async (tx) => ({
      procedure: await catalogLookup(ctx.catalog)(tx, { code: procedure.code, version: 1 }),
      unknown: await catalogLookup(ctx.catalog)(tx, { code: "9.999999", version: 1 }),
      agency: await directoryLookup(ctx.directory)(tx, place.justice),
      noAgency: await directoryLookup(ctx.directory)(tx, "999.99.99.Z99"),
    }));
    assert.equal(found.procedure?.name, "Đăng ký khai sinh");
    assert.equal(found.procedure?.field.name, "Hộ tịch");
    assert.equal(found.unknown, null);
    assert.ok(found.agency?.departments.some((d) => d.code === "hanh-chinh-tu-phap"));
    assert.equal(found.noAgency, null);
  });

  it("lists what a supplement request asks for, by the procedure's names", async () => {
    const d = dossierWithMail({ status: "supplementing", nationalStatus: 5 });
    const items = [
      { component: "to-khai", reason: "Tờ khai chưa có chữ ký của người yêu cầu" },
      { field: "ngaySinh", reason: "Ngày sinh không khớp với giấy chứng sinh" },
      { reason: "Thiếu bản sao giấy đăng ký kết hôn" },
    ];
    await change(buildEvent(d, { action: "request_supplement", details: { items } }));
    const [m, ...rest] = await deliver();
    assert.equal(rest.length, 0);
    assert.equal(m!.to, d.applicant.email);
    assert.equal(m!.subject, `Hồ sơ ${d.code} cần bổ sung, hoàn thiện`);
    assert.match(m!.text, /1\. Tờ khai đăng ký khai sinh: Tờ khai chưa có chữ ký của người yêu cầu/);
    assert.match(m!.text, /2\. Ngày, tháng, năm sinh: Ngày sinh không khớp với giấy chứng sinh/);
    assert.match(m!.text, /3\. Thiếu bản sao giấy đăng ký kết hôn/);
    assert.match(m!.text, /tạm dừng cho đến khi ông\/bà nộp bổ sung/);
  });

  it("sends the apology with its reason and the new date", async () => {
    const d = dossierWithMail();
    await change(buildEvent(d, { action: "apologize", details: { reason: "Chờ kết quả xác minh của cơ quan công an", newDueAt: "2026-03-10T02:00:00.000Z" } }));
    const [m] = await deliver();
    assert.equal(m!.subject, `Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ ${d.code}`);
    assert.match(m!.text, /chân thành xin lỗi/);
    assert.match(m!.text, /Lý do: Chờ kết quả xác minh của cơ quan công an/);
    assert.match(m!.text, /Ngày hẹn trả kết quả mới: 10\/03\/2026 09:00/);
  });

  it("tells the applicant the result is ready and how it is returned", async () => {
    const byPost = dossierWithMail({ status: "done", nationalStatus: 9 });
    const atCounter = dossierWithMail({ status: "done", nationalStatus: 9, channel: "counter" });
    await change(buildEvent(byPost, { action: "finish", details: { method: "post" } }));
    await change(buildEvent(atCounter, { action: "finish" }));
    const mails = await deliver();
    const post = mails.find((m) => m.to === byPost.applicant.email);
    const counter = mails.find((m) => m.to === atCounter.applicant.email);
    assert.equal(post?.subject, `Hồ sơ ${byPost.code} đã có kết quả`);
    assert.match(post!.text, /bưu chính công ích/);
    assert.match(counter!.text, /trực tiếp tại Bộ phận Một cửa/);
    // Taken at the counter for an applicant without an account: the lookup is all there is.
    assert.ok(counter!.text.includes(`${PUBLIC}/tra-cuu?ma=`));
  });

  it("links the result to the dossier's own page (sign in, then download), not to the public lookup", async () => {
    const online = dossierWithMail({ status: "done", nationalStatus: 9, ownerUserId: randomUUID() });
    await change(buildEvent(online, { action: "finish" }));
    const [m, ...rest] = await deliver();
    assert.equal(rest.length, 0);
    assert.equal(m!.subject, `Hồ sơ ${online.code} đã có kết quả`);
    assert.ok(m!.text.includes(`Xem hồ sơ và tải kết quả (đăng nhập Cổng dịch vụ công bằng tài khoản đã nộp hồ sơ): ${PUBLIC}/ho-so-cua-toi/${online.id}`), m!.text);
    assert.ok(!m!.text.includes("/tra-cuu"), "not the lookup, which shows the status only");
  });

  it("mails an officer given a dossier, at their verified address, with the office link", async () => {
    const d = dossierWithMail();
    const toOfficer = step(1, "Thẩm định hồ sơ", new Date("2026-03-04T09:30:00Z"), officer.id);
    const leader = { ...officerActor, userId: "leader-1", roles: [{ role: "leader" as const, agencyCode: place.justice }] };
    await change(buildEvent(d, { action: "assign", actor: leader, step: toOfficer }));
    const [m, ...rest] = await deliver();
    assert.equal(rest.length, 0, "the applicant is not told of an assignment");
    assert.equal(m!.to, "chuyen.le@example.vn");
    assert.equal(m!.subject, `Ông/bà được giao xử lý hồ sơ ${d.code}`);
    assert.match(m!.text, /Kính gửi ông\/bà Lê Thị Chuyên/);
    assert.match(m!.text, /Bước xử lý: Thẩm định hồ sơ/);
    assert.match(m!.text, /Hạn xử lý bước: 04\/03\/2026 16:30/);
    assert.ok(m!.text.includes(`${PUBLIC}/office/ho-so/${d.id}`));

    // A forward and a send-back that give it to the officer tell them too.
    await change(buildEvent(d, { action: "forward", actor: leader, step: toOfficer, endedStep: { ...step(0, "Tiếp nhận"), startedAt: new Date() } }));
    await change(buildEvent(d, { action: "send_back", actor: leader, step: toOfficer, endedStep: { ...step(2, "Phê duyệt"), startedAt: new Date() } }));
    assert.deepEqual((await deliver()).map((x) => x.to), ["chuyen.le@example.vn", "chuyen.le@example.vn"]);

    // Not an unverified address, not an officer who assigned it to themselves, not an unknown account.
    await change(buildEvent(d, { action: "assign", actor: leader, step: { ...toOfficer, assigneeUserId: unverified.id } }));
    await change(buildEvent(d, { action: "assign", actor: { ...officerActor, userId: officer.id }, step: toOfficer }));
    await change(buildEvent(d, { action: "assign", actor: leader, step: { ...toOfficer, assigneeUserId: "no-such-user" } }));
    assert.deepEqual(await deliver(), []);
  });

  it("sends nothing to an applicant without an address, nor for changes the applicant is not told of", async () => {
    const base = dossierOf();
    const d = { ...base, applicant: { ...base.applicant, email: null } };
    await change(
      buildEvent(d, { action: "received", fromStatus: "new" }),
      buildEvent(d, { action: "request_supplement", details: { items: [{ reason: "Thiếu giấy tờ" }] } }),
      buildEvent(d, { action: "apologize", details: { reason: "Quá tải" } }),
      buildEvent(d, { action: "finish" }),
    );
    const withMail = dossierWithMail();
    await change(buildEvent(withMail, { action: "forward", step: step(1, "Thẩm định") }), buildEvent(withMail, { action: "supplement", fromStatus: "supplementing" }));
    assert.deepEqual(await deliver(), []);
  });

  it("sends nothing for a change that rolls back", async () => {
    const d = dossierWithMail();
    const leader = { ...officerActor, userId: "leader-1" };
    await assert.rejects(
      env.database.transaction(async (tx) => {
        await play(
          tx,
          notifier.listener,
          buildEvent(d, { action: "received", fromStatus: "new" }),
          buildEvent(d, { action: "assign", actor: leader, step: step(1, "Thẩm định", undefined, officer.id) }),
        );
        throw new Error("the change failed");
      }),
      /the change failed/,
    );
    const rows = await env.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM jobs WHERE status <> 'done'`);
    assert.equal(rows[0]!.n, 0);
    assert.deepEqual(await deliver(), []);
  });
});
