// Official documents from one node to another (issue 16, item 9): two motcua servers on 127.0.0.1, each with its
// own database and a job worker (as `motcua start` runs), node A hosting the sending agency and node B the
// recipients, spread over `--recipients` agencies of B (the outbox delivers in order per sender–recipient pair: the
// pairs run side by side).
//
// The headline figure is the path the issue names — build, sign, deliver, verify, store, answer 01 — and nothing
// before it: with A's job worker held, `--documents` documents are composed on A through the exchange service
// (numbered in A's register, the sender's copy, one outbox message and job each; bench route
// `/bench/exchange/compose`), then the worker is released: documents ÷ the time from the release until A has seen
// every 01. A's outbox job builds the edXML, signs it and POSTs it to B's inbox; B verifies, stores and numbers it
// and answers its signed 01; A verifies the 01 and puts it on the timeline. Each node's CPU time per document is
// taken over the same window (a figure the other load on a shared machine moves less).
//
// Beside it, the end-to-end figure as a clerk drives it: wrk posts documents to A's API (`POST
// /api/exchange/messages`: JSON with the base64 file, the file store, the register's number, the audit entry) for
// `--duration` seconds while the worker delivers; documents sent ÷ the time from the first post until A has seen
// every 01, each document's time from its sending to its 01 (p50/p99), and the API's own acceptance rate. The API
// serialises on the sender's register counter, so this figure is bounded by one agency's composing rate.
//
// Twice per attachment size: signed (the module's wire), and the same path without signing (the codec, HTTP, inbox,
// storing and 01 unchanged; bench/lib/exchange-setup.ts) on a fresh pair of servers: the ratio is signed ÷ unsigned.
// "No attachment" carries a 96-byte PDF (the API wants a file); the other a 200 KB one (the same bytes in every
// document: the file store keeps one copy of them, as it would of a circular sent a thousand times).
// Target on the 2-core machine: ≥ 300 signed documents/s without attachment (the headline figure).
//
// `npm run bench:exchange -- --db=postgres --duration=5 --connections=8 --recipients=8 --documents=600 --rounds=1`
// (`--only=signed|unsigned`, `--size=small|big`, `--skip-api` keep a profiling run short)
import { createSign, generateKeyPairSync, randomBytes } from "node:crypto";
import os from "node:os";
import { type DbKind, measureWrk, parseArgs, type Server, startServer, wrkBinary } from "./lib/harness.ts";

const TARGET = 300;
const A_ROOT = "000.00.00.Q01";
const B_ROOT = "000.00.00.Q02";
const SMALL = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
const load1 = () => os.loadavg()[0]!.toFixed(2);

/**
 * The machine's speed where a signed document's cost begins: one RSA-2048 signature (SHA-256) in this process, the
 * median of 5 runs of 100, ms. Printed at the start and the end of a run, beside the figures: the shared 2-core
 * machine has measured 0.21 ms one day and 0.69–0.95 ms another, and a figure means little without it.
 */
function rsaSignMs(): number {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < 100; i++) createSign("RSA-SHA256").update(`signed info ${r} ${i}`).sign(privateKey);
    runs.push(Number(process.hrtime.bigint() - t) / 1e6 / 100);
  }
  return runs.sort((x, y) => x - y)[2]!;
}
const machine = () => `RSA-2048 signature ${rsaSignMs().toFixed(3)} ms, load ${load1()}`;

interface Progress {
  last: number;
  sent: number;
  delivered: number;
  seen01: number;
  undelivered: number;
  cpuMs: number;
  p50: number | null;
  p99: number | null;
}

interface Setup {
  root: string;
  units: Array<{ code: string; certificatePem: string | null }>;
  token: string | null;
  caPem: string;
}

interface Result {
  /** The headline: documents composed beforehand, delivered from the worker's release. */
  documents: number;
  seconds: number;
  rate: number;
  /** CPU time of each node's process per document (ms), from the release to the last 01. */
  cpuA: number;
  cpuB: number;
  /** Composing them through the service, documents/s (before the release: not in the headline). */
  composeRate: number;
  /** End to end through the API (null with `--skip-api`). */
  api: null | {
    rps: number;
    p50: number;
    p99: number;
    documents: number;
    seconds: number;
    rate: number;
    p50to01: number;
    p99to01: number;
    cpuA: number;
    cpuB: number;
  };
}

async function call<T>(server: Server, method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}${path}`, { method, ...(body ? { headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {}) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function benchExchange(argv: string[]): Promise<void> {
  const opts = parseArgs(argv);
  const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  const dbs: DbKind[] = argv.some((a) => a.startsWith("--db=")) ? opts.dbs : ["postgres"];
  const duration = Number(get("duration") ?? 5);
  const connections = Number(get("connections") ?? 8);
  const recipients = Number(get("recipients") ?? 8);
  const rounds = Number(get("rounds") ?? 1);
  const documents = Number(get("documents") ?? 600);
  const skipApi = argv.includes("--skip-api");
  const cpuOf = async (server: Server) => (await call<{ cpuMs: number }>(server, "GET", "/bench/exchange/cpu")).cpuMs;
  if (!argv.includes("--skip-api") && !wrkBinary()) throw new Error("bench/exchange.ts needs wrk (apt-get install -y wrk)");
  // A PDF by its magic bytes (the file store checks the type), 200 KB in all.
  const big = Buffer.concat([Buffer.from("%PDF-1.4\n"), randomBytes(200 * 1024 - 16), Buffer.from("\n%%EOF\n")]);
  // `--only=signed|unsigned` and `--size=small|big` keep a profiling run short.
  const only = get("only");
  const size = get("size");
  const sizes = [
    { name: "no attachment", file: SMALL, key: "small" },
    { name: "200 KB attachment", file: big, key: "big" },
  ].filter((s) => !size || s.key === size);
  console.log(`machine at the start: ${machine()}`);
  for (const db of dbs) {
    console.log(
      `exchange on ${db}: A → B over loopback, ${recipients} recipient agencies; ${documents} documents composed then released; ${skipApi ? "no API figure" : `API end to end: wrk ${connections} connections × ${duration}s`} (load ${load1()})`,
    );
    const results: Record<string, Record<"signed" | "unsigned", Result[]>> = {};
    for (const s of sizes) results[s.name] = { signed: [], unsigned: [] };
    for (let r = 0; r < rounds; r++) {
      for (const signed of [true, false].filter((x) => !only || only === (x ? "signed" : "unsigned"))) {
        const pair = await startPair(db, opts.pgUrl, signed, recipients);
        try {
          for (const s of sizes) {
            const res = await one(pair, s.file, signed);
            results[s.name]![signed ? "signed" : "unsigned"].push(res);
            print(`${signed ? "signed" : "unsigned"}, ${s.name}`, res);
          }
        } finally {
          await pair.stop();
        }
      }
    }
    console.log(`exchange on ${db}: medians${rounds > 1 ? ` of ${rounds} rounds` : ""}`);
    for (const s of only ? [] : sizes) {
      // Each figure's own median over the rounds (not one round's figures).
      const signed = median(results[s.name]!.signed.map((r) => r.rate));
      const unsigned = median(results[s.name]!.unsigned.map((r) => r.rate));
      const target = s.file === SMALL ? `  target ≥ ${TARGET}/s: ${signed >= TARGET ? "met" : "NOT met"}` : "";
      console.log(`  ${s.name.padEnd(18)} released: signed ${signed.toFixed(0).padStart(5)} docs/s  unsigned ${unsigned.toFixed(0).padStart(5)} docs/s  ratio=${(signed / unsigned).toFixed(3)} (signed ÷ unsigned)${target}`);
      if (!skipApi) {
        const apiSigned = median(results[s.name]!.signed.map((r) => r.api!.rate));
        const apiUnsigned = median(results[s.name]!.unsigned.map((r) => r.api!.rate));
        console.log(`  ${"".padEnd(18)} API end to end: signed ${apiSigned.toFixed(0).padStart(5)} docs/s  unsigned ${apiUnsigned.toFixed(0).padStart(5)} docs/s  ratio=${(apiSigned / apiUnsigned).toFixed(3)}`);
      }
    }
  }
  console.log(`machine at the end: ${machine()}`);

  function print(name: string, r: Result): void {
    console.log(
      `  ${name.padEnd(30)} released ${r.rate.toFixed(0).padStart(5)} docs/s (${r.documents} composed beforehand at ${r.composeRate.toFixed(0)}/s, delivered with their 01 in ${r.seconds.toFixed(2)} s)` +
        `  CPU per document: A ${r.cpuA.toFixed(1)}ms B ${r.cpuB.toFixed(1)}ms  (load ${load1()})`,
    );
    if (r.api) {
      const a = r.api;
      console.log(
        `  ${"".padEnd(30)} API end to end ${a.rate.toFixed(0).padStart(5)} docs/s (${a.documents} in ${a.seconds.toFixed(1)} s; sending → 01 p50=${a.p50to01.toFixed(0)}ms p99=${a.p99to01.toFixed(0)}ms)` +
          `  CPU per document: A ${a.cpuA.toFixed(1)}ms B ${a.cpuB.toFixed(1)}ms  API accepts ${a.rps.toFixed(0)}/s p50=${a.p50.toFixed(1)}ms p99=${a.p99.toFixed(1)}ms`,
      );
    }
  }

  async function startPair(db: DbKind, pgUrl: string, signed: boolean, n: number) {
    const env: Record<string, string> = {
      MOTCUA_BENCH_WORKER: "1",
      MOTCUA_WORKER_POLL_MS: get("poll-ms") ?? "100",
      MOTCUA_WORKER_CONCURRENCY: get("concurrency") ?? "16",
      MOTCUA_EXCHANGE_RETRY_BASE_MS: "100",
      MOTCUA_EXCHANGE_RETRY_MAX_MS: "1000",
      MOTCUA_EXCHANGE_MAX_ATTEMPTS: "50",
      MOTCUA_EXCHANGE_TIMEOUT_MS: "10000",
      ...(signed ? {} : { MOTCUA_BENCH_EXCHANGE_UNSIGNED: "1" }),
    };
    const b = await startServer("motcua", db, pgUrl, env);
    const a = await startServer("motcua", db, pgUrl, env).catch(async (err: unknown) => {
      await b.stop();
      throw err;
    });
    const stop = async () => {
      await a.stop();
      await b.stop();
    };
    try {
      const sb = await call<Setup>(b, "POST", "/bench/exchange/setup", { root: B_ROOT, agencies: n, signed, clerk: false });
      const sa = await call<Setup>(a, "POST", "/bench/exchange/setup", { root: A_ROOT, agencies: 1, signed, clerk: true });
      const trust = (s: Setup) => s.units.flatMap((u) => (u.certificatePem ? [{ code: u.code, certificatePem: u.certificatePem }] : []));
      await call(a, "POST", "/bench/exchange/connect", { root: B_ROOT, url: b.url, certificatePem: sb.units[0]!.certificatePem ?? sb.caPem, trust: trust(sb) });
      await call(b, "POST", "/bench/exchange/connect", { root: A_ROOT, url: a.url, certificatePem: sa.units[0]!.certificatePem ?? sa.caPem, trust: trust(sa) });
      return { a, b, token: sa.token!, to: sb.units.map((u) => u.code), stop };
    } catch (err) {
      await stop();
      throw err;
    }
  }

  /** Waits until every document sent after `after` is delivered with its 01 seen on A; the time it was seen. */
  async function drained(a: Server, after: number, limitMs: number): Promise<{ at: number; p: Progress }> {
    const until = Date.now() + limitMs;
    for (;;) {
      const p = await call<Progress>(a, "GET", `/bench/exchange/progress?after=${after}`);
      if (p.undelivered > 0) throw new Error(`${p.undelivered} documents undelivered: ${JSON.stringify(p)}`);
      if (p.delivered === p.sent && p.seen01 === p.sent) return { at: Date.now(), p };
      if (Date.now() > until) throw new Error(`not drained after ${limitMs} ms: ${JSON.stringify(p)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function one(pair: Awaited<ReturnType<typeof startPair>>, file: Buffer, signed: boolean): Promise<Result> {
    const compose = (n: number) => call<{ composed: number; ms: number }>(pair.a, "POST", "/bench/exchange/compose", { n, to: pair.to, parallel: connections, fileBase64: file.toString("base64") });
    // Warm-up: a round of the headline's kind, delivered to the end (JIT, pools, the first keys opened).
    const start = await call<Progress>(pair.a, "GET", "/bench/exchange/progress?after=0");
    await compose(Math.min(documents, 200));
    await drained(pair.a, start.last, 120_000);

    // The headline: composed with A's worker held, then released.
    const before = await call<Progress>(pair.a, "GET", "/bench/exchange/progress?after=0");
    await call(pair.a, "POST", "/bench/exchange/hold");
    const composed = await compose(documents);
    const [cpuA0, cpuB0] = [await cpuOf(pair.a), await cpuOf(pair.b)];
    if (process.env.BENCH_SQL_COUNT === "1") for (const node of [pair.a, pair.b]) await call(node, "GET", "/bench/sql-count");
    const t0 = Date.now();
    await call(pair.a, "POST", "/bench/exchange/release");
    const done = await drained(pair.a, before.last, 300_000);
    const seconds = (done.at - t0) / 1000;
    const [cpuA1, cpuB1] = [done.p.cpuMs, await cpuOf(pair.b)];
    if (process.env.BENCH_SQL_COUNT === "1") {
      // Messages to PostgreSQL per document on each node over the headline's window (BENCH_SQL_COUNT=1).
      for (const [name, node] of [["A", pair.a], ["B", pair.b]] as const) {
        const counts = await call<Record<string, number>>(node, "GET", "/bench/sql-count");
        const total = Object.values(counts).reduce((x, y) => x + y, 0);
        console.log(`  SQL messages on ${name}: ${(total / documents).toFixed(2)} per document`);
        for (const [text, n] of Object.entries(counts)) if (n >= documents / 20) console.log(`    ${(n / documents).toFixed(2)}  ${text}`);
      }
    }
    if (done.p.sent !== documents) throw new Error(`${done.p.sent} documents sent, ${documents} composed`);
    const result: Result = {
      documents,
      seconds,
      rate: documents / seconds,
      cpuA: (cpuA1 - cpuA0) / documents,
      cpuB: (cpuB1 - cpuB0) / documents,
      composeRate: documents / (composed.ms / 1000),
      api: null,
    };
    if (skipApi) return result;

    // End to end through the API, as today's clerks would drive it: composing and delivering at once.
    const body = JSON.stringify({
      to: ["__PICK__"],
      subject: "Về việc thử tải trục liên thông văn bản __UUID__",
      notation: "BENCH-VP",
      signer: { fullName: "Nguyễn Văn Ký", position: "Giám đốc" },
      files: [{ name: "cong-van.pdf", contentBase64: file.toString("base64") }],
    });
    const drive = (seconds: number) =>
      measureWrk({
        url: `${pair.a.url}/api/exchange/messages`,
        method: "POST",
        headers: { authorization: `Bearer ${pair.token}`, "content-type": "application/json" },
        body,
        picks: pair.to,
        connections,
        duration: seconds,
        warmup: 0,
      });
    // One by hand first: the API takes it (201), or the run stops with its answer.
    const res = await fetch(`${pair.a.url}/api/exchange/messages`, { method: "POST", headers: { authorization: `Bearer ${pair.token}`, "content-type": "application/json" }, body: body.replace("__PICK__", pair.to[0]!).replace("__UUID__", "0") });
    if (res.status !== 201) throw new Error(`the API refused a document: ${res.status} ${await res.text()}`);
    const apiBefore = await call<Progress>(pair.a, "GET", `/bench/exchange/progress?after=0`);
    await drained(pair.a, apiBefore.last - 1, 120_000);
    const apiCpuB0 = await cpuOf(pair.b);
    const apiT0 = Date.now();
    const fig = await drive(duration);
    if (fig.non2xx || fig.errors) throw new Error(`the API refused documents (${signed ? "signed" : "unsigned"}): ${fig.non2xx} not 2xx, ${fig.errors} errors`);
    const apiDone = await drained(pair.a, apiBefore.last, 300_000);
    const apiSeconds = (apiDone.at - apiT0) / 1000;
    const apiCpuB1 = await cpuOf(pair.b);
    result.api = {
      rps: fig.rps,
      p50: fig.p50,
      p99: fig.p99,
      documents: apiDone.p.sent,
      seconds: apiSeconds,
      rate: apiDone.p.sent / apiSeconds,
      p50to01: apiDone.p.p50 ?? 0,
      p99to01: apiDone.p.p99 ?? 0,
      cpuA: (apiDone.p.cpuMs - apiBefore.cpuMs) / apiDone.p.sent,
      cpuB: (apiCpuB1 - apiCpuB0) / apiDone.p.sent,
    };
    return result;
  }
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)]!;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchExchange(process.argv.slice(2));
