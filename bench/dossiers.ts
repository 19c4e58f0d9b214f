// Dossiers at a province's scale (issue 5, item 14): 1,000,000 dossiers with their history already in the
// database (lib/dossier-dataset.ts), then at 50 connections:
//   (a) online submissions (`POST /api/dossiers`, submit: true), against pgbench running the same SQL
//       (bench/sql/submit.sql) on the same database in the same run — the ratio is the figure;
//   (b) public lookups (`GET /api/lookup/:code?key=`, a fixed sample of 5,000 dossiers) and officers'
//       queue pages (`GET /api/office/dossiers?queue=`), against /healthz on the same server.
// Targets on the 2-core machine (PostgreSQL): submissions ≥ 0.5 × pgbench with p99 ≤ 100 ms; lookups
// ≥ 3,000/s with p99 ≤ 20 ms. PGlite, the embedded database of a small office's deployment, gets 50,000
// dossiers (`--dossiers=` for more) and no pgbench baseline; its figures are printed for comparison.
//
// `--dossiers=N` changes the dataset's size, `--rounds=3` measures each figure three times (alternating
// the submissions and pgbench) and prints the medians. `--keep-db=NAME` loads the dataset into that database
// once and uses it again on the next run (profiling; it keeps the submissions of earlier runs too).
// `--only=submissions` (or `lookups`, `queues`, a list with commas) measures only those.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { type Exec, loadDossiers, type LoadResult, lookupSample, SUBMIT_AGENCIES, SUBMIT_PROCEDURE_CODE } from "./lib/dossier-dataset.ts";
import { type DbKind, type Figure, measure, measureWrk, medianFigure, onPath, parseArgs, report, type Server, startServer, wrkBinary } from "./lib/harness.ts";

const SAMPLE = 5_000;
/** The lookups per second the target asks for (issue 5, item 14). */
const LOOKUP_TARGET = 3_000;
type Requests = NonNullable<Parameters<typeof measure>[0]["requests"]>;
const HERE = path.dirname(fileURLToPath(import.meta.url));
const load1 = () => os.loadavg()[0]!.toFixed(2);

export async function benchDossiers(argv: string[]): Promise<void> {
  const { dbs, duration, connections, pgUrl } = parseArgs(argv);
  const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  const rounds = Number(get("rounds") ?? 1);
  const only = get("only")?.split(",");
  const keepDb = get("keep-db");
  if (keepDb !== undefined && dbs.includes("pglite")) throw new Error("--keep-db keeps a PostgreSQL database: use it with --db=postgres");
  const wanted = (part: "lookups" | "queues" | "submissions") => !only || only.includes(part);
  for (const db of dbs) {
    const n = Number(get("dossiers") ?? (db === "postgres" ? 1_000_000 : 50_000));
    // The lookup is throttled per address (30 a minute); every benchmark request comes from 127.0.0.1.
    const server = await startServer("motcua", db, pgUrl, { MOTCUA_LOOKUP_PER_MINUTE: "10000000" }, db === "postgres" ? keepDb : undefined);
    try {
      await one(db, n, server);
    } finally {
      await server.stop();
    }
  }

  async function one(db: DbKind, n: number, server: Server): Promise<void> {
    let client: pg.Client | null = null;
    try {
      await measureAll(db, n, server, (c) => (client = c));
    } finally {
      await (client as pg.Client | null)?.end().catch(() => {});
    }
  }

  async function measureAll(db: DbKind, n: number, server: Server, opened: (c: pg.Client) => void): Promise<void> {
    const setup = await fetch(`${server.url}/bench/dossiers/setup`, { method: "POST" });
    if (!setup.ok) throw new Error(`dossier setup: ${setup.status} ${await setup.text()}`);
    const { tokens } = (await setup.json()) as { tokens: Record<string, string> };

    console.log(`dossiers on ${db}: loading ${n.toLocaleString("en")} dossiers${db === "pglite" ? " (PGlite: a smaller dataset than PostgreSQL's 1,000,000)" : ""} (load ${load1()})`);
    let loaded: LoadResult;
    let kept = false;
    let sample: Array<{ code: string; key: string }>;
    let client: pg.Client | null = null;
    if (db === "postgres") {
      client = new pg.Client({ connectionString: server.databaseUrl! });
      // Dropping the database at the end ends this connection too: not an error of the benchmark.
      client.on("error", () => {});
      opened(client);
      await client.connect();
      const c = client;
      const exec: Exec = async (statement) => (await c.query(statement)).rows as Array<Record<string, unknown>>;
      const held = keepDb ? Number((await exec(`SELECT count(*)::int AS n FROM dossiers`))[0]!.n) : 0;
      if (held > 0 && held < n) throw new Error(`--keep-db: ${keepDb} holds ${held} dossiers, fewer than ${n} (an interrupted load?): drop it or name another`);
      if (held >= n) {
        kept = true;
        loaded = { dossiers: held, events: 0, days: 0, ms: { total: 0, dossiers: 0, counters: 0, vacuum: 0 } };
      } else {
        loaded = await loadDossiers(exec, { n, log: (line) => console.log(line) });
      }
      sample = await lookupSample(exec, SAMPLE);
    } else {
      const res = await fetch(`${server.url}/bench/dossiers/load?n=${n}&sample=${SAMPLE}`, { method: "POST" });
      if (!res.ok) throw new Error(`dossier load: ${res.status} ${await res.text()}`);
      ({ sample, ...loaded } = (await res.json()) as LoadResult & { sample: Array<{ code: string; key: string }> });
    }
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    if (kept) console.log(`  kept database ${keepDb}: ${loaded.dossiers.toLocaleString("en")} dossiers already loaded (with the submissions of earlier runs); ${sample.length} lookups in the mix`);
    else console.log(
      `  loaded ${loaded.dossiers.toLocaleString("en")} dossiers and ${loaded.events.toLocaleString("en")} events over ${loaded.days} working days in ${s(loaded.ms.total)}` +
        ` (rows ${s(loaded.ms.dossiers)}, counters ${s(loaded.ms.counters)}, VACUUM ANALYZE ${s(loaded.ms.vacuum)}); ${sample.length} lookups in the mix (load ${load1()})`,
    );
    if (client) {
      const size = await client.query(`SELECT pg_size_pretty(pg_total_relation_size('dossiers')) AS d, pg_size_pretty(pg_total_relation_size('dossier_events')) AS e`);
      console.log(`  on disk with indexes: dossiers ${size.rows[0].d}, dossier_events ${size.rows[0].e}`);
    }

    // wrk (C) drives every figure when it is installed, as pgbench drives the baseline: autocannon, in
    // JavaScript, took about a third of the two cores at these rates (`--client=autocannon` to use it anyway).
    const useWrk = get("client") !== "autocannon" && wrkBinary() !== null;
    const driver = useWrk ? "wrk" : "autocannon";
    const drive = (o: { url: string; headers?: Record<string, string>; paths?: string[] }) =>
      useWrk ? measureWrk({ connections, duration, ...o }) : measure({ connections, duration, ...o });
    const healthz = await drive({ url: `${server.url}/healthz` });
    report(`healthz on ${db} (baseline, ${driver})`, healthz);
    const vsHealthz = { name: "/healthz", fig: healthz };

    // (b) first: the submissions add rows to the queues being read.
    let next = 0;
    const lookupRequests = (): Requests => [
      {
        method: "GET",
        setupRequest: (req) => {
          const l = sample[next++ % sample.length]!;
          return { ...req, path: `/api/lookup/${encodeURIComponent(l.code)}?key=${l.key}` };
        },
      },
    ];
    if (wanted("lookups")) {
      // One pass through the whole sample: the steady state of a portal, not its first minute.
      await measure({ url: server.url, connections, amount: sample.length, warmup: 0, requests: lookupRequests() });
      const lookups: Figure[] = [];
      const paths = sample.map((l) => `/api/lookup/${encodeURIComponent(l.code)}?key=${l.key}`);
      const loopDelay = async () => {
        const d = (await (await fetch(`${server.url}/bench/loop-delay`, { method: "POST" })).json()) as { p50: number; p99: number; max: number };
        return `p50 ${d.p50} ms, p99 ${d.p99} ms, max ${d.max} ms`;
      };
      await loopDelay(); // from here on: the rounds below, not the load and the pass above
      for (let r = 0; r < rounds; r++) {
        lookups.push(useWrk ? await measureWrk({ url: server.url, connections, duration, warmup: 0, paths }) : await measure({ url: server.url, connections, duration, warmup: 0, requests: lookupRequests() }));
      }
      const lookup = medianFigure(lookups);
      const lookupLoop = await loopDelay();
      report(`public lookups on ${db} (${driver}${rounds > 1 ? `, median of ${rounds}` : ""})`, lookup, vsHealthz);
      console.log(`  load average ${load1()}; ${useWrk ? `${lookup.non2xx} not 2xx, ${lookup.errors} failed` : `statuses ${JSON.stringify(lookup.statusCodes)}`}; the server's event loop delay ${lookupLoop}`);
      // At saturation every one of the 50 connections always has a request waiting, so the p99 above is mostly
      // the queue's (Little's law). The same 50 connections paced at the target's 3,000/s show the latency of a
      // server carrying that load.
      let paced: Figure | null = null;
      if (useWrk) {
        const runs: Figure[] = [];
        for (let r = 0; r < rounds; r++) runs.push(await measureWrk({ url: server.url, connections, duration, warmup: 0, paths, rate: LOOKUP_TARGET }));
        paced = medianFigure(runs);
        report(`public lookups paced at ${LOOKUP_TARGET.toLocaleString("en")}/s on ${db} (wrk)`, paced);
        console.log(`  ${paced.non2xx} not 2xx, ${paced.errors} failed; load average ${load1()}; the server's event loop delay ${await loopDelay()}`);
      }
      if (db === "postgres") {
        const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
        const atRate = paced ? `; p99 ≤ 20 ms at 3,000/s — ${verdict(paced.p99 <= 20 && paced.rps >= LOOKUP_TARGET * 0.98)} (${paced.p99.toFixed(1)} ms at ${paced.rps.toFixed(0)}/s)` : "";
        console.log(
          `  target (PostgreSQL, 2 cores): ≥ 3,000 lookups/s — ${verdict(lookup.rps >= LOOKUP_TARGET)}; p99 ≤ 20 ms at saturation — ${verdict(lookup.p99 <= 20)} (${lookup.p99.toFixed(1)} ms)${atRate}`,
        );
      }
    }

    const QUEUE_PACE = 1_100;
    const queues: Array<[string, string, string]> = [
      ["new", "tiepnhan", "waiting at the centre's desk"],
      ["processing", "chuyenvien.tuphap", "at the Department of Justice"],
      ["finished", "tiepnhan", "results to hand over at the centre"],
    ];
    for (const [queue, user, what] of wanted("queues") ? queues : []) {
      const figs: Figure[] = [];
      for (let r = 0; r < rounds; r++) {
        figs.push(await drive({ url: `${server.url}/api/office/dossiers?queue=${queue}`, headers: { authorization: `Bearer ${tokens[user]}` } }));
      }
      const saturated = medianFigure(figs);
      report(`queue=${queue} (${user}) on ${db} (${driver}${rounds > 1 ? `, median of ${rounds}` : ""})`, saturated, vsHealthz);
      console.log(`  ${what}; load average ${load1()}`);
      // Issue 13's target: p99 ≤ 50 ms for a queue page. The same 50 connections paced at the rate where the code
      // before it measured 80–100 ms (about 1,100 pages/s, its saturation) show the latency at that load; at
      // saturation the p99 is mostly the wait of 50 always-queued requests (Little's law), printed above.
      if (useWrk) {
        const runs: Figure[] = [];
        for (let r = 0; r < rounds; r++) {
          runs.push(await measureWrk({ url: `${server.url}/api/office/dossiers?queue=${queue}`, headers: { authorization: `Bearer ${tokens[user]}` }, connections, duration, warmup: 0, rate: QUEUE_PACE }));
        }
        const paced = medianFigure(runs);
        report(`queue=${queue} paced at ${QUEUE_PACE.toLocaleString("en")}/s on ${db} (wrk)`, paced);
        if (db === "postgres") {
          const ok = (f: Figure) => (f.p99 <= 50 ? "met" : "NOT met");
          console.log(`  target (PostgreSQL, 2 cores): p99 ≤ 50 ms — at ${QUEUE_PACE.toLocaleString("en")}/s ${ok(paced)} (${paced.p99.toFixed(1)} ms at ${paced.rps.toFixed(0)}/s); at saturation ${ok(saturated)} (${saturated.p99.toFixed(1)} ms at ${saturated.rps.toFixed(0)}/s)`);
        }
      }
    }

    // (a) online submissions, each a new request id (a repeated one would be answered as a retry, 200).
    if (!wanted("submissions")) return;
    // Spread over the bench's centres: each filing takes its centre's daily code (at most 9,999 a day each).
    const submission = { procedureCode: SUBMIT_PROCEDURE_CODE, agencyCode: "__PICK__", formData: { hoTen: "Nguyễn Thị Mai", soCccd: "001199000001" }, submit: true };
    let picked = 0;
    const nextAgency = () => SUBMIT_AGENCIES[picked++ % SUBMIT_AGENCIES.length]!;
    const headers = { "content-type": "application/json", authorization: `Bearer ${tokens["001199000001"]}` };
    const citizenId = client ? String((await client.query(`SELECT id FROM users WHERE username = '001199000001'`)).rows[0].id) : "";
    const filed = async () => (client ? Number((await client.query(`SELECT count(*) AS n FROM dossiers WHERE owner_user_id = $1`, [citizenId])).rows[0].n) : 0);
    const submitOnce = async (): Promise<Figure> => {
      if (!useWrk) {
        return measure({
          url: server.url,
          connections,
          duration,
          requests: [{ method: "POST", path: "/api/dossiers", headers, setupRequest: (req) => ({ ...req, body: JSON.stringify({ ...submission, agencyCode: nextAgency(), requestId: randomUUID() }) }) }],
        });
      }
      const before = await filed();
      const fig = await measureWrk({ url: `${server.url}/api/dossiers`, connections, duration, method: "POST", headers, body: JSON.stringify({ ...submission, requestId: "__UUID__" }), picks: SUBMIT_AGENCIES });
      // wrk counts no statuses: the dossiers filed are counted in the database instead (warm-up included, and a
      // request still open when wrk stops may file one more).
      const created = client ? (await filed()) - before : fig.sent - fig.non2xx - fig.errors;
      return { ...fig, statusCodes: { ...fig.statusCodes, filed: created, answered: fig.sent } };
    };
    const submissions: Figure[] = [];
    const baselines: PgbenchFigure[] = [];
    for (let r = 0; r < rounds; r++) {
      submissions.push(await submitOnce());
      if (client) baselines.push(await pgbench(server.databaseUrl!, { connections, duration, citizenId }));
    }
    const sub = medianFigure(submissions);
    const label = `online submissions on ${db} (${driver}${rounds > 1 ? `, median of ${rounds}` : ""})`;
    const statuses = useWrk
      ? `dossiers filed ${sub.statusCodes.filed} for ${sub.statusCodes.answered} requests answered, ${sub.non2xx} refused, ${sub.errors} failed (warm-up included)`
      : `statuses ${JSON.stringify(sub.statusCodes)} (201 expected: ${sub.statusCodes["201"] ?? 0} of ${sub.requests})`;
    if (baselines.length) {
      const base = [...baselines].sort((a, b) => a.tps - b.tps)[Math.floor(baselines.length / 2)]!;
      console.log(
        `${`pgbench, the same SQL (${rounds > 1 ? `median of ${rounds}` : "baseline"})`.padEnd(44)} ${base.tps.toFixed(0).padStart(7)} tx/s   p50=${base.p50.toFixed(1)}ms  p99=${base.p99.toFixed(1)}ms  (-c ${connections} -j 2 -M prepared)`,
      );
      report(label, sub, { name: "pgbench", fig: { ...sub, rps: base.tps } });
      const ratio = sub.rps / base.tps;
      console.log(`  load average ${load1()}; ${statuses}`);
      console.log(`  target (PostgreSQL, 2 cores): ≥ 0.5 × pgbench and p99 ≤ 100 ms — ${ratio >= 0.5 && sub.p99 <= 100 ? "met" : "NOT met"} (ratio ${ratio.toFixed(2)}, p99 ${sub.p99} ms)`);
    } else {
      report(label, sub, vsHealthz);
      console.log(`  load average ${load1()}; ${statuses}; no pgbench on PGlite`);
    }
  }
}

interface PgbenchFigure {
  tps: number;
  p50: number;
  p99: number;
  failed: number;
}

/** The pgbench binary of the PostgreSQL client: on PATH, else the newest under /usr/lib/postgresql. */
function pgbenchBinary(): string {
  const found = onPath("pgbench");
  if (found) return found;
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (fs.existsSync(path.join(root, v, "bin", "pgbench"))) return path.join(root, v, "bin", "pgbench");
  throw new Error("pgbench not found: install the PostgreSQL client (apt-get install -y postgresql-client)");
}

/** Runs bench/sql/submit.sql with pgbench; tps from its summary, p50/p99 from its per-transaction log. */
async function pgbench(databaseUrl: string, o: { connections: number; duration: number; citizenId: string }): Promise<PgbenchFigure> {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-pgbench-"));
  try {
    const { stdout } = await promisify(execFile)(
      pgbenchBinary(),
      [
        "-n", // no VACUUM of pgbench's own tables: there are none
        "-f", path.join(HERE, "sql", "submit.sql"),
        "-c", String(o.connections),
        "-j", "2",
        "-T", String(o.duration),
        "-M", "prepared",
        "-D", `citizen=${o.citizenId}`,
        "-D", "actor=user:pgbench",
        "-D", `digest=${"0".repeat(64)}`,
        "-D", `agencies=${SUBMIT_AGENCIES.join(",")}`,
        "-l", "--log-prefix", path.join(logDir, "tx"),
        databaseUrl,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1] ?? NaN);
    if (!Number.isFinite(tps)) throw new Error(`pgbench: no tps in its output:\n${stdout}`);
    const failed = Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0);
    // Log lines: client_id transaction_no latency_us script_no epoch epoch_us.
    const latencies: number[] = [];
    for (const f of fs.readdirSync(logDir)) {
      for (const line of fs.readFileSync(path.join(logDir, f), "utf8").split("\n")) {
        const us = Number(line.split(" ")[2]);
        if (Number.isFinite(us) && line) latencies.push(us / 1000);
      }
    }
    latencies.sort((a, b) => a - b);
    const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
    return { tps, p50: at(0.5), p99: at(0.99), failed };
  } finally {
    fs.rmSync(logDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchDossiers(process.argv.slice(2));
