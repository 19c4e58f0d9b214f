// XML-DSig of edXML messages (issue 16): one enveloped signature over the whole document, RSA-SHA256, exclusive
// canonicalisation, the signer's X.509 certificate in KeyInfo, placed as the last child of `edXML:edXMLHeader`.
// The attachments (base64 in AttachmentEncoded) are inside the signed document: changing any byte of the header,
// the body or an attachment breaks the signature.
//
// Verification trusts nothing the message says about itself: the certificate in KeyInfo must be, byte for byte, one
// registered for the sender's agency code (and carry that code), be within its validity, and the signature is then
// checked with the registered certificate's key. Against signature wrapping the signature must have exactly the
// shape `signEdxml` writes: one Signature in the document, child of the one edXMLHeader, one Reference with URI=""
// (the whole document), the transforms enveloped-signature, the XPath transform that leaves the hops' TraceHeaders
// out (traces.ts: a hub appends its own without breaking the signature), then exc-c14n — or, from another implementation that signs the
// whole document, enveloped-signature then exc-c14n — and nothing else.
import { createHash, createPublicKey, createSign, type KeyObject } from "node:crypto";
import type * as XmlDom from "@xmldom/xmldom";
import type * as XmlCrypto from "xml-crypto";
import { lazyRequire } from "../../../platform/lazy.ts";
import { EDXML_NAMESPACE } from "../edxml/model.ts";
import { certificateDer, CertificateError, derToPem, readCertificate } from "./ca.ts";
import { TRACES_XPATH, TracesExcluded, XPATH_TRANSFORM } from "./traces.ts";

// Required by the first signature made or checked, not by every process that loads the exchange module.
const xmlDom = lazyRequire<typeof XmlDom>("@xmldom/xmldom");
const xmlCrypto = lazyRequire<typeof XmlCrypto>("xml-crypto");

export const DSIG_NAMESPACE = "http://www.w3.org/2000/09/xmldsig#";
export const EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
export const RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
export const SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";
export const ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

/** Why a message's signature is refused. */
export const SIGNATURE_REFUSALS = [
  "missing",
  "malformed",
  "digest_mismatch",
  "bad_signature",
  "untrusted_certificate",
  "expired",
  "wrong_agency",
] as const;
export type SignatureRefusal = (typeof SIGNATURE_REFUSALS)[number];

/** A signature refused (or a document that cannot be signed: `malformed`). `message` is English, for logs. */
export class SignatureError extends Error {
  override name = "SignatureError";
  constructor(
    readonly reason: SignatureRefusal,
    message: string,
  ) {
    super(`${reason}: ${message}`);
  }
}

/** What a valid signature proves. */
export interface VerifiedSignature {
  /** The registered certificate that matched KeyInfo (PEM). */
  certificatePem: string;
  /** The sender's agency code: the certificate's and the message's. */
  agencyCode: string;
  subject: string;
  fingerprint: string;
  notBefore: Date;
  notAfter: Date;
}

export interface VerifyOptions {
  /** The certificates registered for the sender's agency code (PEM); only these can verify. */
  trusted: readonly string[];
  /**
   * The sender's agency code as the caller knows it (the envelope it came in, the peer). When given it must equal the
   * message's own From/OrganId; when absent that one is used.
   */
  agencyCode?: string;
  /** The time validity is judged at (now). */
  now?: Date;
}

const HEADER_XPATH = `//*[local-name(.)='edXMLHeader' and namespace-uri(.)='${EDXML_NAMESPACE}']`;

function parse(xml: string): Document {
  if (/<!DOCTYPE/i.test(xml)) throw new SignatureError("malformed", "a document type declaration is not allowed");
  const fail = (msg: string) => {
    throw new SignatureError("malformed", `not well-formed XML: ${msg}`);
  };
  const doc = new (xmlDom().DOMParser)({ errorHandler: { warning: () => {}, error: fail, fatalError: fail } }).parseFromString(xml, "text/xml");
  if (!doc.documentElement) throw new SignatureError("malformed", "no document element");
  return doc as unknown as Document;
}

function elementChildren(node: Element): Element[] {
  const out: Element[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 1) out.push(c as Element);
    else if (c.nodeType === 3 || c.nodeType === 4) {
      if ((c.nodeValue ?? "").trim() !== "") throw new SignatureError("malformed", `text inside ${node.localName}`);
    } else if (c.nodeType !== 8) throw new SignatureError("malformed", `unexpected node inside ${node.localName}`);
  }
  return out;
}

function headerOf(doc: Document): Element {
  const headers = Array.from(doc.getElementsByTagNameNS(EDXML_NAMESPACE, "edXMLHeader"));
  if (headers.length !== 1) throw new SignatureError("malformed", `expected one edXML:edXMLHeader, found ${headers.length}`);
  return headers[0]!;
}

/** A signing key: its private key (PEM, or a KeyObject opened once and kept) and its certificate (PEM). */
export interface SigningKey {
  privateKey: KeyObject | string;
  certificatePem: string;
}

/**
 * xml-crypto's first pass computes the reference's digest and writes the Signature element; its SignatureValue is
 * computed once, after the XPath transform's expression is added (withXPathExpression): this pass signs nothing.
 */
class DeferredRsaSha256 {
  getSignature = () => "";
  verifySignature = () => false;
  getAlgorithmName = () => RSA_SHA256;
}

/**
 * The small messages signed and verified lately (statuses, documents without attachments), by their bytes: the 01 a
 * node answers with is signed for the HTTP answer and again by its outbox, and verified twice by the sender. The same
 * bytes signed with the same key (its certificate) give the same signature, and the same bytes verified against the
 * same registered certificates give the same verdict but for the time (checked again on a hit). Only successes are
 * kept; bounded (the oldest dropped first).
 */
const MEMO_MAX_BYTES = 64 * 1024;
const MEMO_MAX = 512;
const signedMemo = new Map<string, string>();
const verifiedMemo = new Map<string, VerifiedSignature>();
const digestOf = (...parts: readonly string[]) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\0");
  return h.digest("base64");
};
function remember<V>(memo: Map<string, V>, key: string, value: V): void {
  if (memo.size >= MEMO_MAX) memo.delete(memo.keys().next().value!);
  memo.set(key, value);
}

/**
 * Signs an edXML message with an agency's key: the signed document, its signature last in `edXMLHeader`. With
 * `sender`, the message must be from that agency (From/OrganId), checked on the same parse.
 */
export function signEdxml(xml: string, key: SigningKey | { privateKeyPem: string; certificatePem: string }, opts: { sender?: string } = {}): string {
  if (xml.length > MEMO_MAX_BYTES) return signAnew(xml, key, opts);
  const memoKey = digestOf(xml, key.certificatePem, opts.sender ?? "");
  const hit = signedMemo.get(memoKey);
  if (hit !== undefined) return hit;
  const signed = signAnew(xml, key, opts);
  remember(signedMemo, memoKey, signed);
  return signed;
}

function signAnew(xml: string, key: SigningKey | { privateKeyPem: string; certificatePem: string }, opts: { sender?: string }): string {
  const doc = parse(xml);
  headerOf(doc);
  if (doc.getElementsByTagNameNS(DSIG_NAMESPACE, "Signature").length) throw new SignatureError("malformed", "the message is signed already");
  if (opts.sender !== undefined) {
    const stated = senderOf(doc);
    if (stated !== opts.sender) throw new SignatureError("wrong_agency", `the message is from ${stated ?? "nobody"}, not from ${opts.sender}`);
  }
  const privateKey = "privateKey" in key ? key.privateKey : key.privateKeyPem;
  const sig = new (xmlCrypto().SignedXml)({
    privateKey: "deferred",
    publicCert: key.certificatePem,
    signatureAlgorithm: RSA_SHA256,
    canonicalizationAlgorithm: EXC_C14N,
    getKeyInfoContent: xmlCrypto().SignedXml.getKeyInfoContent,
  });
  (sig.SignatureAlgorithms as Record<string, new () => unknown>)[RSA_SHA256] = DeferredRsaSha256;
  withTraceTransform(sig);
  sig.addReference({ xpath: "/*", uri: "", isEmptyUri: true, transforms: [ENVELOPED, XPATH_TRANSFORM, EXC_C14N], digestAlgorithm: SHA256 });
  sig.computeSignature(xml, { location: { reference: HEADER_XPATH, action: "append" } });
  const signedXml = sig.getSignedXml();
  const unsigned = sig.getSignatureXml();
  const at = signedXml.indexOf(unsigned);
  if (at < 0 || signedXml.indexOf(unsigned, at + 1) >= 0) throw new SignatureError("malformed", "the signature cannot be placed");
  return signedXml.slice(0, at) + withXPathExpression(unsigned, privateKey) + signedXml.slice(at + unsigned.length);
}

/**
 * xml-crypto writes a Transform's Algorithm only: the XPath transform's expression is added here, and SignedInfo,
 * which it is part of, signed — on the Signature element alone (exclusive canonicalisation: SignedInfo's canonical
 * form takes nothing from the document around it).
 */
function withXPathExpression(signatureXml: string, privateKey: KeyObject | string): string {
  const doc = parse(signatureXml);
  const signature = doc.documentElement!;
  const transform = Array.from(signature.getElementsByTagNameNS(DSIG_NAMESPACE, "Transform")).find((t) => t.getAttribute("Algorithm") === XPATH_TRANSFORM)!;
  const expression = doc.createElementNS(DSIG_NAMESPACE, transform.prefix ? `${transform.prefix}:XPath` : "XPath");
  expression.appendChild(doc.createTextNode(TRACES_XPATH));
  transform.appendChild(expression);
  // xml-crypto's own canonical SignedInfo (the one checkSignature computes), from the signature as it now is.
  const resign = new (xmlCrypto().SignedXml)({ canonicalizationAlgorithm: EXC_C14N }) as unknown as { signatureNode: Node; getCanonSignedInfoXml(doc: Document): string };
  resign.signatureNode = signature as unknown as Node;
  const canonical = resign.getCanonSignedInfoXml(doc);
  const value = createSign("RSA-SHA256").update(canonical).sign(privateKey, "base64");
  const valueElement = signature.getElementsByTagNameNS(DSIG_NAMESPACE, "SignatureValue")[0]!;
  while (valueElement.firstChild) valueElement.removeChild(valueElement.firstChild);
  valueElement.appendChild(doc.createTextNode(value));
  return new (xmlDom().XMLSerializer)().serializeToString(signature as unknown as Node);
}

function withTraceTransform(sig: XmlCrypto.SignedXml): XmlCrypto.SignedXml {
  (sig.CanonicalizationAlgorithms as Record<string, new () => unknown>)[XPATH_TRANSFORM] = TracesExcluded;
  return sig;
}

function dsig(el: Element, name: string): void {
  if (el.namespaceURI !== DSIG_NAMESPACE || el.localName !== name) {
    throw new SignatureError("malformed", `expected ds:${name}, found ${el.namespaceURI ?? ""}:${el.localName}`);
  }
}

/** The element's children must be exactly these dsig elements, in order. */
function shape(el: Element, names: readonly string[]): Element[] {
  const kids = elementChildren(el);
  if (kids.length !== names.length) throw new SignatureError("malformed", `${el.localName} must hold ${names.join(", ") || "nothing"}`);
  kids.forEach((k, i) => dsig(k, names[i]!));
  return kids;
}

function algorithm(el: Element, expected: string): void {
  const found = el.getAttribute("Algorithm");
  if (found !== expected) throw new SignatureError("malformed", `${el.localName} must be ${expected}, not ${found ?? "absent"}`);
  shape(el, []);
}

/** Checks the one signature has exactly the shape we write; returns its element and the KeyInfo certificate (DER). */
function checkShape(doc: Document): { signature: Element; certificate: Buffer } {
  const all = Array.from(doc.getElementsByTagNameNS(DSIG_NAMESPACE, "Signature"));
  if (all.length === 0) throw new SignatureError("missing", "the message is not signed");
  if (all.length > 1) throw new SignatureError("malformed", `one signature expected, found ${all.length}`);
  const signature = all[0]!;
  const header = headerOf(doc);
  if (signature.parentNode !== header) throw new SignatureError("malformed", "the signature is not in edXMLHeader");
  const [signedInfo, , keyInfo] = shape(signature, ["SignedInfo", "SignatureValue", "KeyInfo"]);
  const [c14n, method, reference] = shape(signedInfo!, ["CanonicalizationMethod", "SignatureMethod", "Reference"]);
  algorithm(c14n!, EXC_C14N);
  algorithm(method!, RSA_SHA256);
  const ref = reference!;
  if (!ref.hasAttribute("URI") || ref.getAttribute("URI") !== "") throw new SignatureError("malformed", 'the reference must be URI="" (the whole document)');
  for (const a of Array.from(ref.attributes)) {
    if (a.name !== "URI" && a.name !== "Id") throw new SignatureError("malformed", `unexpected attribute ${a.name} on Reference`);
  }
  const [transforms, digestMethod] = shape(ref, ["Transforms", "DigestMethod", "DigestValue"]);
  const steps = elementChildren(transforms!);
  const [enveloped, traces, exc] = steps.length === 2 ? [steps[0], null, steps[1]] : shape(transforms!, ["Transform", "Transform", "Transform"]);
  shape(transforms!, steps.map(() => "Transform"));
  algorithm(enveloped!, ENVELOPED);
  if (traces) {
    if (traces.getAttribute("Algorithm") !== XPATH_TRANSFORM) throw new SignatureError("malformed", `the second transform must be ${XPATH_TRANSFORM}`);
    const [expression] = shape(traces, ["XPath"]);
    if ((expression!.textContent ?? "") !== TRACES_XPATH) throw new SignatureError("malformed", "the XPath transform may leave out the hops' TraceHeaders only");
  }
  algorithm(exc!, EXC_C14N);
  algorithm(digestMethod!, SHA256);
  const [data] = shape(keyInfo!, ["X509Data"]);
  const [cert] = shape(data!, ["X509Certificate"]);
  const text = (cert!.textContent ?? "").replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) throw new SignatureError("malformed", "X509Certificate is not base64");
  return { signature, certificate: Buffer.from(text, "base64") };
}

/** The sender's code as the message states it: From/OrganId of MessageHeader or MessageStatus; null when absent. */
export function senderOf(doc: Document): string | null {
  const header = headerOf(doc);
  for (const part of elementChildren(header)) {
    if (part.localName !== "MessageHeader" && part.localName !== "MessageStatus") continue;
    const from = elementChildren(part).filter((e) => e.localName === "From");
    if (from.length !== 1) return null;
    const ids = elementChildren(from[0]!).filter((e) => e.localName === "OrganId");
    return ids.length === 1 ? (ids[0]!.textContent ?? "").trim() || null : null;
  }
  return null;
}

/** The sender's agency code of an edXML message (From/OrganId), read with the same safe parse; null when absent. */
export function edxmlSender(xml: string): string | null {
  return senderOf(parse(xml));
}

/**
 * What the certificates seen in messages say, their DER and their public keys, kept: a certificate is the same bytes
 * in every message of its agency, and reading one (ASN.1, X.509) costs more than checking the signature it carries.
 * Bounded: emptied when full (certificates are few; a flood of made-up ones only empties it).
 */
const CACHE_MAX = 1000;
function cached<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  const hit = map.get(key);
  if (hit !== undefined) return hit;
  const value = make();
  if (map.size >= CACHE_MAX) map.clear();
  map.set(key, value);
  return value;
}
const infos = new Map<string, ReturnType<typeof readCertificate>>();
const ders = new Map<string, Buffer>();
const publicKeys = new Map<string, KeyObject>();
const certificateInfo = (der: Buffer) => cached(infos, der.toString("base64"), () => readCertificate(derToPem(der)));
const derOf = (pem: string) => cached(ders, pem, () => certificateDer(pem));
const publicKeyOf = (pem: string) => cached(publicKeys, pem, () => createPublicKey(pem));

/** Verifies a signed edXML message; throws SignatureError with the reason it is refused. */
export function verifyEdxml(xml: string, opts: VerifyOptions): VerifiedSignature {
  if (xml.length > MEMO_MAX_BYTES) return verifyAnew(xml, opts);
  const memoKey = digestOf(xml, opts.agencyCode ?? "\u0001", ...opts.trusted);
  const hit = verifiedMemo.get(memoKey);
  const now = opts.now ?? new Date();
  // Outside its validity now: verified anew, which says so.
  if (hit !== undefined && now >= hit.notBefore && now <= hit.notAfter) return hit;
  const verified = verifyAnew(xml, opts);
  remember(verifiedMemo, memoKey, verified);
  return verified;
}

function verifyAnew(xml: string, opts: VerifyOptions): VerifiedSignature {
  const doc = parse(xml);
  const { signature, certificate } = checkShape(doc);
  const stated = senderOf(doc);
  if (opts.agencyCode !== undefined && stated !== null && stated !== opts.agencyCode) {
    throw new SignatureError("wrong_agency", `the message says it is from ${stated}, it came from ${opts.agencyCode}`);
  }
  const agencyCode = opts.agencyCode ?? stated;
  if (agencyCode === null) throw new SignatureError("malformed", "the message names no sender (From/OrganId)");
  let info;
  try {
    info = certificateInfo(certificate);
  } catch (err) {
    if (err instanceof CertificateError) throw new SignatureError("malformed", err.message);
    throw err;
  }
  if (info.agencyCode !== agencyCode) {
    throw new SignatureError("wrong_agency", `the certificate is of ${info.agencyCode ?? "no agency"}, not of ${agencyCode}`);
  }
  const registered = opts.trusted.find((pem) => {
    try {
      return derOf(pem).equals(certificate);
    } catch {
      return false;
    }
  });
  if (registered === undefined) throw new SignatureError("untrusted_certificate", `the certificate ${info.fingerprint} is not registered for ${agencyCode}`);
  if (!info.digitalSignature || info.isCa) throw new SignatureError("untrusted_certificate", "the certificate is not for signing");
  const now = opts.now ?? new Date();
  if (now < info.notBefore || now > info.notAfter) {
    throw new SignatureError("expired", `the certificate is valid from ${info.notBefore.toISOString()} to ${info.notAfter.toISOString()}`);
  }
  const check = withTraceTransform(new (xmlCrypto().SignedXml)({ publicCert: publicKeyOf(registered), getCertFromKeyInfo: () => null }));
  check.loadSignature(signature as unknown as Node);
  let ok: boolean;
  try {
    ok = check.checkSignature(xml);
  } catch (err) {
    const message = (err as Error).message;
    if (message.startsWith("invalid signature")) throw new SignatureError("bad_signature", "the signature value does not match SignedInfo");
    throw new SignatureError("malformed", message);
  }
  if (!ok) throw new SignatureError("digest_mismatch", "the document was changed after it was signed");
  return { certificatePem: registered, agencyCode, subject: info.subject, fingerprint: info.fingerprint, notBefore: info.notBefore, notAfter: info.notAfter };
}
