// Digitisation and reuse (issue 14, item 8): the receiver marks each scanned paper digitised at the counter; the
// applicant's digitised papers and returned results are kept in their data store (kho dữ liệu), listed on
// "Kho dữ liệu của tôi", and reused in a later filing by link instead of an upload; nobody else sees or uses them;
// what happened reaches the national portal's flags.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import type { App } from "../../platform/http/types.ts";
import type { ProcedureContent } from "../catalog/index.ts";
import { signInThroughParty } from "../identity/relying-party/testing.ts";
import { buildCitizen, formBrowser, TEST_PASSWORD, type TestAccount } from "../identity/testing.ts";
import { toDongBoHoSoMC } from "./national-format.ts";
import * as repo from "./repo.ts";
import { readSnapshot } from "./repo.sync.ts";
import { apiAs, buildProvincialProcedure, dossierSetting, type DossierSetting, driveTo, fileDossier, formOf, multipart, PDF, publishProcedures } from "./testing.ts";

const HTML = { accept: "text/html" };

describe("the applicant's data store: digitised papers and results, reused by link", () => {
  let env: TestEnv & { app: App };
  let api: ReturnType<typeof apiAs>;
  let s: DossierSetting;
  let procedure: ProcedureContent;
  let stranger: TestAccount;

  before(async () => {
    env = await testApp();
    api = apiAs(env.app);
    s = await dossierSetting(env.ctx);
    procedure = await publishProcedures(env.ctx, buildProvincialProcedure(s.place, { name: "Thủ tục thử kho dữ liệu" }));
    stranger = await buildCitizen(env.ctx, { fullName: "Người Lạ Thử Nghiệm" });
  });
  after(() => env.close());

  /** A counter dossier for the cast's citizen (a walk-in with an account), with `to-khai` uploaded by the receiver. */
  const atCounter = async (digitised: string | null) => {
    const { citizen, receiver } = s.cast;
    const created = await api(receiver, "POST", "/api/dossiers", {
      procedureCode: procedure.code,
      agencyCode: s.place.centre,
      formData: formOf(citizen),
      requestId: randomUUID(),
      applicant: { type: "citizen", name: citizen.user.fullName, idNumber: citizen.username },
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as string;
    const fields: Record<string, string> = { component: "to-khai", ...(digitised === null ? {} : { digitised }) };
    const { payload, headers } = multipart(fields, { name: "to-khai-ban-quet.pdf", type: "application/pdf", bytes: PDF });
    const up = await env.app.inject({ method: "POST", url: `/api/dossiers/${id}/attachments`, payload, headers: { ...headers, authorization: `Bearer ${await receiver.token()}` } });
    assert.equal(up.statusCode, 201, up.body);
    return { id, file: up.json() as { id: string; digitised: boolean; sha256: string } };
  };

  /** A draft of the citizen's own, online, with nothing attached. */
  const draftOf = async (who: TestAccount) => {
    const created = await api(who, "POST", "/api/dossiers", { procedureCode: procedure.code, agencyCode: s.place.centre, formData: formOf(who), requestId: randomUUID() });
    assert.equal(created.statusCode, 201, created.body);
    return created.json().id as string;
  };

  it("records per paper whether the receiver digitised it, and lets only the desk say so", async () => {
    const scanned = await atCounter("true");
    assert.equal(scanned.file.digitised, true);
    const plain = await atCounter(null);
    assert.equal(plain.file.digitised, false);
    const rows = await repo.listFiles(env.database.db, scanned.id);
    assert.deepEqual(rows.map((f) => [f.component, f.digitised]), [["to-khai", true]]);
    // An applicant's own upload is not the desk's digitisation.
    const draft = await draftOf(s.cast.citizen);
    const { payload, headers } = multipart({ component: "to-khai", digitised: "true" }, { name: "to-khai.pdf", type: "application/pdf", bytes: PDF });
    const refused = await env.app.inject({ method: "POST", url: `/api/dossiers/${draft}/attachments`, payload, headers: { ...headers, authorization: `Bearer ${await s.cast.citizen.token()}` } });
    assert.equal(refused.statusCode, 400);
    assert.deepEqual(refused.json().error.fields.map((f: { path: string }) => f.path), ["/digitised"]);
  });

  it("keeps the citizen's digitised papers and returned results in their store, for them alone", async () => {
    const scanned = await atCounter("true");
    const notScanned = await atCounter(null);
    const returned = await fileDossier(env.ctx, s, procedure, { stage: "returned" });
    const result = returned.attachments.find((f) => f.kind === "result")!;
    const unfinished = await fileDossier(env.ctx, s, procedure, { stage: "received" });

    const mine = await api(s.cast.citizen, "GET", "/api/me/documents");
    assert.equal(mine.statusCode, 200);
    const items = mine.json().items as Array<{ id: string; source: string; dossierId: string; dossierCode: string | null }>;
    const ids = items.map((i) => i.id);
    assert.ok(ids.includes(scanned.file.id), "the digitised paper");
    assert.ok(ids.includes(result.id), "the returned result");
    assert.equal(items.find((i) => i.id === result.id)?.source, "result");
    assert.equal(items.find((i) => i.id === scanned.file.id)?.source, "digitised");
    assert.equal(items.find((i) => i.id === result.id)?.dossierCode, returned.code);
    assert.ok(!ids.includes(notScanned.file.id), "a paper not digitised is not kept");
    assert.ok(!items.some((i) => i.dossierId === unfinished.id), "an online upload is not a digitised paper");

    const download = await api(s.cast.citizen, "GET", `/api/me/documents/${scanned.file.id}`);
    assert.equal(download.statusCode, 200);
    assert.deepEqual(download.rawPayload, PDF);

    // Another citizen: an empty store, and the document is not found.
    const theirs = await api(stranger, "GET", "/api/me/documents");
    assert.deepEqual(theirs.json().items, []);
    const read = await api(stranger, "GET", `/api/me/documents/${scanned.file.id}`);
    assert.equal(read.statusCode, 404);
    assert.equal(read.json().error.code, "dossier.document_not_found");
    // Nor through their own draft.
    const strangersDraft = await draftOf(stranger);
    const reuse = await api(stranger, "POST", `/api/dossiers/${strangersDraft}/attachments/reuse`, { component: "to-khai", documentId: scanned.file.id });
    assert.equal(reuse.statusCode, 404);
    assert.equal(reuse.json().error.code, "dossier.document_not_found");
    assert.deepEqual(await repo.listFiles(env.database.db, strangersDraft), []);
  });

  it("reuses no stored document for a paper only shown in person, as an upload is refused", async () => {
    const scanned = await atCounter("true");
    const shown = await publishProcedures(
      env.ctx,
      buildProvincialProcedure(s.place, {
        name: "Thủ tục thử giấy tờ xuất trình",
        components: [{ key: "cccd", name: "Thẻ Căn cước (xuất trình)", required: true, counts: { original: 1, certifiedCopy: 0, copy: 0 }, fileTypes: ["application/pdf"], shownOnly: true }],
      }),
    );
    const created = await api(s.cast.citizen, "POST", "/api/dossiers", { procedureCode: shown.code, agencyCode: s.place.centre, formData: formOf(s.cast.citizen), requestId: randomUUID() });
    assert.equal(created.statusCode, 201, created.body);
    const reuse = await api(s.cast.citizen, "POST", `/api/dossiers/${created.json().id}/attachments/reuse`, { component: "cccd", documentId: scanned.file.id });
    assert.equal(reuse.statusCode, 400, reuse.body);
    assert.equal(reuse.json().error.code, "dossier.invalid");
    assert.deepEqual((await api(s.cast.citizen, "GET", `/api/dossiers/${created.json().id}`)).json().attachments, [], "nothing linked");
  });

  it("reuses a stored paper in a later filing by link, not a copy, and the national portal's flags say so", async () => {
    const scanned = await atCounter("true");
    const returned = await fileDossier(env.ctx, s, procedure, { stage: "returned" });
    const result = returned.attachments.find((f) => f.kind === "result")!;
    const draft = await draftOf(s.cast.citizen);

    const paper = await api(s.cast.citizen, "POST", `/api/dossiers/${draft}/attachments/reuse`, { component: "to-khai", documentId: scanned.file.id });
    assert.equal(paper.statusCode, 201, paper.body);
    assert.equal(paper.json().reusedFrom, scanned.file.id);
    assert.equal(paper.json().sha256, scanned.file.sha256, "the same blob of the content-addressed store");
    // A retry links nothing more.
    const again = await api(s.cast.citizen, "POST", `/api/dossiers/${draft}/attachments/reuse`, { component: "to-khai", documentId: scanned.file.id });
    assert.equal(again.json().id, paper.json().id);
    const fromResult = await api(s.cast.citizen, "POST", `/api/dossiers/${draft}/attachments/reuse`, { component: "cccd", documentId: result.id });
    assert.equal(fromResult.statusCode, 201, fromResult.body);
    // The reused paper stands for the required one: the dossier files without an upload.
    const filed = await api(s.cast.citizen, "POST", `/api/dossiers/${draft}/submit`);
    assert.equal(filed.statusCode, 200, filed.body);
    assert.deepEqual(
      (filed.json().attachments as Array<{ component: string; reusedFrom: string | null; digitised: boolean }>).map((f) => [f.component, f.reusedFrom, f.digitised]),
      [
        ["to-khai", scanned.file.id, true],
        ["cccd", result.id, false],
      ],
    );
    // The store lists each document once: the reused paper is the earlier one.
    const items = (await api(s.cast.citizen, "GET", "/api/me/documents")).json().items as Array<{ id: string }>;
    assert.ok(!items.some((i) => i.id === paper.json().id));

    const snapshot = await readSnapshot(env.database.db, draft);
    const d = (await repo.findDossier(env.database.db, draft))!;
    const m = toDongBoHoSoMC(d, null, 1, { processingAgencyName: null, snapshot, link: (id) => `https://dvc.example.gov.vn/f/${id}` });
    assert.deepEqual(
      m.TaiLieuNop.map((f) => [f.MaThanhPhanHoSo, f.DuocSoHoa, f.DuocTaiSuDung, f.DuocLayTuKhoDMQG, f.MaKetQuaThayThe ?? null]),
      [
        ["to-khai", "1", "1", "0", null],
        ["cccd", "0", "2", "0", result.id],
      ],
    );
    assert.equal(m.HoSoCoThanhPhanSoHoa, "1");
  });

  it("refuses reuse by anyone but the applicant, and into a paper the procedure does not have", async () => {
    const scanned = await atCounter("true");
    // A counter dossier of the citizen, not filed by them: the store's documents go only into their own filings.
    const counterDraft = await atCounter(null);
    const notOwn = await api(s.cast.receiver, "POST", `/api/dossiers/${counterDraft.id}/attachments/reuse`, { component: "to-khai", documentId: scanned.file.id });
    assert.equal(notOwn.statusCode, 403, "only applicants reuse from their store");
    const unknown = await env.app.inject({
      method: "POST",
      url: `/api/dossiers/${await draftOf(s.cast.citizen)}/attachments/reuse`,
      headers: { authorization: `Bearer ${await s.cast.citizen.token()}` },
      payload: { component: "khong-co", documentId: scanned.file.id },
    });
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().error.code, "dossier.invalid");
  });

  it("shows “Kho dữ liệu của tôi” to its owner, lets them pick a document for a draft's paper, and to nobody else", async () => {
    const scanned = await atCounter("true");
    const draft = await draftOf(s.cast.citizen);
    const browser = await formBrowser(env.app);
    await signInThroughParty(env.ctx, browser, "portal", s.cast.citizen.username, TEST_PASSWORD);
    const page = await browser.get(`/kho-du-lieu?ho-so=${draft}`, HTML);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>Kho dữ liệu của tôi<\/h1>/);
    assert.ok(page.body.includes("to-khai-ban-quet.pdf"));
    assert.ok(page.body.includes(`/kho-du-lieu/${scanned.file.id}`));
    const draftPage = await browser.get(`/ho-so-cua-toi/${draft}`, HTML);
    // The draft's papers lead to the store through the dossier's form, which saves what was typed on the way.
    assert.ok(draftPage.body.includes('<button type="submit" name="intent" value="store" class="secondary">Dùng giấy tờ đã có trong Kho dữ liệu của tôi</button>'));
    const picked = await browser.post("/kho-du-lieu/dung-lai", { dossier: draft, component: "to-khai", document: scanned.file.id });
    assert.equal(picked.statusCode, 303, picked.body.slice(0, 300));
    assert.equal(picked.headers.location, `/ho-so-cua-toi/${draft}?da=dung-lai#papers`);
    assert.deepEqual((await repo.listFiles(env.database.db, draft)).map((f) => f.reusedFrom), [scanned.file.id]);
    assert.equal((await browser.get(`/kho-du-lieu/${scanned.file.id}`)).statusCode, 200);

    const other = await formBrowser(env.app);
    await signInThroughParty(env.ctx, other, "portal", stranger.username, TEST_PASSWORD);
    const theirs = await other.get("/kho-du-lieu", HTML);
    assert.equal(theirs.statusCode, 200);
    assert.ok(!theirs.body.includes("to-khai-ban-quet.pdf"));
    assert.equal((await other.get(`/kho-du-lieu/${scanned.file.id}`, HTML)).statusCode, 404);
  });

  it("keeps a result only once it is returned", async () => {
    const finished = await fileDossier(env.ctx, s, procedure, { stage: "finished" });
    const result = finished.attachments.find((f) => f.kind === "result")!;
    const ids = () => api(s.cast.citizen, "GET", "/api/me/documents").then((r) => (r.json().items as Array<{ id: string }>).map((i) => i.id));
    assert.ok(!(await ids()).includes(result.id));
    await driveTo(env.ctx, s, finished, "returned");
    assert.ok((await ids()).includes(result.id));
  });

  it("offers the desk a “digitised” box on each paper of a counter draft, and keeps what it says", async () => {
    const { citizen, receiver } = s.cast;
    const created = await api(receiver, "POST", "/api/dossiers", {
      procedureCode: procedure.code,
      agencyCode: s.place.centre,
      formData: formOf(citizen),
      requestId: randomUUID(),
      applicant: { type: "citizen", name: citizen.user.fullName, idNumber: citizen.username },
    });
    const id = created.json().id as string;
    const desk = await formBrowser(env.app);
    await signInThroughParty(env.ctx, desk, "office", receiver.username, TEST_PASSWORD);
    const page = await desk.get(`/office/ho-so/${id}`, HTML);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<input id="paper-to-khai-digitised" type="checkbox" name="digitised" value="true" checked/);
    assert.match(page.body, /Đã số hóa \(quét từ bản giấy người nộp xuất trình\)/);
    const upload = (fields: Record<string, string>) => {
      const { payload, headers } = multipart({ _csrf: desk.cookies.get("motcua_csrf") ?? "", ...fields }, { name: "ban-quet.pdf", type: "application/pdf", bytes: PDF });
      const cookie = [...desk.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
      return env.app.inject({ method: "POST", url: `/office/ho-so/${id}/tep`, payload, headers: { ...headers, cookie, accept: "text/html" } });
    };
    assert.equal((await upload({ component: "to-khai", digitised: "true" })).statusCode, 303);
    assert.equal((await upload({ component: "cccd" })).statusCode, 303);
    assert.deepEqual((await repo.listFiles(env.database.db, id)).map((f) => [f.component, f.digitised]), [["to-khai", true], ["cccd", false]]);
  });
});
