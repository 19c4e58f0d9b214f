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
import { createHash, createPublicKey, createSign, createVerify, type KeyObject } from "node:crypto";
import { EDXML_NAMESPACE } from "../edxml/model.ts";
import { childElements, findAll, readXml, shown, textOf, type XDocument, type XElement, XmlReadError } from "../edxml/tree.ts";
import { canonicalize } from "./c14n.ts";
import { certificateDer, CertificateError, derToPem, readCertificate } from "./ca.ts";
import { isHopTrace, TRACES_XPATH, XPATH_TRANSFORM } from "./traces.ts";

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

function parse(xml: string): XDocument {
  try {
    return readXml(xml);
  } catch (err) {
    if (err instanceof XmlReadError) throw new SignatureError("malformed", `not well-formed XML: ${err.message}`);
    throw err;
  }
}

function elementChildren(node: XElement): XElement[] {
  for (const c of node.children) {
    if (c.kind === "text" && c.value.trim() !== "") throw new SignatureError("malformed", `text inside ${node.local}`);
  }
  return childElements(node);
}

const isHeader = (e: XElement) => e.local === "edXMLHeader" && e.ns === EDXML_NAMESPACE;
const isSignature = (e: XElement) => e.local === "Signature" && e.ns === DSIG_NAMESPACE;

function headerOf(doc: XDocument): XElement {
  const headers = findAll(doc.root, isHeader);
  if (headers.length !== 1) throw new SignatureError("malformed", `expected one edXML:edXMLHeader, found ${headers.length}`);
  return headers[0]!;
}

/** A signing key: its private key (PEM, or a KeyObject opened once and kept) and its certificate (PEM). */
export interface SigningKey {
  privateKey: KeyObject | string;
  certificatePem: string;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("base64");
const escapeText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const algorithmElement = (name: string, uri: string, inner = "") => `<${name} Algorithm="${uri}">${inner}</${name}>`;

/**
 * SignedInfo as written inside `<Signature xmlns="…xmldsig#">`: in its canonical form but for the default namespace
 * it inherits (which canonicalisation renders on it: see `signedInfoCanonical`).
 */
function signedInfoXml(digest: string): string {
  const transforms =
    algorithmElement("Transform", ENVELOPED) + algorithmElement("Transform", XPATH_TRANSFORM, `<XPath>${escapeText(TRACES_XPATH)}</XPath>`) + algorithmElement("Transform", EXC_C14N);
  return (
    "<SignedInfo>" +
    algorithmElement("CanonicalizationMethod", EXC_C14N) +
    algorithmElement("SignatureMethod", RSA_SHA256) +
    `<Reference URI=""><Transforms>${transforms}</Transforms>${algorithmElement("DigestMethod", SHA256)}<DigestValue>${digest}</DigestValue></Reference>` +
    "</SignedInfo>"
  );
}
const signedInfoCanonical = (written: string) => `<SignedInfo xmlns="${DSIG_NAMESPACE}">${written.slice("<SignedInfo>".length)}`;

/** What the reference digests: the document without its signature and without the hops' TraceHeaders. */
const omitted = (withTraces: boolean) => (e: XElement) => isSignature(e) || (withTraces && isHopTrace(e));

/**
 * Signs an edXML message with an agency's key: the signed document, its signature last in `edXMLHeader`. With
 * `sender`, the message must be from that agency (From/OrganId), checked on the same parse.
 */
export function signEdxml(xml: string, key: SigningKey | { privateKeyPem: string; certificatePem: string }, opts: { sender?: string } = {}): string {
  const doc = parse(xml);
  const header = headerOf(doc);
  if (findAll(doc.root, isSignature).length) throw new SignatureError("malformed", "the message is signed already");
  if (opts.sender !== undefined) {
    const stated = senderOf(doc);
    if (stated !== opts.sender) throw new SignatureError("wrong_agency", `the message is from ${stated === null ? "nobody" : shown(stated)}, not from ${opts.sender}`);
  }
  if (header.closeStart <= header.start || doc.text.startsWith("/>", header.closeStart)) throw new SignatureError("malformed", "edXMLHeader is empty");
  const privateKey = "privateKey" in key ? key.privateKey : key.privateKeyPem;
  const signedInfo = signedInfoXml(sha256(canonicalize(doc.root, omitted(true))));
  const value = createSign("RSA-SHA256").update(signedInfoCanonical(signedInfo)).sign(privateKey, "base64");
  const certificate = derOf(key.certificatePem).toString("base64");
  const signature = `<Signature xmlns="${DSIG_NAMESPACE}">${signedInfo}<SignatureValue>${value}</SignatureValue><KeyInfo><X509Data><X509Certificate>${certificate}</X509Certificate></X509Data></KeyInfo></Signature>`;
  // The document as read (its line ends normalised), the signature the header's last child.
  return doc.text.slice(0, header.closeStart) + signature + doc.text.slice(header.closeStart);
}

function dsig(el: XElement, name: string): void {
  if (el.ns !== DSIG_NAMESPACE || el.local !== name) {
    throw new SignatureError("malformed", `expected ds:${name}, found ${shown(el.ns)}:${shown(el.local)}`);
  }
}

/** The element's children must be exactly these dsig elements, in order. */
function shape(el: XElement, names: readonly string[]): XElement[] {
  const kids = elementChildren(el);
  if (kids.length !== names.length) throw new SignatureError("malformed", `${el.local} must hold ${names.join(", ") || "nothing"}`);
  kids.forEach((k, i) => dsig(k, names[i]!));
  return kids;
}

const attribute = (el: XElement, name: string) => el.attrs.find((a) => a.prefix === "" && a.local === name)?.value ?? null;

function algorithm(el: XElement, expected: string): void {
  const found = attribute(el, "Algorithm");
  if (found !== expected) throw new SignatureError("malformed", `${el.local} must be ${expected}, not ${found === null ? "absent" : shown(found)}`);
  shape(el, []);
}

interface SignatureParts {
  signedInfo: XElement;
  signatureValue: string;
  digestValue: string;
  /** The XPath transform leaving out the hops' TraceHeaders is among the reference's transforms. */
  withTraces: boolean;
  certificate: Buffer;
}

/** Checks the one signature has exactly the shape we write; returns its parts. */
function checkShape(doc: XDocument): SignatureParts {
  const all = findAll(doc.root, isSignature);
  if (all.length === 0) throw new SignatureError("missing", "the message is not signed");
  if (all.length > 1) throw new SignatureError("malformed", `one signature expected, found ${all.length}`);
  const signature = all[0]!;
  const header = headerOf(doc);
  if (signature.parent !== header) throw new SignatureError("malformed", "the signature is not in edXMLHeader");
  const [signedInfo, signatureValue, keyInfo] = shape(signature, ["SignedInfo", "SignatureValue", "KeyInfo"]);
  const [c14n, method, reference] = shape(signedInfo!, ["CanonicalizationMethod", "SignatureMethod", "Reference"]);
  algorithm(c14n!, EXC_C14N);
  algorithm(method!, RSA_SHA256);
  const ref = reference!;
  if (attribute(ref, "URI") !== "") throw new SignatureError("malformed", 'the reference must be URI="" (the whole document)');
  for (const a of ref.attrs) {
    if (a.qname !== "URI" && a.qname !== "Id") throw new SignatureError("malformed", `unexpected attribute ${a.qname} on Reference`);
  }
  const [transforms, digestMethod, digestValue] = shape(ref, ["Transforms", "DigestMethod", "DigestValue"]);
  const steps = elementChildren(transforms!);
  const [enveloped, traces, exc] = steps.length === 2 ? [steps[0], null, steps[1]] : shape(transforms!, ["Transform", "Transform", "Transform"]);
  shape(transforms!, steps.map(() => "Transform"));
  algorithm(enveloped!, ENVELOPED);
  if (traces) {
    if (attribute(traces, "Algorithm") !== XPATH_TRANSFORM) throw new SignatureError("malformed", `the second transform must be ${XPATH_TRANSFORM}`);
    const [expression] = shape(traces, ["XPath"]);
    if (textOf(expression!) !== TRACES_XPATH) throw new SignatureError("malformed", "the XPath transform may leave out the hops' TraceHeaders only");
  }
  algorithm(exc!, EXC_C14N);
  algorithm(digestMethod!, SHA256);
  const [data] = shape(keyInfo!, ["X509Data"]);
  const [cert] = shape(data!, ["X509Certificate"]);
  const base64 = (el: XElement, what: string) => {
    const text = textOf(el).replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) throw new SignatureError("malformed", `${what} is not base64`);
    return text;
  };
  if (childElements(signatureValue!).length || childElements(digestValue!).length || childElements(cert!).length) throw new SignatureError("malformed", "a value holds elements");
  return {
    signedInfo: signedInfo!,
    signatureValue: base64(signatureValue!, "SignatureValue"),
    digestValue: base64(digestValue!, "DigestValue"),
    withTraces: traces !== null,
    certificate: Buffer.from(base64(cert!, "X509Certificate"), "base64"),
  };
}

/** The sender's code as the message states it: From/OrganId of MessageHeader or MessageStatus; null when absent. */
function senderOf(doc: XDocument): string | null {
  const header = headerOf(doc);
  for (const part of elementChildren(header)) {
    if (part.local !== "MessageHeader" && part.local !== "MessageStatus") continue;
    const from = elementChildren(part).filter((e) => e.local === "From");
    if (from.length !== 1) return null;
    const ids = elementChildren(from[0]!).filter((e) => e.local === "OrganId");
    return ids.length === 1 ? textOf(ids[0]!).trim() || null : null;
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
  const doc = parse(xml);
  const parts = checkShape(doc);
  const stated = senderOf(doc);
  if (opts.agencyCode !== undefined && stated !== null && stated !== opts.agencyCode) {
    throw new SignatureError("wrong_agency", `the message says it is from ${shown(stated)}, it came from ${opts.agencyCode}`);
  }
  const agencyCode = opts.agencyCode ?? stated;
  if (agencyCode === null) throw new SignatureError("malformed", "the message names no sender (From/OrganId)");
  let info;
  try {
    info = certificateInfo(parts.certificate);
  } catch (err) {
    if (err instanceof CertificateError) throw new SignatureError("malformed", err.message);
    throw err;
  }
  if (info.agencyCode !== agencyCode) {
    throw new SignatureError("wrong_agency", `the certificate is of ${info.agencyCode ?? "no agency"}, not of ${agencyCode}`);
  }
  const registered = opts.trusted.find((pem) => {
    try {
      return derOf(pem).equals(parts.certificate);
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
  // The reference first: a document changed after signing is told apart from a signature that does not match.
  const digest = createHash("sha256").update(canonicalize(doc.root, omitted(parts.withTraces))).digest();
  if (!digest.equals(Buffer.from(parts.digestValue, "base64"))) {
    throw new SignatureError("digest_mismatch", "the document was changed after it was signed");
  }
  const ok = createVerify("RSA-SHA256").update(canonicalize(parts.signedInfo)).verify(publicKeyOf(registered), parts.signatureValue, "base64");
  if (!ok) throw new SignatureError("bad_signature", "the signature value does not match SignedInfo");
  return { certificatePem: registered, agencyCode, subject: info.subject, fingerprint: info.fingerprint, notBefore: info.notBefore, notAfter: info.notAfter };
}
