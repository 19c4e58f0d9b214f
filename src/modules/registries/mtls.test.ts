// A connector that proves who it is with a client certificate (mutual TLS) instead of client credentials, against
// `motcua registry-sim` serving HTTPS and asking for certificates of its CA: a child process of this test.
import "reflect-metadata";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPrivateKey, webcrypto } from "node:crypto";
import { after, before, describe, it } from "node:test";
import * as x509 from "@peculiar/x509";
import type { Actor } from "../../platform/auth/actor.ts";
import { systemClock } from "../../platform/clock.ts";
import { DomainError } from "../../platform/http/errors.ts";
import { testContext, type TestEnv } from "../../../test/helpers/app.ts";
import { makeConnectors, makeRegistriesService } from "./service.ts";
import { registriesAt, type SimChild, spawnRegistrySim } from "./sim/child.ts";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);
const EC = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };

async function keyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(EC, true, ["sign", "verify"])) as CryptoKeyPair;
}

async function pemOf(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", key as webcrypto.CryptoKey));
  return createPrivateKey({ key: der, format: "der", type: "pkcs8" }).export({ type: "pkcs8", format: "pem" }).toString();
}

const notBefore = new Date(Date.now() - 60_000);
const notAfter = new Date(Date.now() + 86_400_000);

async function authority(name: string) {
  const keys = await keyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: `CN=${name}`,
    notBefore,
    notAfter,
    keys,
    signingAlgorithm: EC,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  });
  const issue = async (subject: string, usage: string, extra: x509.Extension[] = []) => {
    const own = await keyPair();
    const leaf = await x509.X509CertificateGenerator.create({
      serialNumber: String(Math.floor(Math.random() * 1e9) + 2),
      subject: `CN=${subject}`,
      issuer: cert.subject,
      notBefore,
      notAfter,
      publicKey: own.publicKey,
      signingKey: keys.privateKey,
      signingAlgorithm: EC,
      extensions: [new x509.ExtendedKeyUsageExtension([usage]), ...extra],
    });
    return { cert: leaf.toString("pem"), key: await pemOf(own.privateKey) };
  };
  return { pem: cert.toString("pem"), issue };
}

const officer: Actor = {
  type: "user",
  userId: "u-mtls",
  username: "canbo.mtls",
  fullName: "Cán bộ Thử",
  email: null,
  roles: [{ role: "specialist", agencyCode: "000.00.11.H06" }],
  agencyCode: "000.00.11.H06",
  loa: 0,
};
const PURPOSE = { purpose: "Xác minh nhân thân", legalBasis: "Luật Căn cước 2023", dossierId: "mtls-1" };

describe("a registry over mutual TLS", () => {
  let dir: string;
  let sim: SimChild;
  let url: string;
  let env: TestEnv;
  const files: Record<string, string> = {};

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-mtls-"));
    const ca = await authority("Registry test CA");
    const stranger = await authority("Someone else's CA");
    const server = await ca.issue("127.0.0.1", x509.ExtendedKeyUsage.serverAuth, [new x509.SubjectAlternativeNameExtension([{ type: "ip", value: "127.0.0.1" }])]);
    const client = await ca.issue("motcua", x509.ExtendedKeyUsage.clientAuth);
    const impostor = await stranger.issue("motcua", x509.ExtendedKeyUsage.clientAuth);
    const write = (name: string, text: string) => fs.writeFileSync((files[name] = path.join(dir, name)), text);
    write("ca.pem", ca.pem);
    write("server.pem", server.cert);
    write("server.key", server.key);
    write("client.pem", client.cert);
    write("client.key", client.key);
    write("impostor.pem", impostor.cert);
    write("impostor.key", impostor.key);
    sim = spawnRegistrySim(["--port", "0", "--citizens", "400", "--businesses", "10", "--tls-cert", files["server.pem"]!, "--tls-key", files["server.key"]!, "--tls-client-ca", files["ca.pem"]!]);
    url = await sim.ready;
    env = await testContext();
  });
  after(async () => {
    await sim?.stop();
    await env?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const service = (cert: string, key: string) =>
    makeRegistriesService({
      database: env.database,
      clock: systemClock,
      audit: env.ctx.audit,
      connectors: makeConnectors(
        registriesAt(url, { id: "unused", secret: "unused" }, { breaker: { failures: 5, resetMs: 30_000 } }, {
          auth: { kind: "mtls", certFile: files[cert]!, keyFile: files[key]!, caFile: files["ca.pem"]! },
          retries: 0,
        }),
        systemClock,
      ),
    });

  it("looks up with a certificate of the registry's CA and no token", async () => {
    const firm = await service("client.pem", "client.key").lookupBusiness(officer, "0100233488", PURPOSE);
    assert.equal(firm?.name, "Công ty TNHH Ví dụ Kinh Bắc");
  });

  it("is turned away with a certificate of another CA", async () => {
    try {
      await service("impostor.pem", "impostor.key").lookupBusiness(officer, "0100233488", PURPOSE);
      assert.fail("expected registries.unavailable");
    } catch (err) {
      assert.ok(err instanceof DomainError, String(err));
      assert.equal(err.code, "registries.unavailable");
      assert.equal(err.details?.reason, "down");
    }
  });
});
