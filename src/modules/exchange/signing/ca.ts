// Keys and X.509 certificates of the exchange: the development CA of an installation (a self-signed root made once,
// for the demo and for tests) and the agency certificates it issues, and reading any agency certificate.
//
// An agency certificate names its agency as `CN=<agency name>, serialNumber=<agency code>`: the code (QCVN 102:2016,
// e.g. `000.00.00.H29`) is the subject's serialNumber attribute (2.5.4.5), the X.520 attribute for "an identifier
// of the subject", exactly one of them; the OU stays free for a department. Key usage: digitalSignature and
// nonRepudiation (critical), not a CA. RSA 2048, signed with SHA-256.
//
// Library: @peculiar/x509 (MIT, TypeScript, builds certificates on Node's own WebCrypto, so keys are made by OpenSSL
// in a fraction of a second) rather than node-forge (pure-JavaScript RSA, slow key generation, a history of
// signature-verification CVEs, types from DefinitelyTyped). Its dependency injection container (tsyringe) needs the
// `reflect-metadata` polyfill, required first below. Node's own X509Certificate reads the DER, the public key and
// checks a private key against a certificate. The library (~200 files with its ASN.1 schemas, a third of a second
// under tsx) is required by the first reading or issuing of a certificate, not by every process that loads the
// exchange module (issue 12, item 10).
import { createPrivateKey, webcrypto, X509Certificate as NodeCertificate } from "node:crypto";
import type * as X509 from "@peculiar/x509";
import { lazyRequire } from "../../../platform/lazy.ts";

const peculiar = lazyRequire<typeof X509>("@peculiar/x509", (x509) => x509.cryptoProvider.set(webcrypto as unknown as Crypto));
const reflectMetadata = lazyRequire<unknown>("reflect-metadata");
/** @peculiar/x509, its polyfill required before it. */
const x509Library = (): typeof X509 => (reflectMetadata(), peculiar());

/** The subject attribute that carries the agency code: serialNumber. */
export const AGENCY_CODE_OID = "2.5.4.5";
const COMMON_NAME_OID = "2.5.4.3";
const RSA = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;
const MODULUS_BITS = 2048;
const DAY_MS = 86_400_000;

/** A private key and its certificate, both PEM. */
export interface KeyAndCertificate {
  privateKeyPem: string;
  certificatePem: string;
}

/** What a certificate says, read with no trust decided. */
export interface CertificateInfo {
  /** The subject as RFC 4514 text (for display only). */
  subject: string;
  issuer: string;
  /** The serialNumber attribute of the subject when there is exactly one, else null. */
  agencyCode: string | null;
  /** The subject's CN, null when it has none. */
  agencyName: string | null;
  notBefore: Date;
  notAfter: Date;
  /** Hex serial of the certificate. */
  serial: string;
  /** SHA-256 of the DER, hex. */
  fingerprint: string;
  /** The key usage extension allows digitalSignature. */
  digitalSignature: boolean;
  isCa: boolean;
}

/** A certificate that cannot be read. */
export class CertificateError extends Error {
  override name = "CertificateError";
}

/** Reads a PEM certificate (the first one of the text); throws CertificateError when it is not one. */
export function readCertificate(pem: string): CertificateInfo {
  const x509 = x509Library();
  let cert: X509.X509Certificate;
  let node: NodeCertificate;
  try {
    cert = new x509.X509Certificate(pem);
    node = new NodeCertificate(pem);
  } catch (err) {
    throw new CertificateError(`not an X.509 certificate: ${(err as Error).message}`);
  }
  const codes = cert.subjectName.getField(AGENCY_CODE_OID);
  const names = cert.subjectName.getField(COMMON_NAME_OID);
  const usage = cert.getExtension(x509.KeyUsagesExtension);
  const basic = cert.getExtension(x509.BasicConstraintsExtension);
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    agencyCode: codes.length === 1 ? codes[0]! : null,
    agencyName: names[0] ?? null,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    serial: cert.serialNumber,
    fingerprint: node.fingerprint256.replaceAll(":", "").toLowerCase(),
    digitalSignature: usage === null || (usage.usages & x509.KeyUsageFlags.digitalSignature) !== 0,
    isCa: basic?.ca ?? false,
  };
}

/** The DER of a PEM certificate (throws CertificateError when it is not one). */
export function certificateDer(pem: string): Buffer {
  try {
    return new NodeCertificate(pem).raw;
  } catch (err) {
    throw new CertificateError(`not an X.509 certificate: ${(err as Error).message}`);
  }
}

/** A PEM certificate from base64 DER (as KeyInfo carries it). */
export function derToPem(der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/** True when the private key (PEM, PKCS#1 or PKCS#8) is the one whose public key the certificate carries. */
export function keyMatchesCertificate(privateKeyPem: string, certificatePem: string): boolean {
  try {
    const key = createPrivateKey(privateKeyPem);
    return new NodeCertificate(certificatePem).checkPrivateKey(key);
  } catch {
    return false;
  }
}

/** The size of an RSA private key (PEM, unencrypted), or null when it is not one. */
export function rsaKeyBits(privateKeyPem: string): number | null {
  try {
    const key = createPrivateKey(privateKeyPem);
    return key.asymmetricKeyType === "rsa" ? (key.asymmetricKeyDetails?.modulusLength ?? null) : null;
  } catch {
    return null;
  }
}

async function newKeys(): Promise<CryptoKeyPair> {
  const alg = { ...RSA, modulusLength: MODULUS_BITS, publicExponent: new Uint8Array([1, 0, 1]) };
  return (await webcrypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
}

async function privatePem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", key as webcrypto.CryptoKey));
  return createPrivateKey({ key: der, format: "der", type: "pkcs8" }).export({ type: "pkcs8", format: "pem" }).toString();
}

async function importPrivate(pem: string): Promise<CryptoKey> {
  const der = createPrivateKey(pem).export({ type: "pkcs8", format: "der" });
  return (await webcrypto.subtle.importKey("pkcs8", der, RSA, false, ["sign"])) as CryptoKey;
}

async function importPublic(certificatePem: string): Promise<CryptoKey> {
  const der = new NodeCertificate(certificatePem).publicKey.export({ type: "spki", format: "der" });
  return (await webcrypto.subtle.importKey("spki", der, RSA, true, ["verify"])) as CryptoKey;
}

function randomSerial(): string {
  // Positive (high bit clear), 16 bytes: RFC 5280 allows up to 20.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return Buffer.from(bytes).toString("hex");
}

/** A new self-signed root for this installation's demo: CA, keyCertSign and cRLSign, valid `years` from `now`. */
export async function createDevelopmentCa(opts: { name: string; now: Date; years?: number }): Promise<KeyAndCertificate> {
  const x509 = x509Library();
  const keys = await newKeys();
  const notBefore = new Date(opts.now.getTime() - 60_000);
  const notAfter = new Date(opts.now.getTime() + (opts.years ?? 10) * 365 * DAY_MS);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: [{ [COMMON_NAME_OID]: [opts.name] }, { "2.5.4.10": ["motcua development CA"] }],
    notBefore,
    notAfter,
    keys,
    signingAlgorithm: RSA,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { privateKeyPem: await privatePem(keys.privateKey), certificatePem: cert.toString("pem") };
}

export interface AgencySubject {
  agencyCode: string;
  agencyName: string;
}

/**
 * A new key for an agency and its certificate issued by `ca`: `CN=<name>, serialNumber=<code>`, valid `days` (365)
 * from a minute before `now` (`notBefore`/`notAfter` given instead for tests of expiry).
 */
export async function issueAgencyCertificate(
  ca: KeyAndCertificate,
  subject: AgencySubject,
  opts: { now: Date; days?: number; notBefore?: Date; notAfter?: Date },
): Promise<KeyAndCertificate> {
  const x509 = x509Library();
  const keys = await newKeys();
  const caCert = new x509.X509Certificate(ca.certificatePem);
  const notBefore = opts.notBefore ?? new Date(opts.now.getTime() - 60_000);
  const notAfter = opts.notAfter ?? new Date(opts.now.getTime() + (opts.days ?? 365) * DAY_MS);
  const caPublic = await importPublic(ca.certificatePem);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: [{ [COMMON_NAME_OID]: [subject.agencyName] }, { [AGENCY_CODE_OID]: [subject.agencyCode] }],
    issuer: caCert.subjectName,
    notBefore,
    notAfter,
    publicKey: keys.publicKey,
    signingKey: await importPrivate(ca.privateKeyPem),
    signingAlgorithm: RSA,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caPublic),
    ],
  });
  return { privateKeyPem: await privatePem(keys.privateKey), certificatePem: cert.toString("pem") };
}
