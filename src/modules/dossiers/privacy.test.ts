// Drafts are private until filed (issue 13, item 7): an online draft and its papers are the applicant's alone —
// every read path of the agencies' staff (the API's dossier, its files and forms, the office's pages, the queues,
// the register) answers as if it did not exist (404), and the desk can neither save, attach to nor file it. From its
// filing the agencies see it; a dossier made at the counter is the desk's from its creation.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import type { App } from "../../platform/http/types.ts";
import type { ProcedureContent } from "../catalog/index.ts";
import { buildOfficer, type FormBrowser, formBrowser, TEST_PASSWORD, type TestAccount } from "../identity/testing.ts";
import { signInThroughParty } from "../identity/relying-party/testing.ts";
import { apiAs, buildProvincialProcedure, type DossierSetting, dossierSetting, PDF, publishProcedures, uploadAs, uploadFrom } from "./testing.ts";

const HTML = { accept: "text/html" };
/** Staff who would see a filed dossier of the centre: its desk, those above it, the node's administrator. */
const STAFF = ["receiver", "chairman", "supervisor", "admin", "systemAdmin"] as const;
type Person = (typeof STAFF)[number] | "owner" | "justiceDesk";
const QUEUES = ["new", "processing", "supplement", "due_soon", "overdue", "finished", "returned"] as const;
/** Vietnam's today, for the register's period. */
const today = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);

describe("drafts are private until filed", () => {
  let env: TestEnv & { app: App };
  let s: DossierSetting;
  let people: Record<Person, TestAccount>;
  let procedure: ProcedureContent;
  let FORM: { hoTen: string; soCccd: string };
  const browsers = new Map<Person, FormBrowser>();
  let draft = "";
  let paper = "";

  const api = (who: Person, method: "GET" | "POST" | "PUT", url: string, payload?: object) => apiAs(env.app)(people[who], method, url, payload);
  const upload = (who: Person, id: string) => uploadAs(env.app, people[who], id, "to-khai");
  const createOnline = async () => {
    const res = await api("owner", "POST", "/api/dossiers", { procedureCode: procedure.code, agencyCode: s.place.centre, formData: FORM, requestId: randomUUID() });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().id as string;
  };
  /** Every id the agencies' lists show `who`: each queue of the API and of the office's page, and today's register. */
  const listed = async (who: Person): Promise<string> => {
    const seen: string[] = [];
    for (const queue of QUEUES) seen.push((await api(who, "GET", `/api/office/dossiers?queue=${queue}&pageSize=100`)).body);
    const page = browsers.get(who);
    if (page) for (const queue of QUEUES) seen.push((await page.get(`/office/ho-so?hang-doi=${queue}`, HTML)).body);
    seen.push((await api(who, "GET", `/api/office/register?agency=${s.place.centre}&from=${today()}&to=${today()}&format=csv`)).body);
    return seen.join("\n");
  };

  before(async () => {
    env = await testApp();
    s = await dossierSetting(env.ctx);
    procedure = await publishProcedures(env.ctx, buildProvincialProcedure(s.place, { name: "Cấp phiếu thử nghiệm bản nháp riêng tư" }));
    const { cast, agencies } = s;
    people = {
      ...cast,
      owner: cast.citizen,
      justiceDesk: await buildOfficer(env.ctx, { agency: agencies.justice, department: "van-phong", roles: ["receiver"], fullName: "Kiều Thị Thư" }),
      systemAdmin: await buildOfficer(env.ctx, { agency: agencies.province, roles: ["system_admin"], fullName: "Quản trị hệ thống" }),
    };
    FORM = { hoTen: cast.citizen.user.fullName, soCccd: cast.citizen.username };
    for (const who of ["receiver", "supervisor"] as const) {
      const b = await formBrowser(env.app);
      await signInThroughParty(env.ctx, b, "office", people[who].username, TEST_PASSWORD);
      browsers.set(who, b);
    }
    draft = await createOnline();
    const attached = await upload("owner", draft);
    assert.equal(attached.statusCode, 201, attached.body);
    paper = attached.json().id;
  });
  after(() => env.close());

  it("answers every officer's read of an online draft, its papers and its forms with 404, as for no dossier", async () => {
    for (const who of STAFF) {
      for (const url of [`/api/dossiers/${draft}`, `/api/dossiers/${draft}/attachments/${paper}`, `/api/dossiers/${draft}/forms/01.pdf`]) {
        const res = await api(who, "GET", url);
        assert.equal(res.statusCode, 404, `${who} GET ${url}`);
        assert.equal(res.json().error.code, "dossier.not_found", `${who} GET ${url}`);
      }
    }
    // The applicant reads both.
    assert.equal((await api("owner", "GET", `/api/dossiers/${draft}`)).json().status, "draft");
    assert.equal((await api("owner", "GET", `/api/dossiers/${draft}/attachments/${paper}`)).body, PDF.toString());
  });

  it("shows the office's page of an online draft to no officer", async () => {
    for (const [who, b] of browsers) {
      const res = await b.get(`/office/ho-so/${draft}`, HTML);
      assert.equal(res.statusCode, 404, who);
      assert.doesNotMatch(res.body, new RegExp(FORM.hoTen), `${who}: nothing of the applicant on the page`);
    }
  });

  it("lets the desk neither save, attach to nor file an applicant's online draft (404), and leaves it as it was", async () => {
    const desk = browsers.get("receiver")!;
    const changed = { hoTen: "Người khác", soCccd: FORM.soCccd };
    assert.equal((await api("receiver", "PUT", `/api/dossiers/${draft}/form`, { formData: changed })).statusCode, 404);
    assert.equal((await upload("receiver", draft)).statusCode, 404);
    assert.equal((await api("receiver", "POST", `/api/dossiers/${draft}/submit`)).statusCode, 404);
    assert.equal((await api("receiver", "POST", `/api/dossiers/${draft}/actions/submit`, {})).statusCode, 404);
    assert.equal((await desk.post(`/office/ho-so/${draft}`, { intent: "receive", "f.hoTen": "Người khác", "f.soCccd": FORM.soCccd })).statusCode, 404);
    assert.equal((await uploadFrom(env.app, desk, `/office/ho-so/${draft}/tep`, "to-khai", { name: "to-khai.pdf", type: "application/pdf", bytes: PDF })).statusCode, 404);
    const mine = (await api("owner", "GET", `/api/dossiers/${draft}`)).json();
    assert.equal(mine.status, "draft");
    assert.deepEqual(mine.formData, FORM);
    assert.equal(mine.attachments.length, 1);
  });

  it("lists no draft in any queue or register, and the filed dossier from its filing", async () => {
    const id = await createOnline();
    assert.equal((await upload("owner", id)).statusCode, 201);
    for (const who of ["receiver", "supervisor"] as const) {
      const lists = await listed(who);
      assert.ok(!lists.includes(draft) && !lists.includes(id), `${who}: no draft listed`);
    }
    assert.equal((await api("owner", "POST", `/api/dossiers/${id}/submit`)).statusCode, 200);
    for (const who of ["receiver", "chairman", "supervisor", "admin"] as const) assert.equal((await api(who, "GET", `/api/dossiers/${id}`)).statusCode, 200, who);
    assert.equal((await api("systemAdmin", "GET", `/api/dossiers/${id}`)).statusCode, 404, "the node's administrator sees no dossier");
    assert.match(await listed("receiver"), new RegExp(id), "in the desk's queue of new dossiers");
    assert.equal((await browsers.get("receiver")!.get(`/office/ho-so/${id}`, HTML)).statusCode, 200);
  });

  it("keeps a draft the applicant withdrew hidden: it was never filed", async () => {
    const id = await createOnline();
    assert.equal((await api("owner", "POST", `/api/dossiers/${id}/actions/withdraw`, {})).json().status, "withdrawn");
    for (const who of STAFF) assert.equal((await api(who, "GET", `/api/dossiers/${id}`)).statusCode, 404, who);
  });

  it("shows a counter dossier to its desk from its creation, and to no other agency's desk", async () => {
    const res = await api("receiver", "POST", "/api/dossiers", {
      procedureCode: procedure.code, agencyCode: s.place.centre, channel: "counter", formData: FORM, requestId: randomUUID(),
      applicant: { type: "citizen", name: "Trần Văn Bình", idNumber: "001099000123" },
    });
    assert.equal(res.statusCode, 201, res.body);
    const id = res.json().id;
    assert.equal((await api("receiver", "GET", `/api/dossiers/${id}`)).json().status, "draft");
    assert.equal((await api("receiver", "PUT", `/api/dossiers/${id}/form`, { formData: FORM })).statusCode, 200, "the desk completes it");
    assert.equal((await api("justiceDesk", "GET", `/api/dossiers/${id}`)).statusCode, 404);
  });
});
