// The registry simulator's HTTP server: it speaks like a remote national registry. A client gets a token by the
// OAuth 2 client-credentials grant, then asks with the purpose, legal basis and dossier of each request in
// headers (percent-encoded UTF-8); a request without them is refused. `/admin/*` sets faults for the tests and
// counts what was asked: it is a test and demo tool, bound to the loopback address by default.
import crypto from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { lazy } from "../../../platform/lazy.ts";
import { businessAnswer, citizenAnswer, civilEventsAnswer } from "./answers.ts";
import type { Register } from "./businesses.ts";
import type { Population } from "./people.ts";

export type FaultMode = "none" | "slow" | "error" | "garbage" | "down";
export const FAULT_MODES: readonly FaultMode[] = ["none", "slow", "error", "garbage", "down"];

export interface Fault {
  mode: FaultMode;
  /** How long `slow` waits before answering, ms. */
  latencyMs: number;
  /** How many requests the fault applies to before the registry heals; null for until changed. */
  remaining: number | null;
}

export interface SimOptions {
  population: Population;
  register: Register;
  /** Client id → secret of the clients the token endpoint knows. */
  clients: ReadonlyMap<string, string>;
  tokenTtlSeconds: number;
  fault?: Fault;
  /**
   * HTTPS with this certificate and key; with `clientCa`, mutual TLS: a client certificate issued by it is asked
   * for and, when presented, stands instead of a token (PEM texts).
   */
  tls?: { cert: string; key: string; clientCa: string | null };
}

const PURPOSE_HEADERS = { purpose: "x-purpose", legalBasis: "x-legal-basis", dossierId: "x-dossier-id" } as const;
const AUDIENCE = "registry-sim";

/** jose, loaded when the simulator runs: the program's other processes never need it from here. */
const jose = lazy(() => import("jose"));

const digest = (text: string) => crypto.createHash("sha256").update(text).digest();

type Counted = "token" | "population" | "business" | "civil";

export interface RegistrySim {
  url: string;
  close(): Promise<void>;
}

export async function startRegistrySim(opts: SimOptions, listen: { port: number; host: string }): Promise<RegistrySim> {
  let key = crypto.randomBytes(32);
  let fault: Fault = opts.fault ?? { mode: "none", latencyMs: 0, remaining: null };
  const counts: Record<Counted, number> = { token: 0, population: 0, business: 0, civil: 0 };
  const sockets = new Set<Socket>();

  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), "cache-control": "no-store" });
    res.end(text);
  };

  const readBody = (req: http.IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => {
        body += chunk;
        if (body.length > 65_536) req.destroy();
      });
      req.on("end", () => resolve(body));
      req.on("error", reject);
    });

  /** Applies the fault in force to a request; true when the request has been answered (or dropped). */
  const faulted = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> => {
    if (fault.mode === "none") return false;
    const { mode, latencyMs } = fault;
    if (fault.remaining !== null && --fault.remaining <= 0) fault = { mode: "none", latencyMs: 0, remaining: null };
    switch (mode) {
      case "down":
        req.socket.destroy();
        return true;
      case "error":
        send(res, 503, { error: "unavailable", message: "Hệ thống đang bảo trì" });
        return true;
      case "garbage":
        res.writeHead(200, { "content-type": "application/json" });
        res.end(req.url?.startsWith("/oauth/") ? "{\"access_token\":" : JSON.stringify({ soDinhDanh: 42, hoVaTen: null, maSoThue: [], suKien: "?" }));
        return true;
      case "slow":
        await new Promise((resolve) => setTimeout(resolve, latencyMs || 5000));
        return false;
      default:
        return false;
    }
  };

  const token = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const form = new URLSearchParams(await readBody(req));
    let id = form.get("client_id");
    let secret = form.get("client_secret");
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? "");
    if (basic) {
      const [user = "", pass = ""] = Buffer.from(basic[1]!, "base64").toString("utf8").split(":");
      [id, secret] = [decodeURIComponent(user), decodeURIComponent(pass)];
    }
    if (form.get("grant_type") !== "client_credentials") return send(res, 400, { error: "unsupported_grant_type" });
    const known = id ? opts.clients.get(id) : undefined;
    if (!known || !secret || !crypto.timingSafeEqual(digest(known), digest(secret))) {
      return send(res, 401, { error: "invalid_client" });
    }
    const { SignJWT } = await jose();
    const accessToken = await new SignJWT({ scope: "registries" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(id!)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${opts.tokenTtlSeconds}s`)
      .sign(key);
    send(res, 200, { access_token: accessToken, token_type: "Bearer", expires_in: opts.tokenTtlSeconds, scope: "registries" });
  };

  /** The bearer token and the purpose headers; answers and returns false when one is missing or wrong. */
  const authorised = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> => {
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "");
    const certified = Boolean(opts.tls?.clientCa) && (req.socket as TLSSocket).authorized === true;
    try {
      if (!certified && !bearer) throw new Error("no token");
      if (!certified) await (await jose()).jwtVerify(bearer![1]!, key, { audience: AUDIENCE });
    } catch {
      send(res, 401, { error: "invalid_token" });
      return false;
    }
    const missing = Object.values(PURPOSE_HEADERS).filter((h) => {
      const v = req.headers[h];
      return typeof v !== "string" || v.trim() === "";
    });
    if (missing.length) {
      send(res, 400, { error: "missing_purpose", message: `Thiếu thông tin mục đích khai thác: ${missing.join(", ")}` });
      return false;
    }
    return true;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://sim");
    const path = url.pathname;
    if (path === "/health") return send(res, 200, { status: "ok" });
    if (path === "/admin/faults" && req.method === "POST") {
      const body = JSON.parse((await readBody(req)) || "{}") as { mode?: FaultMode; latencyMs?: number; count?: number };
      if (!body.mode || !FAULT_MODES.includes(body.mode)) return send(res, 400, { error: "unknown_mode" });
      fault = { mode: body.mode, latencyMs: body.latencyMs ?? 0, remaining: body.count ?? null };
      return send(res, 200, fault);
    }
    if (path === "/admin/citizens" || path === "/admin/businesses") {
      // The identifiers of a range of the generated records, for the tests and the demo to ask about.
      const offset = Number(url.searchParams.get("offset") ?? 0);
      const limit = Math.min(1000, Number(url.searchParams.get("limit") ?? 100));
      const items: string[] = [];
      const size = path === "/admin/citizens" ? opts.population.size : opts.register.size;
      for (let i = offset; i < Math.min(size, offset + limit); i++) {
        items.push(path === "/admin/citizens" ? opts.population.person(i).cccd : opts.register.business(i).taxCode);
      }
      return send(res, 200, { size, items });
    }
    if (path === "/admin/rotate-key" && req.method === "POST") {
      // Every token issued so far stops being accepted, as after a registry's restart.
      key = crypto.randomBytes(32);
      return send(res, 200, { rotated: true });
    }
    if (path === "/admin/stats") {
      if (req.method === "DELETE") for (const k of Object.keys(counts) as Counted[]) counts[k] = 0;
      return send(res, 200, counts);
    }
    const route = path === "/oauth/token" ? "token" : /^\/population\/citizens\/[^/]+$/.test(path) ? "population" : /^\/business\/enterprises\/[^/]+$/.test(path) ? "business" : path === "/civil-status/events" ? "civil" : null;
    if (!route) return send(res, 404, { error: "not_found" });
    counts[route]++;
    if (await faulted(req, res)) return;
    if (route === "token") return req.method === "POST" ? token(req, res) : send(res, 405, { error: "method_not_allowed" });
    if (req.method !== "GET") return send(res, 405, { error: "method_not_allowed" });
    if (!(await authorised(req, res))) return;
    const id = decodeURIComponent(path.slice(path.lastIndexOf("/") + 1));
    if (route === "population") {
      const person = opts.population.byCccd(id);
      return person ? send(res, 200, citizenAnswer(opts.population, person)) : send(res, 404, { error: "not_found" });
    }
    if (route === "business") {
      const business = opts.register.byTaxCode(id);
      return business ? send(res, 200, businessAnswer(business)) : send(res, 404, { error: "not_found" });
    }
    const person = opts.population.byCccd(url.searchParams.get("soDinhDanh") ?? "");
    return person ? send(res, 200, civilEventsAnswer(opts.population.civilEvents(person))) : send(res, 404, { error: "not_found" });
  };

  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { error: "internal" });
      else res.destroy();
    });
  };
  const tls = opts.tls;
  const server = tls
    ? https.createServer({ cert: tls.cert, key: tls.key, ...(tls.clientCa ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true } : {}) }, listener)
    : http.createServer(listener);
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = listen.host.includes(":") ? `[${listen.host}]` : listen.host;
  return {
    url: `${tls ? "https" : "http"}://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
