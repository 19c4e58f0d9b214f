// Official documents between two agencies hosted on this node (issue 16, items 3–5, 7): sending, the automatic
// 01 and the officers' 03–06 or 02 flowing back into the sender's timeline per recipient, revocation, update and
// replacement answered 15/16, a redelivery stored once, and registers numbered per agency and year.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { fixedClock } from "../../platform/clock.ts";
import { testContext, type TestEnv } from "../../../test/helpers/app.ts";
import type { EdxmlDocument } from "./edxml/model.ts";
import { copyById, outboxOfCopy } from "./repo.ts";
import { messageOf } from "./service.sending.ts";
import { organizationOf } from "./support.ts";
import { actorOf, drain, exchangeSetting, type ExchangeSetting, PDF, sendInput } from "./testing.ts";

const codes = (statuses: Array<{ code: string }>) => statuses.map((s) => s.code);

describe("exchange between agencies of this node", () => {
  let env: TestEnv;
  let s: ExchangeSetting;
  const clock = fixedClock("2026-12-07T02:00:00Z");
  const tick = () => clock.advance(1000);
  before(async () => {
    env = await testContext({ clock, options: { exchange: { backoff: () => 0, maxAttempts: 3 } } });
    s = await exchangeSetting(env.ctx);
  });
  after(() => env.close());
  const as = (who: keyof ExchangeSetting["cast"]) => actorOf(env.ctx, s.cast[who]);
  const inboxCopy = async (documentId: string) => {
    const page = await env.ctx.exchange.list(as("clerkB"), { box: "in", q: documentId.split(",")[2]!.split("/")[0] });
    const found = page.items.find((d) => d.documentId === documentId);
    assert.ok(found, `${documentId} is in the recipient's inbox`);
    return found;
  };
  const timeline = async (id: string) => (await env.ctx.exchange.get(as("clerkA"), id)).timelines[0]!;

  it("delivers a sent document into the recipient's inbox, answers 01 at once, and 03 → 04 → 05 → 06 reach the sender", async () => {
    const ex = env.ctx.exchange;
    const id = await ex.send(as("clerkA"), await sendInput(env.ctx, s));
    const sent = await ex.get(as("clerkA"), id);
    assert.equal(sent.codeNotation, "SNV-VP");
    assert.equal(sent.codeNumber, String(sent.registerNumber));
    assert.equal(sent.documentId, `${s.sender.code},2026/12/07,${sent.codeNumber}/SNV-VP`);
    assert.equal(sent.timelines[0]!.delivery, "pending");
    await drain(env.ctx);
    let t = await timeline(id);
    assert.equal(t.delivery, "delivered");
    assert.deepEqual(codes(t.statuses), ["01"]);
    const copy = await inboxCopy(sent.documentId);
    assert.equal(copy.state, "received");
    assert.equal(copy.sender.code, s.sender.code);
    const full = await ex.get(as("clerkB"), copy.id);
    assert.equal(full.files[0]!.sha256, sent.files[0]!.sha256);
    assert.equal(full.files[0]!.size, PDF.length);

    tick();
    await ex.answer(as("clerkB"), copy.id, { code: "03" });
    tick();
    // Assigning is a leader's: the clerk may not.
    await assert.rejects(ex.answer(as("clerkB"), copy.id, { code: "04", department: "van-phong" }), { code: "exchange.forbidden" });
    await assert.rejects(ex.answer(as("leaderB"), copy.id, { code: "04", department: "khong-co" }), { code: "exchange.invalid_input" });
    await assert.rejects(ex.answer(as("leaderB"), copy.id, { code: "04", department: "van-phong", assigneeId: s.cast.outsider.id }), { code: "exchange.invalid_input" });
    await ex.answer(as("leaderB"), copy.id, { code: "04", department: "van-phong", assigneeId: s.cast.specialistB.id, due: "2026-12-20" });
    tick();
    await ex.answer(as("specialistB"), copy.id, { code: "05" });
    tick();
    await ex.answer(as("specialistB"), copy.id, { code: "06", description: "Đã báo cáo." });
    const done = await ex.get(as("leaderB"), copy.id);
    assert.equal(done.state, "done");
    assert.deepEqual(done.assignment, { department: "van-phong", assigneeId: s.cast.specialistB.id, assigneeName: "Chuyên Viên Nhận", due: "2026-12-20" });
    assert.deepEqual(codes(done.statuses), ["01", "03", "04", "05", "06"]);
    await drain(env.ctx);
    t = await timeline(id);
    assert.deepEqual(codes(t.statuses), ["01", "03", "04", "05", "06"]);
    assert.equal(t.statuses.at(-1)!.description, "Đã báo cáo.");
    assert.equal(t.statuses.at(-1)!.staff, "Chuyên Viên Nhận");
    // A done document takes no more steps.
    await assert.rejects(ex.answer(as("clerkB"), copy.id, { code: "02", description: "Muộn" }), { code: "exchange.state_conflict" });
  });

  it("refuses a document with a reason (02), which the sender sees", async () => {
    const ex = env.ctx.exchange;
    const id = await ex.send(as("leaderA"), await sendInput(env.ctx, s, { subject: "Đề nghị góp ý dự thảo" }));
    await drain(env.ctx);
    const copy = await inboxCopy((await ex.get(as("clerkA"), id)).documentId);
    await assert.rejects(ex.answer(as("clerkB"), copy.id, { code: "02" }), { code: "exchange.invalid_input" });
    tick();
    await ex.answer(as("clerkB"), copy.id, { code: "02", description: "Không thuộc thẩm quyền" });
    await drain(env.ctx);
    const t = await timeline(id);
    assert.deepEqual(codes(t.statuses), ["01", "02"]);
    assert.equal(t.statuses[1]!.description, "Không thuộc thẩm quyền");
  });

  it("recalls a sent document: 13 at both ends, then the recipient's 15 marks its copy recalled; another recall refused with 16", async () => {
    const ex = env.ctx.exchange;
    const id = await ex.send(as("clerkA"), await sendInput(env.ctx, s, { subject: "Văn bản sẽ thu hồi" }));
    await drain(env.ctx);
    const copy = await inboxCopy((await ex.get(as("clerkA"), id)).documentId);
    tick();
    await ex.recall(as("clerkA"), id, "Sai sót số liệu");
    assert.equal((await ex.get(as("clerkA"), id)).state, "recalled");
    await drain(env.ctx);
    let mine = await ex.get(as("clerkB"), copy.id);
    assert.deepEqual(mine.change, { type: 1, reason: "Sai sót số liệu", replacedBy: null });
    assert.deepEqual(codes(mine.statuses), ["01", "13"]);
    tick();
    await ex.answer(as("clerkB"), copy.id, { code: "15" });
    mine = await ex.get(as("clerkB"), copy.id);
    assert.equal(mine.state, "recalled");
    assert.equal(mine.change, null);
    await drain(env.ctx);
    assert.deepEqual(codes((await timeline(id)).statuses), ["01", "13", "15"]);
    await assert.rejects(ex.answer(as("clerkB"), copy.id, { code: "15" }), { code: "exchange.state_conflict" });

    const kept = await ex.send(as("clerkA"), await sendInput(env.ctx, s, { subject: "Văn bản không thu hồi được" }));
    await drain(env.ctx);
    const keptCopy = await inboxCopy((await ex.get(as("clerkA"), kept)).documentId);
    tick();
    await ex.answer(as("clerkB"), keptCopy.id, { code: "03" });
    tick();
    await ex.recall(as("clerkA"), kept, "Nhầm");
    await drain(env.ctx);
    tick();
    await ex.answer(as("leaderB"), keptCopy.id, { code: "16", description: "Đã triển khai" });
    await drain(env.ctx);
    assert.equal((await ex.get(as("clerkB"), keptCopy.id)).state, "accepted");
    assert.deepEqual(codes((await timeline(kept)).statuses), ["01", "03", "13", "16"]);
  });

  it("updates a sent document (2) and replaces one by a new document (3), each answered 15", async () => {
    const ex = env.ctx.exchange;
    const id = await ex.send(as("clerkA"), await sendInput(env.ctx, s, { subject: "Kế hoạch tập huấn" }));
    await drain(env.ctx);
    const sent = await ex.get(as("clerkA"), id);
    const copy = await inboxCopy(sent.documentId);
    tick();
    await ex.update(as("clerkA"), id, { reason: "Sửa thời gian", subject: "Kế hoạch tập huấn (sửa đổi thời gian)" });
    await drain(env.ctx);
    assert.equal((await ex.get(as("clerkB"), copy.id)).change?.type, 2);
    assert.equal((await ex.get(as("clerkB"), copy.id)).subject, "Kế hoạch tập huấn");
    tick();
    await ex.answer(as("clerkB"), copy.id, { code: "15" });
    assert.equal((await ex.get(as("clerkB"), copy.id)).subject, "Kế hoạch tập huấn (sửa đổi thời gian)");

    tick();
    const newer = await ex.send(as("clerkA"), await sendInput(env.ctx, s, { subject: "Kế hoạch tập huấn (thay thế)", replaces: id, reason: "Thay thế toàn bộ" }));
    assert.equal((await ex.get(as("clerkA"), id)).state, "replaced");
    await drain(env.ctx);
    const replacement = await ex.get(as("clerkA"), newer);
    assert.equal(replacement.bussinessDocType, 3);
    assert.equal(replacement.refersTo, sent.documentId);
    const newCopy = await inboxCopy(replacement.documentId);
    assert.equal(newCopy.state, "received");
    const old = await ex.get(as("clerkB"), copy.id);
    assert.deepEqual(old.change, { type: 3, reason: "Thay thế toàn bộ", replacedBy: replacement.documentId });
    tick();
    await ex.answer(as("clerkB"), copy.id, { code: "15" });
    assert.equal((await ex.get(as("clerkB"), copy.id)).state, "replaced");
    await drain(env.ctx);
    assert.deepEqual(codes((await timeline(id)).statuses), ["01", "15", "15"]);
    assert.deepEqual(codes((await timeline(newer)).statuses), ["01"]);
  });

  it("stores a redelivered document once, with one number and one 01", async () => {
    const ex = env.ctx.exchange;
    const id = await ex.send(as("clerkA"), await sendInput(env.ctx, s, { subject: "Gửi lại hai lần" }));
    await drain(env.ctx);
    const row = (await copyById(env.database.db, id))!;
    const message = messageOf(row, clock.now());
    const again: EdxmlDocument = { ...message, kind: "document", attachments: [{ ...row.attachments[0]!, content: new Uint8Array(PDF) }] } as EdxmlDocument;
    const before = await ex.list(as("clerkB"), { box: "in" });
    // Each redelivery is answered with the 01 given the first time (a sender that lost that answer gets it again).
    const first = await ex.receiver.receive(again);
    assert.equal(first.accepted && first.status?.statusCode, "01");
    assert.deepEqual(await ex.receiver.receive(again, { to: [s.recipient.code] }), first);
    const after = await ex.list(as("clerkB"), { box: "in" });
    assert.equal(after.items.length, before.items.length);
    await drain(env.ctx);
    assert.deepEqual(codes((await timeline(id)).statuses), ["01"]);
    // The next document takes the next number: the redeliveries used none.
    const next = await ex.send(as("clerkA"), await sendInput(env.ctx, s, { subject: "Sau khi gửi lại" }));
    await drain(env.ctx);
    const nextCopy = await inboxCopy((await ex.get(as("clerkA"), next)).documentId);
    assert.equal(nextCopy.registerNumber, after.items[0]!.registerNumber + 1);
  });

  it("files a delivery only for a recipient the signed document names, and lets only its sender revoke it", async () => {
    const ex = env.ctx.exchange;
    const id = await ex.send(as("clerkA"), await sendInput(env.ctx, s, { subject: "Chỉ cho cơ quan nhận" }));
    await drain(env.ctx);
    const row = (await copyById(env.database.db, id))!;
    const message = { ...messageOf(row, clock.now()), attachments: [{ ...row.attachments[0]!, content: new Uint8Array(PDF) }] } as EdxmlDocument;
    // A delivery's `?to=` naming an agency the document is not addressed to files nothing there.
    const refused = await ex.receiver.receive(message, { to: [s.other.code] });
    assert.equal(refused.accepted, false);
    assert.equal((await ex.list(as("outsider"), { box: "in" })).items.some((d) => d.documentId === row.documentId), false);
    // A revocation of it signed by another agency (From is not its sender) is refused; the copy is untouched.
    const other = await organizationOf(env.ctx.directory, s.other.code);
    const forged: EdxmlDocument = { ...message, header: { ...message.header, from: other }, bussiness: { bussinessDocType: 1, bussinessDocReason: "Thu hồi giả", documentId: row.documentId, replacementInfoList: [] }, attachments: [] };
    const answer = await ex.receiver.receive(forged, { to: [s.recipient.code] });
    assert.equal(answer.accepted, false);
    const copy = await inboxCopy(row.documentId);
    assert.equal((await ex.get(as("clerkB"), copy.id)).state, "received");
    assert.equal((await copyById(env.database.db, copy.id))!.pendingChange, null, "no revocation waits on it");
  });

  it("stores no file of a refused delivery: an update from another agency, or of a document never received, leaves nothing behind", async () => {
    const ex = env.ctx.exchange;
    const id = await ex.send(as("clerkA"), await sendInput(env.ctx, s, { subject: "Cập nhật bị từ chối" }));
    await drain(env.ctx);
    const row = (await copyById(env.database.db, id))!;
    const message = { ...messageOf(row, clock.now()), attachments: [] } as EdxmlDocument;
    // New bytes no other document has: if they reach the file store, nothing will ever name them.
    const bytes = Buffer.concat([PDF, Buffer.from(`% orphan ${Date.now()}\n`)]);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const attachments = [{ contentId: "new1", contentType: "application/pdf", attachmentName: "moi.pdf", content: new Uint8Array(bytes) }];
    const other = await organizationOf(env.ctx.directory, s.other.code);
    const update = (from = message.header.from, documentId = row.documentId): EdxmlDocument =>
      ({ ...message, header: { ...message.header, from }, bussiness: { bussinessDocType: 2, bussinessDocReason: "Sửa", documentId, replacementInfoList: [] }, attachments }) as EdxmlDocument;
    let kept = 0;
    const keepSigned = async () => {
      kept++;
      return null;
    };
    for (const forged of [update(other), update(message.header.from, `${s.sender.code},2026/12/07,99999/SNV-VP`)]) {
      const answer = await ex.receiver.receive(forged, { to: [s.recipient.code], keepSigned });
      assert.equal(answer.accepted, false);
      assert.equal(await env.ctx.files.has(sha256), false, "the refused update's attachment is not stored");
    }
    assert.equal(kept, 0, "nor its signed edXML");
    // The same update from its sender is taken, its file stored.
    assert.equal((await ex.receiver.receive(update(), { to: [s.recipient.code], keepSigned })).accepted, true);
    assert.equal(await env.ctx.files.has(sha256), true);
  });
  it("takes new documents delivered together in one transaction, each as it would be alone: numbered in order, one 01 each, one held already or given twice answered with its first 01; a revocation among them taken in its turn", async () => {
    const ex = env.ctx.exchange;
    const id = await ex.send(as("clerkA"), await sendInput(env.ctx, s, { subject: "Gửi cùng lúc, bản gốc" }));
    await drain(env.ctx);
    const row = (await copyById(env.database.db, id))!;
    const base = { ...messageOf(row, clock.now()), attachments: [{ ...row.attachments[0]!, content: new Uint8Array(PDF) }] } as EdxmlDocument;
    const variant = (n: string): EdxmlDocument => {
      const code = { ...base.header.code, codeNumber: n };
      return { ...base, header: { ...base.header, code, subject: `Gửi cùng lúc số ${n}`, documentId: `${s.sender.code},${base.header.promulgationInfo.promulgationDate},${n}/${code.codeNotation}` } };
    };
    const opts = { to: [s.recipient.code] };
    const [d1, d2] = [variant("8001"), variant("8002")];
    const held = await ex.receiver.receive(base, opts);
    const database = env.ctx.database;
    const transaction = database.transaction;
    let transactions = 0;
    database.transaction = ((fn: never) => {
      transactions++;
      return transaction.call(database, fn);
    }) as typeof transaction;
    let answers;
    try {
      answers = await ex.receiver.receiveMany([d1, base, d2, d1].map((message) => ({ message, opts })));
    } finally {
      database.transaction = transaction;
    }
    assert.equal(transactions, 1);
    assert.deepEqual(answers.map((a) => a.accepted && a.status?.statusCode), ["01", "01", "01", "01"]);
    assert.deepEqual(answers[1], held);
    assert.deepEqual(answers[3], answers[0]);
    const [c1, c2] = [await inboxCopy(d1.header.documentId), await inboxCopy(d2.header.documentId)];
    assert.equal(c2.registerNumber, c1.registerNumber + 1);
    assert.equal((await ex.list(as("clerkB"), { box: "in", q: "Gửi cùng lúc số 8001" })).items.length, 1);

    // Their 01s going back in the answer (a sender that takes it): everything written with the COMMIT, the same.
    const inline = { to: [s.recipient.code], answersInline: true };
    const [d4, d5] = [variant("8004"), variant("8005")];
    const together = await ex.receiver.receiveMany([d4, d1, d5].map((message) => ({ message, opts: inline })));
    assert.deepEqual(together.map((a) => a.accepted && a.status?.statusCode), ["01", "01", "01"]);
    assert.deepEqual(together[1], answers[0]);
    const [c4, c5] = [await inboxCopy(d4.header.documentId), await inboxCopy(d5.header.documentId)];
    assert.deepEqual([c4.registerNumber, c5.registerNumber], [c2.registerNumber + 1, c2.registerNumber + 2]);
    for (const c of [c4, c5]) {
      const copy = await ex.get(as("clerkB"), c.id);
      assert.equal(copy.state, "received");
      assert.deepEqual(codes(copy.statuses), ["01"]);
      // Its 01 is on the outbox as given (in the answer), not to be sent again.
      assert.deepEqual((await outboxOfCopy(env.database.db, c.id)).map((o) => [o.kind, o.state]), [["status", "delivered"]]);
    }

    // A document and its revocation in one delivery: one after the other, in order.
    const d3 = variant("8003");
    const revocation: EdxmlDocument = { ...d3, bussiness: { bussinessDocType: 1, bussinessDocReason: "Thu hồi", documentId: d3.header.documentId, replacementInfoList: [] }, attachments: [] };
    const mixed = await ex.receiver.receiveMany([d3, revocation].map((message) => ({ message, opts })));
    assert.deepEqual(mixed.map((a) => a.accepted), [true, true]);
    const c3 = await inboxCopy(d3.header.documentId);
    assert.equal((await copyById(env.database.db, c3.id))!.pendingChange?.type, 1);
  });
});
