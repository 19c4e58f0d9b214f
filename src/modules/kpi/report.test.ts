// The monthly report (issue 17, item 5): a leader subscribes on the dashboard, the monthly job mails last month's
// report as a PDF (its charts drawn as paths) to each subscriber once, even when it runs again; unsubscribing stops it.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import { type MailCatcher, startMailCatcher } from "../../../test/helpers/smtp.ts";
import { cliActor } from "../../platform/cli.ts";
import { fixedClock } from "../../platform/clock.ts";
import type { App } from "../../platform/http/types.ts";
import { testWorker } from "../../platform/jobs/testing.ts";
import { sql } from "../../platform/db/drizzle.ts";
import { execRows } from "../../platform/db/index.ts";
import type { AgencyDto } from "../directory/index.ts";
import { buildAgency } from "../directory/testing.ts";
import { buildOfficer, type FormBrowser, formBrowser, TEST_PASSWORD, type TestAccount } from "../identity/testing.ts";
import { signInThroughParty } from "../identity/relying-party/testing.ts";
import { makeSubscriptions, previousMonth, reportJob, type Subscriptions } from "./subscriptions.ts";
import { playLife, testListeners } from "./testing.ts";

describe("kpi monthly report", () => {
  let env: TestEnv & { app: App };
  let smtp: MailCatcher;
  let centre: AgencyDto;
  let leaders: TestAccount[];
  let subscriptions: Subscriptions;
  const clock = fixedClock("2026-04-01T00:30:00Z"); // 07:30 on 1 April in Vietnam

  before(async () => {
    smtp = await startMailCatcher();
    env = await testApp({ clock, config: { smtpUrl: smtp.url } });
    const province = await buildAgency(env.ctx, { provinceCode: "24" });
    centre = await buildAgency(env.ctx, { parent: province, name: "Trung tâm Phục vụ hành chính công thử nghiệm" });
    leaders = [await buildOfficer(env.ctx, { agency: centre, roles: ["leader"] }), await buildOfficer(env.ctx, { agency: centre, roles: ["leader"] })];
    await playLife(env.database, testListeners({}, []), { id: "R1", code: "R1", agencyCode: centre.code, processingAgencyCode: centre.code, provinceCode: "24", channel: "online", procedureCode: "1.000101" }, [
      { action: "submit", at: "2026-03-02T01:00:00Z" },
      { action: "receive", at: "2026-03-02T02:00:00Z", set: { status: "processing", nationalStatus: 4, receivedAt: new Date("2026-03-02T02:00:00Z"), dueAt: new Date("2026-03-06T09:00:00Z"), originalDueAt: new Date("2026-03-06T09:00:00Z") } },
    ]);
    subscriptions = makeSubscriptions({ database: env.database, clock, mail: env.ctx.mail, logger: env.ctx.logger, kpi: env.ctx.kpi, directory: env.ctx.directory, identity: env.ctx.identity });
  });
  after(async () => {
    await env.close();
    await smtp.close();
  });

  const browsers = new Map<string, FormBrowser>();
  /** Posts the dashboard's toggle from the leader's browser, signed in to the office. */
  const post = async (who: TestAccount, form: Record<string, string>) => {
    let b = browsers.get(who.id);
    if (!b) {
      b = await formBrowser(env.app);
      await signInThroughParty(env.ctx, b, "office", who.username, TEST_PASSWORD);
      browsers.set(who.id, b);
    }
    return b.post("/office/chi-so/bao-cao-thang", form);
  };

  it("reports the month before", () => {
    assert.equal(previousMonth(clock.now()), "2026-03");
    assert.equal(previousMonth(new Date("2026-01-01T00:30:00Z")), "2025-12");
  });

  it("lets a leader subscribe on the dashboard, and shows the toggle", async () => {
    for (const l of leaders) {
      const res = await post(l, { "co-quan": centre.code, nhan: "1" });
      assert.equal(res.statusCode, 303, res.body.slice(0, 3000));
    }
    assert.equal(await subscriptions.has(leaders[0]!.id, centre.code), true);
    const page = await env.app.inject({ method: "GET", url: "/office/chi-so?ky=2026-03", headers: { authorization: `Bearer ${await leaders[0]!.token()}`, accept: "text/html" } });
    assert.match(page.body, /Ngừng nhận báo cáo tháng/);
    // A leader may not subscribe to another agency's report.
    const other = await buildAgency(env.ctx, { provinceCode: "25" });
    assert.equal((await post(leaders[0]!, { "co-quan": other.code, nhan: "1" })).statusCode, 403);
  });

  it("mails each subscriber the month's PDF once, however often the job runs", async () => {
    await reportJob(subscriptions).handler({}, { id: "test", attempt: 1, logger: env.ctx.logger } as never);
    assert.equal(await subscriptions.sendMonth(), 0); // run again (a crash and rerun): nothing queued twice
    await testWorker(env.database, env.ctx.jobs).runOnce();
    const mails = smtp.inbox.filter((m) => m.subject.startsWith("Báo cáo chỉ số tháng 3/2026"));
    assert.deepEqual(mails.map((m) => m.to).sort(), leaders.map((l) => l.user.email!).sort());
    for (const m of mails) {
      assert.equal(m.attachments.length, 1);
      const pdf = m.attachments[0]!;
      assert.equal(pdf.filename, "bao-cao-chi-so-2026-03.pdf");
      assert.equal(pdf.content.subarray(0, 5).toString(), "%PDF-");
    }
    const rows = await execRows<{ n: number }>(env.database.db, sql`SELECT count(*)::int AS n FROM kpi_report_sends WHERE month = '2026-03'`);
    assert.equal(rows[0]?.n, 2);
  });

  it("stops when the leader unsubscribes", async () => {
    assert.equal((await post(leaders[1]!, { "co-quan": centre.code, nhan: "0" })).statusCode, 303);
    assert.equal(await subscriptions.has(leaders[1]!.id, centre.code), false);
    assert.equal(await subscriptions.sendMonth("2026-04"), 1);
  });

  it("sends nothing to a leader who has since lost the agency, drops the subscription, and lets them unsubscribe", async () => {
    const [kept, moved] = [leaders[0]!, leaders[1]!];
    // The second leader subscribes again, then is no longer a leader there (a receiver at the desk now).
    assert.equal((await post(moved, { "co-quan": centre.code, nhan: "1" })).statusCode, 303);
    await env.ctx.identity.setRoles(cliActor(), moved.id, [{ role: "receiver", agencyCode: centre.code }]);
    assert.equal(await subscriptions.sendMonth("2026-05"), 1); // only the leader who still holds the centre
    await testWorker(env.database, env.ctx.jobs).runOnce();
    const mails = smtp.inbox.filter((m) => m.subject.startsWith("Báo cáo chỉ số tháng 5/2026"));
    assert.deepEqual(mails.map((m) => m.to), [kept.user.email!]);
    assert.equal(await subscriptions.has(moved.id, centre.code), false);
    // Unsubscribing needs no access to the agency any more (a subscription kept by a leader who has left it).
    await env.database.transaction((tx) => tx.execute(sql`INSERT INTO kpi_report_subscriptions (user_id, agency_code, email, created_at) VALUES (${moved.id}, ${centre.code}, ${moved.user.email!}, now())`));
    const user = (await env.ctx.identity.user(moved.id))!;
    await subscriptions.set(env.ctx.identity.actorFor(user, { loa: 0 }), centre.code, false);
    assert.equal(await subscriptions.has(moved.id, centre.code), false);
  });
});
