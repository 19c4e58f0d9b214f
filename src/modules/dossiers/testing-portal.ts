// A stand-in for the national portal in tests (not used by the running program): a small HTTP server on
// loopback with the login and the integration endpoint, that checks every request against the JSON Schema
// written from the public integrations (docs/dvcqg/dvcqg-sync.schema.json) with Ajv, answers as the
// integrations read the portal's answers, and records what it accepted.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { Config } from "../../platform/config/index.ts";
import type { CapNhatTienDoHoSoMC, DongBoHoSoMC } from "./national-format.ts";

const SCHEMA_FILE = new URL("../../../docs/dvcqg/dvcqg-sync.schema.json", import.meta.url);

/** The schema's checks, by message: `null` when the body is valid, else Ajv's errors as text. */
export function portalSchema() {
  const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as { $id: string };
  const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true, strictTypes: false });
  // The schema marks what only one integration showed; the marks are notes, not checks.
  ajv.addVocabulary(["x-uncertain", "x-uncertain-values"]);
  ajv.addSchema(schema);
  const check = (def: string) => (body: unknown) => {
    const validate = ajv.getSchema(`${schema.$id}#/$defs/${def}`)!;
    return validate(body) ? null : ajv.errorsText(validate.errors, { separator: "\n" });
  };
  return {
    login: check("LoginRequest"),
    DongBoHoSoMC: check("DongBoHoSoMCEnvelope"),
    CapNhatTienDoHoSoMC: check("CapNhatTienDoHoSoMCEnvelope"),
  };
}

/** One message the portal received over the integration endpoint. */
export type PortalDelivery = {
  /** The Idempotency-Key header. */
  key: string;
  session: string;
  madonvi: string;
  dstcode: string | undefined;
} & ({ service: "DongBoHoSoMC"; isUpdating: string; data: DongBoHoSoMC } | { service: "CapNhatTienDoHoSoMC"; data: CapNhatTienDoHoSoMC });

/** What the portal answers a message: a JSON body (with its error_code), an HTTP status, or a dropped connection. */
export type PortalAnswer = { error_code: unknown; message: string } | number | "drop";

export const PORTAL_ACCOUNT = { username: "tinh-bac-ninh", password: "mật khẩu tích hợp", madonvi: "000.00.00.H06", dstcode: "DVCQG" };

export function stubPortal() {
  const schema = portalSchema();
  /** Every message that reached the endpoint, valid or not. */
  const raw: PortalDelivery[] = [];
  /** Each accepted message once (by Idempotency-Key), in order. */
  const accepted: PortalDelivery[] = [];
  /** What the schema refused: none, in a passing test. */
  const invalid: string[] = [];
  const sessions = new Set<string>();
  let logins = 0;
  const seen = new Set<string>();
  let answer: (d: PortalDelivery) => PortalAnswer = () => ({ error_code: 0, message: "Đồng bộ thành công" });

  const reply = (res: http.ServerResponse, status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
      if (req.url === "/auth") {
        const problem = schema.login(body);
        if (problem) invalid.push(`login: ${problem}`);
        if (body.username !== PORTAL_ACCOUNT.username || body.password !== PORTAL_ACCOUNT.password) {
          return void reply(res, 200, { error_code: "-1", message: "Sai tài khoản" });
        }
        const session = `phien-${++logins}`;
        sessions.add(session);
        return void reply(res, 200, { error_code: 0, message: "Thành công", session });
      }
      const service = String(body.service);
      const check = service === "DongBoHoSoMC" ? schema.DongBoHoSoMC : service === "CapNhatTienDoHoSoMC" ? schema.CapNhatTienDoHoSoMC : () => `unknown service ${service}`;
      const problem = check(body);
      if (problem) {
        invalid.push(`${service}: ${problem}`);
        return void reply(res, 200, { error_code: "-1", message: `Dữ liệu không hợp lệ: ${problem}` });
      }
      if (!sessions.has(String(body.session))) return void reply(res, 200, { error_code: "-2", message: "Phiên làm việc không hợp lệ" });
      const data = (body.data as unknown[])[0];
      const d = {
        key: String(req.headers["idempotency-key"]),
        session: String(body.session),
        madonvi: String(body.madonvi),
        dstcode: req.headers.dstcode as string | undefined,
        service,
        ...(service === "DongBoHoSoMC" ? { isUpdating: String(body.isUpdating) } : {}),
        data,
      } as PortalDelivery;
      raw.push(d);
      const a = answer(d);
      const ok = a === "drop" || (typeof a === "object" && ["0", "00"].includes(String(a.error_code)));
      // A response lost on the way back: the message was taken, the sender cannot know it.
      if (ok) {
        if (!seen.has(d.key)) accepted.push(d);
        seen.add(d.key);
      }
      if (a === "drop") return void req.socket.destroy();
      if (typeof a === "number") return void reply(res, a, { error_code: "-1", message: "refused" });
      reply(res, 200, a);
    });
  });

  return {
    raw,
    accepted,
    invalid,
    logins: () => logins,
    /** Forgets every session, as a portal whose sessions expired. */
    expireSessions: () => sessions.clear(),
    setAnswer: (fn: typeof answer) => void (answer = fn),
    listen: (port = 0) => new Promise<number>((resolve) => server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `config.nationalSync` for a stub portal on `port`. */
export function portalEndpoint(port: number, timeoutMs = 2000): NonNullable<Config["nationalSync"]> {
  return {
    url: `http://127.0.0.1:${port}/dvcqg`,
    authUrl: `http://127.0.0.1:${port}/auth`,
    username: PORTAL_ACCOUNT.username,
    password: PORTAL_ACCOUNT.password,
    madonvi: PORTAL_ACCOUNT.madonvi,
    dstcode: PORTAL_ACCOUNT.dstcode,
    timeoutMs,
    databaseCodes: {},
  };
}
