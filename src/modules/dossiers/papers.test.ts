// The papers a dossier must carry as the law reads them (issue 14, item 9): filed online, the declaration the
// e-form is (tờ khai) needs no file — the e-form filled in is it — while at the counter the paper stays required;
// a paper only shown in person (xuất trình) is never asked for nor taken as an upload, on any channel.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import type { App } from "../../platform/http/types.ts";
import type { Component, ProcedureContent } from "../catalog/index.ts";
import { signInThroughParty } from "../identity/relying-party/testing.ts";
import { formBrowser, TEST_PASSWORD } from "../identity/testing.ts";
import { apiAs, buildProvincialProcedure, dossierSetting, type DossierSetting, formOf, publishProcedures, uploadAs } from "./testing.ts";

const DECLARATION: Component = {
  key: "to-khai",
  name: "Tờ khai đề nghị cấp phiếu thử nghiệm",
  required: true,
  counts: { original: 1, certifiedCopy: 0, copy: 0 },
  fileTypes: ["application/pdf"],
  template: "Tờ khai (mẫu thử)",
  replacedByEForm: true,
};
const SHOWN: Component = {
  key: "giay-to-tuy-than",
  name: "Thẻ Căn cước của người yêu cầu (xuất trình)",
  required: true,
  counts: { original: 1, certifiedCopy: 0, copy: 0 },
  fileTypes: ["application/pdf", "image/jpeg"],
  shownOnly: true,
};

describe("the papers a dossier must carry", () => {
  let env: TestEnv & { app: App };
  let api: ReturnType<typeof apiAs>;
  let s: DossierSetting;
  let procedure: ProcedureContent;

  before(async () => {
    env = await testApp();
    api = apiAs(env.app);
    s = await dossierSetting(env.ctx);
    procedure = await publishProcedures(env.ctx, buildProvincialProcedure(s.place, { name: "Cấp phiếu thử nghiệm giấy tờ", components: [DECLARATION, SHOWN] }));
  });
  after(() => env.close());

  const online = () => ({ procedureCode: procedure.code, agencyCode: s.place.centre, formData: formOf(s.cast.citizen), requestId: randomUUID() });
  const counter = () => ({ ...online(), channel: "counter", applicant: { type: "citizen", name: "Nguyễn Thị Mai", idNumber: s.cast.citizen.username } });

  it("files online without a file of the declaration the e-form is, nor of a paper only shown", async () => {
    const filed = await api(s.cast.citizen, "POST", "/api/dossiers", { ...online(), submit: true });
    assert.equal(filed.statusCode, 201, filed.body);
    assert.equal(filed.json().status, "new");
    assert.deepEqual(filed.json().attachments, []);
    // Drafted first and submitted later, the same.
    const draft = await api(s.cast.citizen, "POST", "/api/dossiers", online());
    const submitted = await api(s.cast.citizen, "POST", `/api/dossiers/${draft.json().id}/submit`);
    assert.equal(submitted.statusCode, 200, submitted.body);
  });

  it("keeps the declaration required at the counter, and never the paper only shown", async () => {
    const refused = await api(s.cast.receiver, "POST", "/api/dossiers", { ...counter(), submit: true });
    assert.equal(refused.statusCode, 400, refused.body);
    assert.deepEqual(refused.json().error.fields.map((f: { path: string }) => f.path), ["/attachments/to-khai"]);
    const draft = await api(s.cast.receiver, "POST", "/api/dossiers", counter());
    assert.equal((await uploadAs(env.app, s.cast.receiver, draft.json().id, "to-khai")).statusCode, 201);
    const filed = await api(s.cast.receiver, "POST", `/api/dossiers/${draft.json().id}/submit`);
    assert.equal(filed.statusCode, 200, filed.body);
  });

  it("takes no upload of a paper only shown in person, on any channel", async () => {
    for (const [who, body] of [
      [s.cast.citizen, online()],
      [s.cast.receiver, counter()],
    ] as const) {
      const draft = await api(who, "POST", "/api/dossiers", body);
      const res = await uploadAs(env.app, who, draft.json().id, "giay-to-tuy-than");
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().error.fields[0].path, "/component");
      assert.match(res.json().error.fields[0].message, /xuất trình/);
    }
  });

  it("asks for no upload of either on the online filing page", async () => {
    const draft = await api(s.cast.citizen, "POST", "/api/dossiers", online());
    const b = await formBrowser(env.app);
    await signInThroughParty(env.ctx, b, "portal", s.cast.citizen.username, TEST_PASSWORD);
    const page = await b.get(`/ho-so-cua-toi/${draft.json().id}`, { accept: "text/html" });
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /name="component" value="giay-to-tuy-than"/);
    assert.doesNotMatch(page.body, /name="component" value="to-khai"/);
    assert.match(page.body, /id="paper-giay-to-tuy-than-shown"/);
    assert.match(page.body, /id="paper-to-khai-eform"/);
  });
});
