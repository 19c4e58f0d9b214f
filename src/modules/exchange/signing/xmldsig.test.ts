import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, describe, it } from "node:test";
import { debianTool } from "../../../../test/helpers/tools.ts";
import { createDevelopmentCa, issueAgencyCertificate, type KeyAndCertificate, readCertificate } from "./ca.ts";
import { sampleDocument, sampleStatus } from "./testing.ts";
import { appendTrace } from "./traces.ts";
import { edxmlSender, type SignatureRefusal, SignatureError, signEdxml, verifyEdxml } from "./xmldsig.ts";

const A = "000.00.00.H29";
const B = "000.00.12.H29";
// Now: xmlsec1 judges the certificates' validity at the real time.
const NOW = new Date();
const XMLSEC1 = debianTool("xmlsec1");

function refused(fn: () => unknown, reason: SignatureRefusal): void {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof SignatureError, String(err));
    assert.equal(err.reason, reason, err.message);
    return true;
  });
}

describe("XML-DSig of edXML messages", () => {
  let ca: KeyAndCertificate;
  let a: KeyAndCertificate;
  let a2: KeyAndCertificate;
  let b: KeyAndCertificate;
  let aExpired: KeyAndCertificate;
  before(async () => {
    ca = await createDevelopmentCa({ name: "motcua CA thử nghiệm", now: NOW });
    [a, a2, b, aExpired] = await Promise.all([
      issueAgencyCertificate(ca, { agencyCode: A, agencyName: "Ủy ban nhân dân tỉnh Thử nghiệm" }, { now: NOW }),
      issueAgencyCertificate(ca, { agencyCode: A, agencyName: "Ủy ban nhân dân tỉnh Thử nghiệm" }, { now: NOW }),
      issueAgencyCertificate(ca, { agencyCode: B, agencyName: "Sở Tư pháp" }, { now: NOW }),
      issueAgencyCertificate(ca, { agencyCode: A, agencyName: "Ủy ban nhân dân tỉnh Thử nghiệm" }, { now: NOW, notBefore: new Date("2025-01-01"), notAfter: new Date("2025-12-31") }),
    ]);
  });
  const verifyA = (xml: string, trusted = [a.certificatePem]) => verifyEdxml(xml, { trusted, agencyCode: A, now: NOW });

  it("issues agency certificates carrying the agency code in the subject's serialNumber", () => {
    const info = readCertificate(a.certificatePem);
    assert.equal(info.agencyCode, A);
    assert.equal(info.agencyName, "Ủy ban nhân dân tỉnh Thử nghiệm");
    assert.equal(info.digitalSignature, true);
    assert.equal(info.isCa, false);
    assert.equal(readCertificate(ca.certificatePem).isCa, true);
  });

  it("signs a document: one enveloped RSA-SHA256 exc-c14n signature, last child of edXMLHeader, and verifies it", () => {
    const signed = signEdxml(sampleDocument({ from: A }), a);
    assert.match(signed, /<\/edXML:TraceHeaderList>\s*<Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#">/);
    assert.match(signed, /<\/Signature><\/edXML:edXMLHeader>/);
    for (const alg of ["xml-exc-c14n#", "rsa-sha256", "xmlenc#sha256", "enveloped-signature", "<X509Certificate>"]) assert.ok(signed.includes(alg), alg);
    assert.match(signed, /<Reference URI="">/);
    const ok = verifyA(signed);
    assert.equal(ok.agencyCode, A);
    assert.equal(ok.certificatePem, a.certificatePem);
    assert.equal(edxmlSender(signed), A);
  });

  it("signs and verifies a status message, the sender read from MessageStatus/From when not given", () => {
    const signed = signEdxml(sampleStatus({ from: B }), b);
    assert.equal(verifyEdxml(signed, { trusted: [b.certificatePem], now: NOW }).agencyCode, B);
  });

  it("a message signed or verified again gives the same answer, re-judged on what changed: the key, the registered certificates, the time", () => {
    const xml = sampleStatus({ from: A });
    const signed = signEdxml(xml, a);
    assert.equal(signEdxml(xml, a), signed, "the same bytes and key give the same signed message");
    const other = signEdxml(xml, a2);
    assert.notEqual(other, signed, "another key signs anew");
    refused(() => signEdxml(xml, a, { sender: B }), "wrong_agency");
    assert.equal(verifyA(signed).agencyCode, A);
    assert.equal(verifyA(signed).agencyCode, A);
    refused(() => verifyA(signed, [a2.certificatePem]), "untrusted_certificate");
    refused(() => verifyEdxml(signed, { trusted: [a.certificatePem], agencyCode: B, now: NOW }), "wrong_agency");
    const later = new Date(readCertificate(a.certificatePem).notAfter.getTime() + 1000);
    refused(() => verifyEdxml(signed, { trusted: [a.certificatePem], agencyCode: A, now: later }), "expired");
    refused(() => verifyA(signed.replace("2026/12/01 10:00:00", "2026/12/01 10:00:01")), "digest_mismatch");
  });

  it("xmlsec1 verifies our signature independently, against the development CA, and refuses it tampered", (t) => {
    if (!XMLSEC1) {
      t.skip("xmlsec1 is not installed (Debian package xmlsec1): the independent check did not run");
      return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edxml-sign-"));
    try {
      fs.writeFileSync(path.join(dir, "ca.pem"), ca.certificatePem);
      const signed = signEdxml(sampleDocument({ from: A }), a);
      fs.writeFileSync(path.join(dir, "signed.xml"), signed);
      fs.writeFileSync(path.join(dir, "tampered.xml"), signed.replace("SGVsbG8sIGVkWE1MIQ==", "SGVsbG8sIGVkWE1MIT8="));
      // A hub's TraceHeader appended: the standard XPath transform leaves it out for xmlsec1 too.
      fs.writeFileSync(path.join(dir, "hopped.xml"), appendTrace(signed, { organId: "000.00.00.G22", timestamp: "2026/12/01 09:31:00" }));
      const run = (file: string) =>
        execFileSync(XMLSEC1, ["--verify", "--trusted-pem", path.join(dir, "ca.pem"), path.join(dir, file)], { encoding: "utf8", stdio: "pipe" });
      assert.doesNotThrow(() => run("signed.xml"));
      assert.doesNotThrow(() => run("hopped.xml"));
      assert.throws(() => run("tampered.xml"));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("stays valid when each hop appends its TraceHeader, and only then: the Bussiness beside them stays signed", () => {
    const signed = signEdxml(sampleDocument({ from: A }), a);
    const hub = appendTrace(signed, { organId: "000.00.00.G22", timestamp: "2026/12/01 09:31:00" });
    const twice = appendTrace(hub, { organId: "000.00.00.G23", timestamp: "2026/12/01 09:32:00" });
    assert.equal(verifyA(twice).agencyCode, A);
    const hops = [...twice.matchAll(/<edXML:TraceHeader><edXML:OrganId>([^<]+)</g)].map((m) => m[1]);
    assert.deepEqual(hops, [A, "000.00.00.G22", "000.00.00.G23"]);
    const revocation = twice.replace("<edXML:BussinessDocType>0<", "<edXML:BussinessDocType>1<");
    assert.throws(() => verifyA(revocation), (e: unknown) => e instanceof SignatureError && e.reason === "digest_mismatch");
    const otherExpression = signed.replace(/(<XPath>)[^<]+/, "$1not(ancestor-or-self::*[local-name()='Subject'])");
    assert.throws(() => verifyA(otherExpression), (e: unknown) => e instanceof SignatureError && e.reason === "malformed");
  });

  describe("refuses", () => {
    let signed: string;
    before(() => {
      signed = signEdxml(sampleDocument({ from: A }), a);
    });

    it("a tampered header value, body or attachment: digest_mismatch", () => {
      refused(() => verifyA(signed.replace("Về việc triển khai", "Về việc hủy bỏ")), "digest_mismatch");
      refused(() => verifyA(signed.replace("<edXML:AttachmentName>congvan.pdf</edXML:AttachmentName><edXML:ContentType>", "<edXML:AttachmentName>khac.pdf</edXML:AttachmentName><edXML:ContentType>")), "digest_mismatch");
      refused(() => verifyA(signed.replace("SGVsbG8sIGVkWE1MIQ==", "SGVsbG8sIGVkWE1MIT8=")), "digest_mismatch");
    });

    it("a document changed with its digest recomputed, or another document's signature value: bad_signature", () => {
      const digest = /<DigestValue>([^<]+)<\/DigestValue>/.exec(signed)![1]!;
      const doc = sampleDocument({ from: A, subject: "Về việc khác" });
      // The digest of the changed document (the enveloped signature is not digested: whoever signs it, it is the same).
      const forgedDigest = /<DigestValue>([^<]+)<\/DigestValue>/.exec(signEdxml(doc, b))![1]!;
      refused(() => verifyA(signed.replace("Về việc triển khai dịch vụ công trực tuyến", "Về việc khác").replace(digest, forgedDigest)), "bad_signature");
      refused(() => verifyA(signEdxml(doc, a).replace(/<SignatureValue>[^<]+/, /<SignatureValue>[^<]+/.exec(signed)![0])), "bad_signature");
      // A DigestValue changed alone no longer matches the document: the references are checked first.
      refused(() => verifyA(signed.replace(digest, forgedDigest)), "digest_mismatch");
    });

    it("a message without a signature: missing", () => {
      refused(() => verifyA(sampleDocument({ from: A })), "missing");
    });

    it("a signature moved out of edXMLHeader, wrapped, doubled or given another reference: malformed", () => {
      const sig = /<Signature [\s\S]*<\/Signature>/.exec(signed)![0];
      const unsigned = signed.replace(sig, "");
      refused(() => verifyA(unsigned.replace("<edXML:edXMLBody>", `<edXML:edXMLBody>${sig}`)), "malformed");
      refused(() => verifyA(signed.replace("</edXML:edXMLHeader>", `</edXML:edXMLHeader><edXML:Wrapper>${sig}</edXML:Wrapper>`)), "malformed");
      refused(() => verifyA(signed.replace("</Signature>", `</Signature>${sig}`)), "malformed");
      refused(() => verifyA(signed.replace('<Reference URI="">', '<Reference URI="#x">')), "malformed");
      const extra = signed.replace("</Reference>", '</Reference><Reference URI=""><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue>AA==</DigestValue></Reference>');
      refused(() => verifyA(extra), "malformed");
      const xpath = signed.replace("<Transforms>", '<Transforms><Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"/>');
      refused(() => verifyA(xpath), "malformed");
      refused(() => verifyA(signed.replace("</KeyInfo>", '</KeyInfo><Object Id="x"><edXML:Subject>khác</edXML:Subject></Object>')), "malformed");
      refused(() => verifyA(signed.replace("<edXML:edXMLBody>", "<edXML:edXMLHeader/><edXML:edXMLBody>")), "malformed");
      refused(() => verifyA(signed.replace("<SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"", "<SignatureMethod Algorithm=\"http://www.w3.org/2000/09/xmldsig#rsa-sha1\"")), "malformed");
      refused(() => verifyA(`<!DOCTYPE x [<!ENTITY e "x">]>${signed.replace(/^<\?xml[^>]*>/, "")}`), "malformed");
      refused(() => verifyA(signed.slice(0, 200)), "malformed");
    });

    it("a certificate of another agency, or a message whose From is not the sender: wrong_agency", () => {
      const byB = signEdxml(sampleDocument({ from: A }), b);
      refused(() => verifyA(byB, [a.certificatePem, b.certificatePem]), "wrong_agency");
      refused(() => verifyEdxml(signed, { trusted: [b.certificatePem], agencyCode: B, now: NOW }), "wrong_agency");
    });

    it("a certificate not registered for the agency, even one the CA issued: untrusted_certificate", () => {
      refused(() => verifyA(signed, [a2.certificatePem]), "untrusted_certificate");
      refused(() => verifyA(signed, []), "untrusted_certificate");
    });

    it("a KeyInfo certificate swapped for another registered one: the registered key does not verify it", () => {
      const der = (pem: string) => pem.replace(/-----[^-]+-----|\s/g, "");
      const swapped = signed.replace(der(a.certificatePem), der(a2.certificatePem));
      refused(() => verifyA(swapped, [a.certificatePem, a2.certificatePem]), "bad_signature");
    });

    it("an expired certificate, or one not yet valid: expired", () => {
      const old = signEdxml(sampleDocument({ from: A }), aExpired);
      refused(() => verifyA(old, [aExpired.certificatePem]), "expired");
      refused(() => verifyEdxml(signed, { trusted: [a.certificatePem], now: new Date(NOW.getTime() - 2 * 86_400_000) }), "expired");
    });
  });

  it("refuses to sign a message signed already, or one without edXMLHeader", () => {
    refused(() => signEdxml(signEdxml(sampleDocument({ from: A }), a), a), "malformed");
    refused(() => signEdxml("<edXML:edXMLEnvelope xmlns:edXML='http://www.mic.gov.vn/TBT/QCVN_102_2016'/>", a), "malformed");
  });
});
