import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { sql } from "../../../platform/db/drizzle.ts";
import { testDatabase } from "../../../../test/helpers/db.ts";
import { createAuditLog } from "../../../platform/audit/index.ts";
import { changeDigest } from "../../../platform/audit/chain.ts";
import { type Actor, systemActor } from "../../../platform/auth/actor.ts";
import { UsageError } from "../../../platform/cli.ts";
import { fixedClock } from "../../../platform/clock.ts";
import type { Database } from "../../../platform/db/index.ts";
import { DomainError } from "../../../platform/http/errors.ts";
import { createDevelopmentCa, issueAgencyCertificate, type KeyAndCertificate, keyMatchesCertificate } from "./ca.ts";
import { keysCommands } from "./commands.ts";
import { type AgencyKeysService, makeAgencyKeysService } from "./service.ts";
import { sampleDocument, sampleStatus } from "./testing.ts";
import { SignatureError, signEdxml } from "./xmldsig.ts";

const ours = "000.00.00.H29";
const other = "000.00.12.H29";
const third = "000.00.14.H29";
const admin = systemActor("test");
const officer: Actor = { type: "user", userId: "u1", username: "u1", fullName: "Cán bộ", email: null, roles: [{ role: "receiver", agencyCode: ours }], agencyCode: ours, loa: 0 };

async function rejectsWith(p: Promise<unknown>, code: string): Promise<DomainError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof DomainError, String(err));
    assert.equal(err.code, code);
    return err;
  }
  assert.fail(`expected ${code}`);
}

describe("the agencies' keys on the database", () => {
  let database: Database;
  let keys: AgencyKeysService;
  let peer: KeyAndCertificate;
  let peerCa: KeyAndCertificate;
  const clock = fixedClock(new Date());
  const secret = (name: string) => `secret of ${name}`;
  const actions = async (subjectId: string) =>
    (await database.rows<{ action: string }>(sql`SELECT action FROM audit_log WHERE subject_id = ${subjectId} ORDER BY id`)).map((r) => r.action);

  before(async () => {
    database = await testDatabase();
    const audit = createAuditLog({ database, clock, key: "test" });
    keys = makeAgencyKeysService({ database, clock, audit, secret, agencyName: async (code) => (code === ours ? "Ủy ban nhân dân tỉnh Thử nghiệm" : null) });
    // Another installation's agency: its own development CA, its certificate registered here.
    peerCa = await createDevelopmentCa({ name: "peer CA", now: clock.now() });
    peer = await issueAgencyCertificate(peerCa, { agencyCode: other, agencyName: "Sở Tư pháp" }, { now: clock.now() });
  });
  after(() => database.close());

  it("generates an agency's key, certified by the development CA, the private key sealed at rest", async () => {
    const key = await keys.generate(admin, { agencyCode: ours });
    assert.equal(key.state, "active");
    assert.match(key.subject, /CN=Ủy ban nhân dân tỉnh Thử nghiệm/);
    const open = await keys.signingKey(ours);
    assert.ok(keyMatchesCertificate(open.privateKeyPem, key.certificatePem));
    const [row] = await database.rows<{ private_key_enc: string }>(sql`SELECT private_key_enc FROM exchange_agency_keys WHERE id = ${key.id}`);
    const body = open.privateKeyPem.split("\n")[1]!;
    assert.ok(!row!.private_key_enc.includes("PRIVATE KEY") && !row!.private_key_enc.includes(body), "no clear private key in the row");
    assert.match(row!.private_key_enc, /^v1\./);
    // Another node secret cannot open it.
    const stranger = makeAgencyKeysService({ database, clock, audit: createAuditLog({ database, clock, key: "x" }), secret: () => "another secret" });
    await assert.rejects(stranger.signingKey(ours));
    const [ca] = await database.rows<{ private_key_enc: string }>(sql`SELECT private_key_enc FROM exchange_signing_ca`);
    assert.ok(!ca!.private_key_enc.includes("PRIVATE KEY"));
    assert.deepEqual(await actions(ours), ["exchange.key_generated"]);
    await rejectsWith(keys.generate(admin, { agencyCode: ours }), "exchange.signing_key_exists");
    await rejectsWith(keys.generate(admin, { agencyCode: "H29" }), "exchange.invalid_key_input");
    await rejectsWith(keys.generate(officer, { agencyCode: third }), "exchange.keys_forbidden");
  });

  it("signs outgoing messages with the active key; they verify here as from one of its own agencies", async () => {
    const signed = await keys.signOutgoing(sampleDocument({ from: ours }), ours);
    const verdict = await keys.verifyIncoming(signed, ours);
    assert.ok(verdict.ok, JSON.stringify(verdict));
    assert.equal(verdict.signature.agencyCode, ours);
    await rejectsWith(keys.signOutgoing(sampleDocument({ from: third }), third), "exchange.no_signing_key");
    await assert.rejects(keys.signOutgoing(sampleDocument({ from: third }), ours), (err) => err instanceof SignatureError && err.reason === "wrong_agency");
  });

  it("rotates: new messages use the new key, those signed with the retired one still verify", async () => {
    const before = await keys.signOutgoing(sampleDocument({ from: ours }), ours);
    const oldKey = await keys.signingKey(ours);
    const rotated = await keys.rotate(admin, { agencyCode: ours });
    const after = await keys.signOutgoing(sampleDocument({ from: ours }), ours);
    assert.notEqual(rotated.certificatePem, oldKey.certificatePem);
    assert.ok(after.includes(rotated.certificatePem.split("\n")[1]!), "signed with the new key");
    for (const msg of [before, after]) assert.equal((await keys.verifyIncoming(msg, ours)).ok, true);
    assert.deepEqual((await keys.keys(ours)).map((k) => k.state), ["retired", "active"]);
    assert.deepEqual(await actions(ours), ["exchange.key_generated", "exchange.key_rotated"]);
    await rejectsWith(keys.rotate(admin, { agencyCode: third }), "exchange.no_signing_key");
  });

  it("imports a key with its certificate, refusing a key that does not match or a certificate of another agency", async () => {
    const mine = await issueAgencyCertificate(peerCa, { agencyCode: third, agencyName: "Sở Xây dựng" }, { now: clock.now() });
    const err = await rejectsWith(keys.importKey(admin, { agencyCode: third, privateKeyPem: peer.privateKeyPem, certificatePem: mine.certificatePem }), "exchange.invalid_key_input");
    assert.equal(err.fields?.[0]?.path, "/privateKeyPem");
    await rejectsWith(keys.importKey(admin, { agencyCode: third, ...peer }), "exchange.invalid_key_input");
    await rejectsWith(keys.importKey(admin, { agencyCode: third, privateKeyPem: mine.privateKeyPem, certificatePem: "not a certificate" }), "exchange.invalid_key_input");
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    await rejectsWith(keys.importKey(admin, { agencyCode: third, privateKeyPem: ec, certificatePem: mine.certificatePem }), "exchange.invalid_key_input");
    const imported = await keys.importKey(admin, { agencyCode: third, ...mine });
    assert.equal(imported.source, "imported");
    assert.equal((await keys.signingKey(third)).certificatePem, mine.certificatePem);
    // A sealed key is bound to its row: copied onto another agency's active key, it does not open.
    await database.rows(sql`UPDATE exchange_agency_keys SET private_key_enc = (SELECT private_key_enc FROM exchange_agency_keys WHERE agency_code = ${ours} AND state = 'active') WHERE agency_code = ${third}`);
    await assert.rejects(keys.signingKey(third));
  });

  it("verifies another agency's message against the certificate registered for it, until it is revoked", async () => {
    const signed = signEdxml(sampleStatus({ from: other }), peer);
    const before = await keys.verifyIncoming(signed, other);
    assert.deepEqual(before.ok ? null : before.reason, "untrusted_certificate");
    await rejectsWith(keys.trust(admin, { agencyCode: third, certificatePem: peer.certificatePem }), "exchange.invalid_key_input");
    await rejectsWith(keys.trust(admin, { agencyCode: other, certificatePem: peerCa.certificatePem }), "exchange.invalid_key_input");
    const registered = await keys.trust(admin, { agencyCode: other, certificatePem: peer.certificatePem });
    assert.equal((await keys.verifyIncoming(signed, other)).ok, true);
    assert.deepEqual((await keys.trusted(other)).map((c) => c.id), [registered.id]);
    await keys.revoke(admin, registered.id);
    assert.equal((await keys.verifyIncoming(signed, other)).ok, false);
    await rejectsWith(keys.revoke(admin, registered.id), "exchange.certificate_not_found");
    assert.deepEqual(await actions(other), [
      "exchange.signature_refused",
      "exchange.certificate_trusted",
      "exchange.certificate_revoked",
      "exchange.signature_refused",
    ]);
  });

  it("sees a certificate revoked or a key rotated on another node of the deployment once what it keeps has aged", async () => {
    const keptForMs = 200;
    const nodeOf = (key: string) => makeAgencyKeysService({ database, clock, audit: createAuditLog({ database, clock, key }), secret, keptForMs });
    const [one, two] = [nodeOf("one"), nodeOf("two")];
    const registered = await two.trust(admin, { agencyCode: other, certificatePem: peer.certificatePem });
    const signed = signEdxml(sampleDocument({ from: other, subject: "Về việc thử hai nút" }), peer);
    assert.equal((await one.verifyIncoming(signed, other)).ok, true, "node one reads the registration");
    const signedBefore = await one.signOutgoing(sampleDocument({ from: ours, subject: "trước" }), ours);
    await two.revoke(admin, registered.id);
    await two.rotate(admin, { agencyCode: ours });
    assert.equal((await two.verifyIncoming(signed, other)).ok, false, "at once on the node that revoked it");
    await new Promise((r) => setTimeout(r, keptForMs + 50));
    assert.equal((await one.verifyIncoming(signed, other)).ok, false, "on the other node once kept longer than keptForMs");
    const signedAfter = await one.signOutgoing(sampleDocument({ from: ours, subject: "sau" }), ours);
    const certificate = (xml: string) => /<X509Certificate>([^<]+)/.exec(xml)![1];
    assert.notEqual(certificate(signedAfter), certificate(signedBefore), "the other node signs with the rotated key");
  });

  it("refuses a tampered message, a message from an agency other than its sender, recording each refusal", async () => {
    const signed = await keys.signOutgoing(sampleDocument({ from: ours }), ours);
    const tampered = await keys.verifyIncoming(signed.replace("SGVsbG8sIGVkWE1MIQ==", "SGVsbG8sIGVkWE1MIT8="), ours);
    assert.deepEqual(tampered, { ok: false, reason: "digest_mismatch", message: "digest_mismatch: the document was changed after it was signed" });
    const spoofed = await keys.verifyIncoming(signed, third);
    assert.equal(spoofed.ok ? null : spoofed.reason, "wrong_agency");
    const unsigned = await keys.verifyIncoming(sampleDocument({ from: ours }), ours);
    assert.equal(unsigned.ok ? null : unsigned.reason, "missing");
    const refusals = await database.rows<{ subject_id: string }>(sql`SELECT subject_id FROM audit_log WHERE action = 'exchange.signature_refused' ORDER BY id`);
    assert.deepEqual(refusals.slice(-3).map((r) => r.subject_id), [ours, third, ours]);
  });

  it("audits the first refused signatures of a window, per sender and in all, and counts the rest on the next entry", async () => {
    const limited = makeAgencyKeysService({ database, clock, audit: createAuditLog({ database, clock, key: "test" }), secret, refusalsAudited: { windowMs: 60_000, perAgency: 3, total: 5 } });
    const flooder = "000.00.31.H29";
    const made = ["000.00.32.H29", "000.00.33.H29", "000.00.34.H29"];
    const refused = async (code: string) => assert.equal((await limited.verifyIncoming(sampleDocument({ from: code }), code)).ok, false);
    const entries = async () =>
      database.rows<{ subject_id: string; change_digest: string }>(
        sql`SELECT subject_id, change_digest FROM audit_log WHERE action = 'exchange.signature_refused' AND subject_id IN (${sql.join([flooder, ...made].map((c) => sql`${c}`), sql`, `)}) ORDER BY id`,
      );
    for (let i = 0; i < 6; i++) await refused(flooder);
    // Codes made up by the poster: only the window's total is left for them.
    for (const code of made) await refused(code);
    const first = await entries();
    assert.deepEqual(first.map((r) => r.subject_id), [flooder, flooder, flooder, made[0], made[1]]);
    // The change of a refusal (the log keeps its digest): the reason, and how many before it were only counted.
    const change = (code: string, notAudited?: number) =>
      changeDigest({ reason: "missing", message: "missing: the message is not signed", bytes: Buffer.byteLength(sampleDocument({ from: code })), ...(notAudited ? { notAudited } : {}) });
    // The flooder's last three were counted: the next entry (another code's) says so.
    assert.deepEqual(first.map((r) => r.change_digest), [change(flooder), change(flooder), change(flooder), change(made[0]!, 3), change(made[1]!)]);
    clock.advance(60_000);
    await refused(flooder);
    const next = await entries();
    assert.equal(next.length, 6);
    assert.equal(next.at(-1)!.change_digest, change(flooder, 1), "the last made-up code's, counted in the window before");
  });

  describe("the commands", () => {
    const commands = keysCommands((d: { keys: AgencyKeysService }) => d.keys);
    const run = async (line: string, cwd?: string) => {
      const words = line.split(" ");
      const command = commands.find((c) => c.words.every((w, i) => words[i] === w))!;
      let text = "";
      const code = await command.run({ keys }, words.slice(command.words.length), { write: (t) => (text += t), cwd });
      return { code, text };
    };

    it("generate, list, rotate, trust, trusted, revoke and ca", async () => {
      const code = "000.00.16.H29";
      assert.match((await run(`exchange keys generate --agency ${code} --name Sở_Y_tế --days 30`)).text, /^generated: #\d+ {2}active/);
      assert.equal((await run(`exchange keys generate --agency ${code}`)).code, 1);
      assert.match((await run(`exchange keys rotate --agency ${code}`)).text, /rotated, now active/);
      assert.equal((await run(`exchange keys list --agency ${code}`)).text.split("\n").filter(Boolean).length, 2);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edxml-keys-"));
      try {
        fs.writeFileSync(path.join(dir, "peer.pem"), peer.certificatePem);
        const trusted = await run(`exchange keys trust --agency ${other} --cert peer.pem`, dir);
        assert.match(trusted.text, /^registered: #(\d+)/);
        const id = /#(\d+)/.exec(trusted.text)![1];
        assert.match((await run(`exchange keys trusted --agency ${other}`)).text, new RegExp(`#${id} {2}${other}`));
        assert.match((await run(`exchange keys revoke ${id}`)).text, /revoked/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
      assert.match((await run("exchange keys ca")).text, /^-----BEGIN CERTIFICATE-----/);
      await assert.rejects(run("exchange keys generate"), UsageError);
      await assert.rejects(run("exchange keys trust --agency 000.00.00.H29 --cert /nonexistent.pem"), UsageError);
    });
  });
});
