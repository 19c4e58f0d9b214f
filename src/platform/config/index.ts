import { isIP } from "node:net";
import path from "node:path";

/**
 * The process configuration, parsed once at start from the environment.
 * This is the only file that reads `process.env`; everything else receives a `Config`.
 */
export interface Config {
  /** HTTP port (PORT). */
  port: number;
  /** Interface to listen on (HOST); `localhost` binds the loopback addresses only. */
  host: string;
  /** Base URL people and peers reach this node at (MOTCUA_PUBLIC_URL). */
  publicUrl: string;
  /**
   * Whether a browser opening a page on another host name of this node (`127.0.0.1` for `localhost`) is sent to the
   * same page on `publicUrl` (MOTCUA_REDIRECT_TO_PUBLIC_URL, on by default): sign-in only works there.
   */
  redirectToPublicUrl: boolean;
  /** Where the embedded database, files and the local control socket live (MOTCUA_DATA_DIR). */
  dataDir: string;
  /** PostgreSQL server; when absent the embedded PGlite database under `dataDir` is used (DATABASE_URL). */
  databaseUrl: string | null;
  /**
   * The connection each node LISTENs on for the other nodes' signals (DATABASE_LISTEN_URL; DATABASE_URL by
   * default). A LISTEN lives as long as its session: behind PgBouncer in transaction mode, name the server itself
   * or a session-mode pool here.
   */
  databaseListenUrl: string | null;
  /** Connections in the PostgreSQL pool (DATABASE_POOL_MAX). */
  databasePoolMax: number;
  /**
   * What the node does when PostgreSQL fails (docs/ARCHITECTURE.md, "When the database fails"): how long making a
   * new connection may take, ms (DATABASE_CONNECT_TIMEOUT_MS); the server's statement_timeout, ms, 0 for none
   * (DATABASE_STATEMENT_TIMEOUT_MS); how often the server is checked while it answers, ms, 0 for never
   * (DATABASE_HEARTBEAT_MS: one unanswered for twice as long makes queries fail at once until it answers).
   */
  databaseFaults: { connectTimeoutMs: number; statementTimeoutMs: number; heartbeatMs: number };
  /** Load the demo agencies and accounts (MOTCUA_DEMO); defaults to on for the embedded database only. */
  demo: boolean;
  /** pino level (LOG_LEVEL). */
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** LOG_FORMAT: `json` lines, `pretty` lines for a person, or `auto` (pretty on a terminal, JSON otherwise). */
  logFormat: "auto" | "json" | "pretty";
  /** NO_COLOR (any value, https://no-color.org): pretty log lines without colours. */
  noColour: boolean;
  /** Largest accepted upload in bytes (MOTCUA_MAX_UPLOAD_BYTES). */
  maxUploadBytes: number;
  /**
   * How long a node may answer a repeated catalogue search from memory, in seconds
   * (MOTCUA_SEARCH_CACHE_SECONDS; 0 turns it off). A publication clears its own node's cache at once.
   */
  searchCacheSeconds: number;
  /**
   * Compile each route's schemas on its first request instead of when the app is built (MOTCUA_LAZY_SCHEMAS, off):
   * for the tests, which call a few routes each; a node compiles them all at start, so a schema that does not
   * compile stops it there.
   */
  lazySchemas: boolean;
  /**
   * Public dossier lookups one address may make per minute (MOTCUA_LOOKUP_PER_MINUTE). The lookup key
   * has 40 bits; the throttle is what keeps guessing it impractical, so raise it only where one
   * address stands for many people (a kiosk, a benchmark).
   */
  lookupsPerMinute: number;
  /**
   * The load balancers or reverse proxies in front of this node, as IP addresses or CIDR ranges
   * (MOTCUA_TRUSTED_PROXIES, comma-separated; none by default). A request from one of them is taken to be
   * from the client its X-Forwarded-For names, for the lookup's throttle and the logs; from anyone else that
   * header is ignored.
   */
  trustedProxies: string[];
  /** Jobs a worker runs at once (MOTCUA_WORKER_CONCURRENCY). */
  workerConcurrency: number;
  /** How long a claimed job stays reserved to its worker before another may take it (MOTCUA_JOB_LEASE_SECONDS). */
  jobLeaseSeconds: number;
  /** How often an idle worker looks for due jobs, in ms (MOTCUA_WORKER_POLL_MS). */
  workerPollMs: number;
  /** How long shutdown waits for in-flight requests and jobs, in ms (MOTCUA_SHUTDOWN_TIMEOUT_MS). */
  shutdownTimeoutMs: number;
  /**
   * Secret that authenticates the audit log's seals (MOTCUA_AUDIT_KEY, at least 32 characters). When
   * absent, a key is generated once into the data directory; every node of a PostgreSQL deployment
   * must share the same key.
   */
  auditKey: string | null;
  /**
   * The node's master secret (MOTCUA_SECRET, at least 32 characters): the OIDC cookie keys and the
   * second-factor encryption key derive from it. When absent, each is generated once into the data
   * directory; every node of a PostgreSQL deployment must share the same value.
   */
  secret: string | null;
  /** Outgoing mail server (MOTCUA_SMTP_URL, smtp:// or smtps://); without it mail is written as .eml files under the data directory. */
  smtpUrl: string | null;
  /** Sender of outgoing mail (MOTCUA_MAIL_FROM). */
  mailFrom: string;
  /**
   * Sync of dossiers to the national portal (DOMAIN.md §3; docs/dvcqg/README.md), or null to send nothing:
   * MOTCUA_NATIONAL_SYNC_URL (the integration endpoint the messages are POSTed to), _AUTH_URL (the login endpoint),
   * _USERNAME and _PASSWORD (the integration account, exchanged for a session), _MADONVI (this province's unit
   * code on the portal), _DSTCODE (the routing code sent as the `dstcode` header, when the gateway wants one),
   * _TIMEOUT_MS, _MACSDL (a JSON object: the portal's MaCSDL code of each national database this platform reads,
   * by its registry key — `{"population":"…","business":"…","civil_status":"…"}`; the portal's code list is
   * given to the province with its integration account, and a registry without a code here is sent under its key).
   */
  nationalSync: {
    url: string;
    authUrl: string;
    username: string;
    password: string;
    madonvi: string;
    dstcode: string | null;
    timeoutMs: number;
    /** MaCSDL by registry key (population, business, civil_status). */
    databaseCodes: Record<string, string>;
  } | null;
  /**
   * Sign-in through an external OpenID provider (VNeID by agreement, a provincial Keycloak…), or null:
   * MOTCUA_FEDERATION_ISSUER, _CLIENT_ID, _CLIENT_SECRET, _CCCD_CLAIM (default `cccd`), _LOA_CLAIM
   * (default `loa`), _NAME (the button's label, default `VNeID`).
   */
  federation: {
    issuer: string;
    clientId: string;
    clientSecret: string | null;
    cccdClaim: string;
    loaClaim: string;
    name: string;
  } | null;
  /** The national registries the data-sharing gateway asks (see `RegistriesConfig`). */
  registries: RegistriesConfig;
  /**
   * The document exchange between nodes (issue 16): MOTCUA_EXCHANGE_HUB_URL (a hub that routes onward what no peer
   * covers), MOTCUA_EXCHANGE_HUB (this node is a hub: the agency code it stamps its TraceHeader with),
   * _TIMEOUT_MS (one delivery's HTTP request), _MAX_ATTEMPTS and _RETRY_BASE_MS / _RETRY_MAX_MS (the outbox's
   * retries with exponential backoff), _BATCH (how many queued messages for one recipient a delivery takes to a peer
   * in one request; 1: one message a request).
   */
  exchange: {
    hubUrl: string | null;
    hubCode: string | null;
    timeoutMs: number;
    maxAttempts: number;
    retryBaseMs: number;
    retryMaxMs: number;
    batch: number;
  };
}

/** One registry's connector: where it is, how the node proves who it is, and how long and how often it may ask. */
export interface RegistryConnectorConfig {
  baseUrl: string;
  /** OAuth 2 client credentials (a token from `tokenUrl`), or mutual TLS (the client certificate is the proof). */
  auth:
    | { kind: "oauth2"; tokenUrl: string; clientId: string; clientSecret: string; scope: string | null }
    | { kind: "mtls"; certFile: string; keyFile: string; caFile: string | null };
  timeoutMs: number;
  /** Attempts after the first one, for a registry that is down, too slow or answers 5xx. */
  retries: number;
  /** Requests this node may send per minute (the registry's quota for the client). */
  perMinute: number;
  /** motcua's field → the registry's field (a dotted path), over the default mapping. */
  fields: Record<string, string>;
}

/**
 * The registries (docs/ARCHITECTURE.md, registries): MOTCUA_REGISTRY_<NAME>_URL with NAME one of POPULATION,
 * BUSINESS, CIVIL_STATUS, or MOTCUA_REGISTRY_URL for one base URL serving all three; then, per connector or shared,
 * _TOKEN_URL (default: the base URL + /oauth/token), _CLIENT_ID, _CLIENT_SECRET, _SCOPE for OAuth 2, or _CERT, _KEY,
 * _CA (PEM files) for mutual TLS; _TIMEOUT_MS (5,000), _RETRIES (2), _PER_MINUTE (600), _FIELDS (a JSON object).
 * The breaker: MOTCUA_REGISTRY_BREAKER_FAILURES (5 failed look-ups in a row open it), _BREAKER_RESET_MS (30,000).
 * `simulate`: MOTCUA_REGISTRY_SIM (on by default for the demo when no registry is configured): `npm start` runs
 * `motcua registry-sim` beside the node and points every connector at it.
 * `covertPurposes`: MOTCUA_REGISTRY_COVERT_PURPOSES, a JSON object of the lawful covert purposes an officer may
 * name for a look-up and the days after which each is disclosed to the person looked up (none by default).
 */
export interface RegistriesConfig {
  connectors: Partial<Record<"population" | "business" | "civil_status", RegistryConnectorConfig>>;
  breaker: { failures: number; resetMs: number };
  simulate: boolean;
  covertPurposes?: Record<string, number>;
  /** Personal-data protection and abuse controls (`RegistryRightsConfig`); the defaults when absent. */
  rights?: RegistryRightsConfig;
}

/**
 * Abuse controls and data-subject rights (issue 18, items 5 and 6), all (cfg):
 * MOTCUA_REGISTRY_OFFICER_PER_MINUTE (30) look-ups a minute per signed-in person, MOTCUA_REGISTRY_CLIENT_PER_MINUTE
 * (120) per client address; MOTCUA_REGISTRY_ANOMALY_DISTINCT (20) distinct people looked up without a dossier of the
 * agency before an officer is reported; MOTCUA_DATA_REQUEST_REPLY_WORKING_DAYS (2) to reply to a data subject's
 * request, MOTCUA_DATA_REQUEST_DAYS_SEE (10), _CORRECT (10) and _DELETE (20) to carry it out (Decree 356/2025/NĐ-CP
 * Art. 5); MOTCUA_DATA_BREACH_NOTIFY_HOURS (72) to notify the authority of a breach from its discovery (Law
 * 91/2025/QH15 Art. 23(1)). docs/DOMAIN.md §10.
 */
export interface RegistryRightsConfig {
  officerPerMinute: number;
  clientPerMinute: number;
  anomalyDistinct: number;
  /** Working days to reply to a request (take it up or answer it). */
  requestReplyWorkingDays: number;
  /** Calendar days to carry a request out, by its kind. */
  requestDays: { see: number; correct: number; delete: number };
  breachNotifyHours: number;
}

/** A missing or malformed setting; `main` prints it and exits with code 2. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

/** A setting holding a JSON object (`{}` when unset); `what` says what it must be when it is not one. */
function jsonObject(env: Env, name: string, what: string): Record<string, unknown> {
  const raw = (env[name] ?? "").trim();
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(name, `is not JSON: it must be ${what}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new ConfigError(name, `must be ${what}`);
  return parsed as Record<string, unknown>;
}

function text(env: Env, name: string, fallback: string): string {
  const v = env[name];
  return v === undefined || v.trim() === "" ? fallback : v.trim();
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const n = Number(raw.trim());
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** A variable that no longer means anything: refused with what replaced it, rather than silently ignored. */
function retired(env: Env, name: string, instead: string): void {
  if (env[name] !== undefined && env[name]!.trim() !== "") throw new ConfigError(name, `is no longer read (${instead})`);
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const v = raw.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off"].includes(v)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const v = text(env, name, fallback).toLowerCase();
  if (!(values as readonly string[]).includes(v)) throw new ConfigError(name, `must be one of ${values.join(", ")}, got "${v}"`);
  return v as T;
}

/** Address ranges known by name (as proxy-addr, behind Fastify's trustProxy, knows them). */
const NAMED_RANGES = ["loopback", "linklocal", "uniquelocal"];

/** Comma-separated IP addresses, CIDR ranges (`10.0.0.0/8`, `2001:db8::/32`) and named ranges (`loopback`). */
function addressList(env: Env, name: string): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return [];
  return raw
    .split(",")
    .map((entry) => entry.trim())
    .filter((item) => item !== "")
    .map((item) => {
      if (NAMED_RANGES.includes(item)) return item;
      const [address = "", bits, ...more] = item.split("/");
      const family = isIP(address);
      const width = family === 6 ? 128 : 32;
      const bitsOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= width);
      if (!family || !bitsOk || more.length) throw new ConfigError(name, `must list IP addresses, CIDR ranges or ${NAMED_RANGES.join(", ")}, got "${item}"`);
      return item;
    });
}

function url(env: Env, name: string, protocols: string[]): string | null {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return null;
  let parsed: URL;
  try {
    parsed = new URL(raw.trim());
  } catch {
    throw new ConfigError(name, "is not a valid URL");
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(" or ")}`);
  }
  return raw.trim();
}

function secret(env: Env, name: string, minLength: number): string | null {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return null;
  if (raw.trim().length < minLength) throw new ConfigError(name, `must be at least ${minLength} characters long`);
  return raw.trim();
}

function mailFrom(env: Env): string {
  const v = text(env, "MOTCUA_MAIL_FROM", "motcua <no-reply@localhost>");
  if (!/^([^<>]*<)?[^\s@<>]+@[^\s@<>]+>?$/.test(v)) throw new ConfigError("MOTCUA_MAIL_FROM", `is not an address: "${v}"`);
  return v;
}

function federation(env: Env): Config["federation"] {
  const issuer = url(env, "MOTCUA_FEDERATION_ISSUER", ["https:", "http:"]);
  if (!issuer) return null;
  const clientId = text(env, "MOTCUA_FEDERATION_CLIENT_ID", "");
  if (!clientId) throw new ConfigError("MOTCUA_FEDERATION_CLIENT_ID", "is required when MOTCUA_FEDERATION_ISSUER is set");
  const claim = (name: string, fallback: string) => {
    const v = text(env, name, fallback);
    if (!/^[A-Za-z_][\w.:-]{0,99}$/.test(v)) throw new ConfigError(name, `is not a claim name: "${v}"`);
    return v;
  };
  return {
    issuer: issuer.replace(/\/+$/, ""),
    clientId,
    clientSecret: text(env, "MOTCUA_FEDERATION_CLIENT_SECRET", "") || null,
    cccdClaim: claim("MOTCUA_FEDERATION_CCCD_CLAIM", "cccd"),
    loaClaim: claim("MOTCUA_FEDERATION_LOA_CLAIM", "loa"),
    name: text(env, "MOTCUA_FEDERATION_NAME", "VNeID"),
  };
}

function nationalSync(env: Env): Config["nationalSync"] {
  const endpoint = url(env, "MOTCUA_NATIONAL_SYNC_URL", ["https:", "http:"]);
  const authUrl = url(env, "MOTCUA_NATIONAL_SYNC_AUTH_URL", ["https:", "http:"]);
  const username = text(env, "MOTCUA_NATIONAL_SYNC_USERNAME", "");
  const password = env.MOTCUA_NATIONAL_SYNC_PASSWORD ?? "";
  const madonvi = text(env, "MOTCUA_NATIONAL_SYNC_MADONVI", "");
  const dstcode = text(env, "MOTCUA_NATIONAL_SYNC_DSTCODE", "") || null;
  // The routing code is a header value: a line break in it would let it forge other headers.
  if (dstcode !== null && !/^[\x21-\x7e]+$/.test(dstcode)) {
    throw new ConfigError("MOTCUA_NATIONAL_SYNC_DSTCODE", "must be printable ASCII without spaces");
  }
  const timeoutMs = integer(env, "MOTCUA_NATIONAL_SYNC_TIMEOUT_MS", 15000, 100, 300000);
  const databaseCodes = nationalDatabaseCodes(env);
  if (!endpoint) {
    for (const [name, v] of [["MOTCUA_NATIONAL_SYNC_AUTH_URL", authUrl], ["MOTCUA_NATIONAL_SYNC_USERNAME", username], ["MOTCUA_NATIONAL_SYNC_PASSWORD", password], ["MOTCUA_NATIONAL_SYNC_MACSDL", env.MOTCUA_NATIONAL_SYNC_MACSDL ?? ""]] as const) {
      if (v) throw new ConfigError(name, "is set but MOTCUA_NATIONAL_SYNC_URL is not");
    }
    return null;
  }
  if (!authUrl) throw new ConfigError("MOTCUA_NATIONAL_SYNC_AUTH_URL", "is required when MOTCUA_NATIONAL_SYNC_URL is set");
  if (!username) throw new ConfigError("MOTCUA_NATIONAL_SYNC_USERNAME", "is required when MOTCUA_NATIONAL_SYNC_URL is set");
  if (!password) throw new ConfigError("MOTCUA_NATIONAL_SYNC_PASSWORD", "is required when MOTCUA_NATIONAL_SYNC_URL is set");
  if (!madonvi) throw new ConfigError("MOTCUA_NATIONAL_SYNC_MADONVI", "is required when MOTCUA_NATIONAL_SYNC_URL is set");
  return { url: endpoint, authUrl, username, password, madonvi, dstcode, timeoutMs, databaseCodes };
}

/** MOTCUA_NATIONAL_SYNC_MACSDL: `{ registry key: the portal's MaCSDL }`, each key a registry, each code a plain token. */
function nationalDatabaseCodes(env: Env): Record<string, string> {
  const name = "MOTCUA_NATIONAL_SYNC_MACSDL";
  const parsed = jsonObject(env, name, "a JSON object of registry keys to codes, such as {\"population\":\"…\"}");
  const codes: Record<string, string> = {};
  for (const [key, code] of Object.entries(parsed)) {
    if (!Object.hasOwn(REGISTRY_NAMES, key)) throw new ConfigError(name, `has ${JSON.stringify(key)}, not one of ${Object.keys(REGISTRY_NAMES).join(", ")}`);
    if (typeof code !== "string" || !/^[\x21-\x7e]{1,50}$/.test(code)) throw new ConfigError(name, `gives ${key} a code that is not 1–50 printable ASCII characters`);
    codes[key] = code;
  }
  return codes;
}

const REGISTRY_NAMES = { population: "POPULATION", business: "BUSINESS", civil_status: "CIVIL_STATUS" } as const;

function registryConnector(env: Env, name: string): RegistryConnectorConfig | null {
  const own = (field: string) => `MOTCUA_REGISTRY_${name}_${field}`;
  // A connector's own setting, else the shared one (MOTCUA_REGISTRY_<FIELD>).
  const pick = (field: string) => (text(env, own(field), "") ? own(field) : `MOTCUA_REGISTRY_${field}`);
  const baseUrl = url(env, pick("URL"), ["https:", "http:"]);
  if (!baseUrl) return null;
  const base = baseUrl.replace(/\/+$/, "");
  const cert = text(env, pick("CERT"), "");
  let auth: RegistryConnectorConfig["auth"];
  if (cert) {
    const keyFile = text(env, pick("KEY"), "");
    if (!keyFile) throw new ConfigError(pick("KEY"), `is required with ${pick("CERT")}`);
    auth = { kind: "mtls", certFile: path.resolve(cert), keyFile: path.resolve(keyFile), caFile: text(env, pick("CA"), "") ? path.resolve(text(env, pick("CA"), "")) : null };
  } else {
    const clientId = text(env, pick("CLIENT_ID"), "");
    const clientSecret = env[pick("CLIENT_SECRET")] ?? "";
    if (!clientId || !clientSecret) throw new ConfigError(pick("CLIENT_ID"), `a client id and secret (or a client certificate, ${pick("CERT")}) are required with ${pick("URL")}`);
    auth = { kind: "oauth2", tokenUrl: url(env, pick("TOKEN_URL"), ["https:", "http:"]) ?? `${base}/oauth/token`, clientId, clientSecret, scope: text(env, pick("SCOPE"), "") || null };
  }
  let fields: Record<string, string> = {};
  const rawFields = text(env, pick("FIELDS"), "");
  if (rawFields) {
    try {
      fields = JSON.parse(rawFields) as Record<string, string>;
    } catch {
      throw new ConfigError(pick("FIELDS"), "is not JSON");
    }
    if (typeof fields !== "object" || fields === null || Object.values(fields).some((v) => typeof v !== "string")) {
      throw new ConfigError(pick("FIELDS"), "must be an object of field names to the registry's field paths");
    }
  }
  return {
    baseUrl: base,
    auth,
    timeoutMs: integer(env, pick("TIMEOUT_MS"), 5000, 50, 120_000),
    retries: integer(env, pick("RETRIES"), 2, 0, 5),
    perMinute: integer(env, pick("PER_MINUTE"), 600, 1, 1_000_000),
    fields,
  };
}

function registries(env: Env, demo: boolean): RegistriesConfig {
  retired(env, "MOTCUA_DATA_REQUEST_HOURS", "the hours of the repealed Decree 13/2023; set MOTCUA_DATA_REQUEST_REPLY_WORKING_DAYS and MOTCUA_DATA_REQUEST_DAYS_SEE, _CORRECT, _DELETE");
  const connectors: RegistriesConfig["connectors"] = {};
  for (const [key, name] of Object.entries(REGISTRY_NAMES) as Array<[keyof typeof REGISTRY_NAMES, string]>) {
    const connector = registryConnector(env, name);
    if (connector) connectors[key] = connector;
  }
  const configured = Object.keys(connectors).length > 0;
  return {
    connectors,
    breaker: {
      failures: integer(env, "MOTCUA_REGISTRY_BREAKER_FAILURES", 5, 1, 1000),
      resetMs: integer(env, "MOTCUA_REGISTRY_BREAKER_RESET_MS", 30_000, 10, 3_600_000),
    },
    simulate: bool(env, "MOTCUA_REGISTRY_SIM", demo && !configured),
    rights: {
      officerPerMinute: integer(env, "MOTCUA_REGISTRY_OFFICER_PER_MINUTE", 30, 1, 10_000_000),
      clientPerMinute: integer(env, "MOTCUA_REGISTRY_CLIENT_PER_MINUTE", 120, 1, 10_000_000),
      anomalyDistinct: integer(env, "MOTCUA_REGISTRY_ANOMALY_DISTINCT", 20, 1, 100_000),
      requestReplyWorkingDays: integer(env, "MOTCUA_DATA_REQUEST_REPLY_WORKING_DAYS", 2, 1, 30),
      requestDays: {
        see: integer(env, "MOTCUA_DATA_REQUEST_DAYS_SEE", 10, 1, 90),
        correct: integer(env, "MOTCUA_DATA_REQUEST_DAYS_CORRECT", 10, 1, 90),
        delete: integer(env, "MOTCUA_DATA_REQUEST_DAYS_DELETE", 20, 1, 90),
      },
      breachNotifyHours: integer(env, "MOTCUA_DATA_BREACH_NOTIFY_HOURS", 72, 1, 24 * 30),
    },
    covertPurposes: covertPurposes(env),
  };
}

function covertPurposes(env: Env): Record<string, number> {
  const name = "MOTCUA_REGISTRY_COVERT_PURPOSES";
  const parsed = jsonObject(env, name, "an object of purpose keys to the days before each is disclosed (1–3650)");
  const ok = (v: unknown) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 3650;
  if (!Object.values(parsed).every(ok)) {
    throw new ConfigError(name, "must be an object of purpose keys to the days before each is disclosed (1–3650)");
  }
  return parsed as Record<string, number>;
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** Parses and validates the environment; throws `ConfigError` naming the first bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, "PORT", 3000, 0, 65535);
  const host = text(env, "HOST", "localhost");
  const databaseUrl = url(env, "DATABASE_URL", ["postgres:", "postgresql:"]);
  const logLevel = text(env, "LOG_LEVEL", "info");
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError("LOG_LEVEL", `must be one of ${LOG_LEVELS.join(", ")}, got "${logLevel}"`);
  }
  const publicUrl = url(env, "MOTCUA_PUBLIC_URL", ["http:", "https:"]) ?? `http://localhost:${port}`;
  // The node serves its pages, the sign-in's callback and the provider at the root of its origin: a URL with a
  // path, a query or credentials names an address it cannot answer on, and sign-in would fail at the callback.
  const publicParts = new URL(publicUrl);
  if (publicParts.pathname.replace(/\/+$/, "") !== "" || publicParts.search || publicParts.hash || publicParts.username || publicParts.password) {
    throw new ConfigError(
      "MOTCUA_PUBLIC_URL",
      `must be the address browsers open, scheme, host and port only (e.g. ${publicParts.origin}), got "${publicUrl}": motcua serves at the root of its host; a proxy that publishes it under a path must strip that path and set this to the origin`,
    );
  }
  const demo = bool(env, "MOTCUA_DEMO", databaseUrl === null);
  return {
    port,
    host,
    publicUrl: publicUrl.replace(/\/+$/, ""),
    redirectToPublicUrl: bool(env, "MOTCUA_REDIRECT_TO_PUBLIC_URL", true),
    dataDir: path.resolve(text(env, "MOTCUA_DATA_DIR", "./.motcua")),
    databaseUrl,
    databaseListenUrl: databaseUrl ? (url(env, "DATABASE_LISTEN_URL", ["postgres:", "postgresql:"]) ?? databaseUrl) : null,
    databasePoolMax: integer(env, "DATABASE_POOL_MAX", 10, 1, 1000),
    databaseFaults: {
      connectTimeoutMs: integer(env, "DATABASE_CONNECT_TIMEOUT_MS", 5000, 100, 600_000),
      statementTimeoutMs: integer(env, "DATABASE_STATEMENT_TIMEOUT_MS", 30_000, 0, 86_400_000),
      heartbeatMs: integer(env, "DATABASE_HEARTBEAT_MS", 1000, 0, 600_000),
    },
    demo,
    logLevel: logLevel as Config["logLevel"],
    logFormat: oneOf(env, "LOG_FORMAT", ["auto", "json", "pretty"] as const, "auto"),
    noColour: (env.NO_COLOR ?? "") !== "",
    maxUploadBytes: integer(env, "MOTCUA_MAX_UPLOAD_BYTES", 20 * 1024 * 1024, 1024, 2 ** 40),
    searchCacheSeconds: integer(env, "MOTCUA_SEARCH_CACHE_SECONDS", 60, 0, 3600),
    lazySchemas: bool(env, "MOTCUA_LAZY_SCHEMAS", false),
    lookupsPerMinute: integer(env, "MOTCUA_LOOKUP_PER_MINUTE", 30, 1, 10_000_000),
    trustedProxies: addressList(env, "MOTCUA_TRUSTED_PROXIES"),
    workerConcurrency: integer(env, "MOTCUA_WORKER_CONCURRENCY", 4, 1, 256),
    jobLeaseSeconds: integer(env, "MOTCUA_JOB_LEASE_SECONDS", 300, 1, 86400),
    workerPollMs: integer(env, "MOTCUA_WORKER_POLL_MS", 1000, 10, 600000),
    shutdownTimeoutMs: integer(env, "MOTCUA_SHUTDOWN_TIMEOUT_MS", 10000, 0, 600000),
    auditKey: secret(env, "MOTCUA_AUDIT_KEY", 32),
    secret: secret(env, "MOTCUA_SECRET", 32),
    smtpUrl: url(env, "MOTCUA_SMTP_URL", ["smtp:", "smtps:"]),
    mailFrom: mailFrom(env),
    nationalSync: nationalSync(env),
    federation: federation(env),
    registries: registries(env, demo),
    exchange: exchange(env),
  };
}

function exchange(env: Env): Config["exchange"] {
  const hubUrl = url(env, "MOTCUA_EXCHANGE_HUB_URL", ["https:", "http:"]);
  const hubCode = text(env, "MOTCUA_EXCHANGE_HUB", "") || null;
  if (hubCode !== null && !/^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[0-9A-Z]{3}$/.test(hubCode)) {
    throw new ConfigError("MOTCUA_EXCHANGE_HUB", `must be the hub's agency code (QCVN 102:2016, e.g. 000.00.00.G22), got "${hubCode}"`);
  }
  return {
    hubUrl: hubUrl ? hubUrl.replace(/\/+$/, "") : null,
    hubCode,
    timeoutMs: integer(env, "MOTCUA_EXCHANGE_TIMEOUT_MS", 30_000, 100, 600_000),
    maxAttempts: integer(env, "MOTCUA_EXCHANGE_MAX_ATTEMPTS", 12, 1, 1000),
    retryBaseMs: integer(env, "MOTCUA_EXCHANGE_RETRY_BASE_MS", 30_000, 0, 86_400_000),
    retryMaxMs: integer(env, "MOTCUA_EXCHANGE_RETRY_MAX_MS", 4 * 3_600_000, 0, 7 * 86_400_000),
    batch: integer(env, "MOTCUA_EXCHANGE_BATCH", 32, 1, 64),
  };
}

/** Where a node keeps its things under the data directory. */
export function dataPaths(config: Pick<Config, "dataDir">) {
  return {
    /** The embedded database (PGlite). */
    pgdata: path.join(config.dataDir, "pgdata"),
    lock: path.join(config.dataDir, "motcua.lock"),
    /** The running server's control socket: the CLI runs commands through it while the server holds PGlite. */
    control: path.join(config.dataDir, "motcua.sock"),
    /** The file store on local disk (content-addressed blobs). */
    files: path.join(config.dataDir, "files"),
  };
}

/** The environment a child process (pg_dump, pg_restore) runs in: this process's, with `extra` set. */
export function childEnv(extra: Record<string, string>): Record<string, string | undefined> {
  return { ...process.env, ...extra };
}
