// The listeners as the running node has them: a dossier received through the API mails its applicant
// through a real SMTP server, and reaches the national portal's endpoint as received (2) then being
// processed (4), each message once and in order — the wiring of context.ts, not a hand-built event.
import assert from "node:assert/strict";
import http from "node:http";
import type net from "node:net";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { App } from "../../platform/http/types.ts";
import { testWorker, waitFor } from "../../platform/jobs/testing.ts";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import type { ProcedureContent } from "../catalog/index.ts";
import { apiAs, buildProvincialProcedure, dossierSetting, type DossierSetting, formOf, publishProcedures, uploadAs } from "./testing.ts";
import { type MailCatcher, startMailCatcher } from "../../../test/helpers/smtp.ts";

describe("a dossier's outbox on the running node", () => {
  let env: TestEnv & { app: App };
  let smtp: MailCatcher;
  let portal: http.Server;
  const synced: Array<{ service: string; status: unknown; code: unknown }> = [];
  let s: DossierSetting;
  let procedure: ProcedureContent;

  before(async () => {
    smtp = await startMailCatcher();
    portal = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        const m = JSON.parse(body) as { service: string; data: Record<string, unknown> };
        synced.push({ service: m.service, status: m.data.TrangThaiHoSo, code: m.data.MaHoSo });
        res.writeHead(200).end("{}");
      });
    });
    await new Promise<void>((r) => portal.listen(0, "127.0.0.1", r));
    const { port } = portal.address() as net.AddressInfo;
    env = await testApp({
      config: {
        smtpUrl: smtp.url,
        publicUrl: "https://dvc.example.gov.vn",
        nationalSync: { url: `http://127.0.0.1:${port}/dongbo`, token: null, timeoutMs: 5000 },
      },
    });
    s = await dossierSetting(env.ctx);
    procedure = await publishProcedures(env.ctx, buildProvincialProcedure(s.place, { name: "Thủ tục thử hộp thư đi" }));
  });
  after(async () => {
    await env.close();
    await smtp.close();
    await new Promise<void>((r) => portal.close(() => r()));
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
    assert.equal(code, filed.json().code, "the code given at filing is the receipt's");

    const worker = testWorker(env.database, env.ctx.jobs);
    await worker.start();
    try {
      await waitFor("the receipt mail", () => smtp.inbox.some((m) => m.to.includes("mai.nguyen@example.vn")));
      await waitFor("the national portal's messages", () => synced.filter((s) => s.service === "DongBoHoSoMC").length >= 3);
    } finally {
      await worker.stop();
    }
    const mail = smtp.inbox.find((m) => m.to.includes("mai.nguyen@example.vn"))!;
    assert.match(mail.subject, /tiếp nhận/i);
    assert.ok(mail.text.includes(code), "the mail names the dossier code");
    assert.ok(mail.text.includes("https://dvc.example.gov.vn/tra-cuu?ma="), "and the lookup link");
    assert.deepEqual(
      synced.filter((s) => s.service === "DongBoHoSoMC").map((s) => Number(s.status)),
      [1, 2, 4],
      "filed, received, being processed — once each, in order",
    );
    // MaHoSo never changes: the first message (1, filed) already carries the code the receipt keeps.
    assert.deepEqual(
      synced.filter((s) => s.service === "DongBoHoSoMC").map((s) => s.code),
      [code, code, code],
    );
  });
});
