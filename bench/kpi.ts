// The statistics at a province's scale (issue 17, item 7): the dossier benchmark's 1,000,000 dossiers over two
// years (lib/dossier-dataset.ts) on PostgreSQL, their rollups built as the product builds them (one fact per dossier
// by the listener's `nextFact`, then `kpi.rebuild` — the `motcua kpi rebuild` command — and the `kpi.fold` job;
// the time printed), then at 50 connections (wrk):
//   (a) the province's summary for a quarter (`GET /api/kpi/summary?province=&from=&to=`) and its Decision 766
//       index (`GET /api/kpi/index766?province=&period=`), by the province's supervisor: p50/p95/p99 and
//       requests/s against /healthz on the same server. Target: p95 ≤ 200 ms.
//   (b) the rollups' upkeep: the dossier benchmark's online submissions (`POST /api/dossiers`, submit: true) on
//       the app with the kpi module (each filing appends its fact and deltas) and on the same app composed without
//       it (BENCH_WITHOUT_MODULES=kpi: nothing listens), two servers on the same database, driven in turn, round
//       after round. Target: with / without ≥ 0.85 (the upkeep costs at most 15 %).
//
// `--dossiers=N` changes the dataset's size, `--rounds=3` (default) the alternating rounds of (b), `--keep-db=NAME`
// loads the dataset and builds its rollups into that database once and uses them again on the next run (with the
// submissions of earlier runs), `--only=queries` or `--only=upkeep` measures one part. PostgreSQL only.
import http from "node:http";
import os from "node:os";
import pg from "pg";
import { type Exec, loadDossiers, SUBMIT_AGENCIES, SUBMIT_PROCEDURE_CODE } from "./lib/dossier-dataset.ts";
import { type Figure, measureWrk, medianFigure, parseArgs, report, type Server, startServer, wrkBinary } from "./lib/harness.ts";

const load1 = () => os.loadavg()[0]!.toFixed(2);
const P95_TARGET = 200;
const UPKEEP_TARGET = 0.85;

/** The last whole quarter before `now` (Vietnam time): its name and days. */
export function lastQuarter(now: Date): { name: string; from: string; to: string } {
  const local = new Date(now.getTime() + 7 * 3600_000);
  let y = local.getUTCFullYear();
  let q = Math.floor(local.getUTCMonth() / 3); // the current quarter's index, 0–3: the last whole one is q − 1
  if (q === 0) {
    y -= 1;
    q = 4;
  }
  const first = (q - 1) * 3 + 1;
  const last = new Date(Date.UTC(y, first + 2, 0)).getUTCDate();
  const mm = (m: number) => String(m).padStart(2, "0");
  return { name: `${y}-Q${q}`, from: `${y}-${mm(first)}-01`, to: `${y}-${mm(first + 2)}-${last}` };
}

export async function benchKpi(argv: string[]): Promise<void> {
  const { dbs, duration, connections, pgUrl } = parseArgs(argv);
  const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  if (!dbs.includes("postgres")) {
    console.log("kpi: PostgreSQL only (--db=postgres or both); skipped");
    return;
  }
  if (!wrkBinary()) throw new Error("kpi: wrk not found (apt-get install -y wrk): its p95 is the figure");
  const n = Number(get("dossiers") ?? 1_000_000);
  const rounds = Number(get("rounds") ?? 3);
  const realistic = Number(get("realistic") ?? 10);
  const keepDb = get("keep-db");
  const only = get("only")?.split(",");
  const wanted = (part: "queries" | "upkeep") => !only || only.includes(part);

  const withKpi = await startServer("motcua", "postgres", pgUrl, {}, keepDb);
  let withoutKpi: Server | null = null;
  const client = new pg.Client({ connectionString: withKpi.databaseUrl! });
  client.on("error", () => {});
  try {
    await client.connect();
    const exec: Exec = async (statement) => (await client.query(statement)).rows as Array<Record<string, unknown>>;
    const setup = async (s: Server) => {
      const res = await fetch(`${s.url}/bench/dossiers/setup`, { method: "POST" });
      if (!res.ok) throw new Error(`dossier setup: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { tokens: Record<string, string> }).tokens;
    };
    const tokens = await setup(withKpi);
    const supervisor = { token: tokens["giamsat.tinh"]! };

    // The dataset, as the dossier benchmark loads it.
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const held = keepDb ? Number((await exec(`SELECT count(*)::int AS n FROM dossiers`))[0]!.n) : 0;
    if (held > 0 && held < n) throw new Error(`--keep-db: ${keepDb} holds ${held} dossiers, fewer than ${n} (an interrupted load?): drop it or name another`);
    if (held >= n) console.log(`kpi: kept database ${keepDb}: ${held.toLocaleString("en")} dossiers already loaded`);
    else {
      console.log(`kpi: loading ${n.toLocaleString("en")} dossiers (load ${load1()})`);
      const loaded = await loadDossiers(exec, { n });
      console.log(`  loaded ${loaded.dossiers.toLocaleString("en")} dossiers and ${loaded.events.toLocaleString("en")} events over ${loaded.days} working days in ${s(loaded.ms.total)}`);
    }
    // Their rollups, built by the product's rebuild and fold (kept with the database).
    const rollups = Number((await exec(`SELECT count(*)::int AS n FROM kpi_rollups`))[0]!.n);
    const monthly = Number((await exec(`SELECT count(*)::int AS n FROM kpi_rollups_monthly`))[0]!.n);
    if (held >= n && rollups > 0 && monthly === 0) throw new Error(`--keep-db: ${keepDb} has daily rollups but no monthly ones (kept from before migration 0034, its seed kpi.monthly-rollups recorded): run \`motcua kpi rebuild\` on it, or drop it`);
    if (held >= n && rollups > 0) console.log(`  kept rollups: ${rollups.toLocaleString("en")} daily rows, ${monthly.toLocaleString("en")} monthly`);
    else {
      // Minutes for a million dossiers: fetch would give up waiting for the answer's headers after 5.
      const r = JSON.parse(await postWithoutTimeout(`${withKpi.url}/bench/kpi/rollups`)) as { facts: number; dossiers: number; events: number; rows: number; ms: Record<string, number> };
      console.log(
        `  rollups built in ${s(r.ms.total!)}: ${r.facts.toLocaleString("en")} facts by nextFact in ${s(r.ms.facts!)} (VACUUM ANALYZE ${s(r.ms.vacuum!)}), ` +
          `kpi rebuild of ${r.dossiers.toLocaleString("en")} dossiers / ${r.events.toLocaleString("en")} events into ${r.rows.toLocaleString("en")} rows in ${s(r.ms.rebuild!)}, fold and snapshots ${s(r.ms.fold!)} (load ${load1()})`,
      );
    }
    const size = await client.query(
      `SELECT pg_size_pretty(pg_total_relation_size('kpi_rollups')) AS r, pg_size_pretty(pg_total_relation_size('kpi_rollups_monthly')) AS m, pg_size_pretty(pg_total_relation_size('kpi_facts')) AS f, (SELECT count(*) FROM kpi_stock_snapshots) AS snaps`,
    );
    console.log(`  on disk with indexes: kpi_rollups ${size.rows[0].r}, kpi_rollups_monthly ${size.rows[0].m}, kpi_facts ${size.rows[0].f}; ${size.rows[0].snaps} stock snapshot rows`);

    const healthz = await measureWrk({ url: `${withKpi.url}/healthz`, connections, duration });
    report("healthz (baseline, wrk)", healthz);
    const vsHealthz = { name: "/healthz", fig: healthz };
    const line = (label: string, f: Figure) => {
      report(label, f, vsHealthz);
      console.log(`  p50 ${f.p50.toFixed(1)} ms, p95 ${f.p95?.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms`);
      const ok = (f.p95 ?? Infinity) <= P95_TARGET && f.non2xx === 0 && f.errors === 0;
      console.log(`  p95 ${f.p95?.toFixed(1)} ms; ${f.non2xx} not 2xx, ${f.errors} failed; target p95 ≤ ${P95_TARGET} ms — ${ok ? "met" : "NOT met"} (load ${load1()})`);
    };

    if (wanted("queries")) {
      const q = lastQuarter(new Date());
      const headers = { authorization: `Bearer ${supervisor.token}` };
      const summaryUrl = `${withKpi.url}/api/kpi/summary?province=24&from=${q.from}&to=${q.to}`;
      const indexUrl = `${withKpi.url}/api/kpi/index766?province=24&period=${q.name}`;
      for (const url of [summaryUrl, indexUrl]) {
        const res = await fetch(url, { headers });
        if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
      }
      const sample = (await (await fetch(summaryUrl, { headers })).json()) as { counts: { received: number; finishedLate: number } };
      console.log(`kpi: province 24, ${q.name} (${q.from}..${q.to}): ${sample.counts.received.toLocaleString("en")} received, ${sample.counts.finishedLate.toLocaleString("en")} finished late`);
      // The quarter so far (not closed: read from the rollups on every request, never kept in memory).
      const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
      const openUrl = `${withKpi.url}/api/kpi/summary?province=24&from=${dayAfterIso(q.to)}&to=${today}`;
      // At a realistic load (a province's supervisors and leaders opening dashboards: `--realistic=10` connections),
      // where the target is read, and at saturation (`--connections`, 50 by default).
      const loads = [...new Set([realistic, connections])];
      for (const c of loads) {
        const at = c === realistic ? `${c} connections, realistic` : `${c} connections, saturation`;
        line(`province summary, closed quarter, ${at}`, await measureWrk({ url: summaryUrl, headers, connections: c, duration }));
        line(`Decision 766 index, closed quarter, ${at}`, await measureWrk({ url: indexUrl, headers, connections: c, duration }));
        line(`province summary, quarter so far (not kept), ${at}`, await measureWrk({ url: openUrl, headers, connections: c, duration }));
      }
    }

    if (wanted("upkeep")) {
      // The same app without the kpi module, on the same database: nothing hears the filings' events.
      withoutKpi = await startServer("motcua", "postgres", pgUrl, { BENCH_WITHOUT_MODULES: "kpi" }, dbNameOf(withKpi.databaseUrl!));
      const tokensWithout = await setup(withoutKpi);
      const citizenId = String((await client.query(`SELECT id FROM users WHERE username = '001199000001'`)).rows[0].id);
      const filed = async () => Number((await client.query(`SELECT count(*) AS n FROM dossiers WHERE owner_user_id = $1`, [citizenId])).rows[0].n);
      const body = JSON.stringify({ procedureCode: SUBMIT_PROCEDURE_CODE, agencyCode: "__PICK__", formData: { hoTen: "Nguyễn Thị Mai", soCccd: "001199000001" }, submit: true, requestId: "__UUID__" });
      const submit = async (server: Server, token: string) => {
        const before = await filed();
        const fig = await measureWrk({ url: `${server.url}/api/dossiers`, connections, duration, method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body, picks: SUBMIT_AGENCIES });
        return { ...fig, statusCodes: { filed: (await filed()) - before, answered: fig.sent } };
      };
      const on: Figure[] = [];
      const off: Figure[] = [];
      for (let r = 0; r < rounds; r++) {
        // Alternating which goes first: neither always meets the table the other has just grown.
        if (r % 2 === 0) {
          on.push(await submit(withKpi, tokens["001199000001"]!));
          off.push(await submit(withoutKpi, tokensWithout["001199000001"]!));
        } else {
          off.push(await submit(withoutKpi, tokensWithout["001199000001"]!));
          on.push(await submit(withKpi, tokens["001199000001"]!));
        }
        console.log(`  round ${r + 1}: with the rollups' upkeep ${on.at(-1)!.rps.toFixed(0)}/s, without ${off.at(-1)!.rps.toFixed(0)}/s (load ${load1()})`);
      }
      const a = medianFigure(on);
      const b = medianFigure(off);
      report(`submissions without kpi (wrk${rounds > 1 ? `, median of ${rounds}` : ""})`, b);
      report(`submissions with kpi upkeep (wrk${rounds > 1 ? `, median of ${rounds}` : ""})`, a, { name: "without", fig: b });
      const ratio = a.rps / b.rps;
      const folded = Number((await client.query(`SELECT count(*) AS n FROM kpi_deltas`)).rows[0].n);
      console.log(
        `  filed ${a.statusCodes.filed} / ${b.statusCodes.filed} for ${a.statusCodes.answered} / ${b.statusCodes.answered} answered (median rounds, warm-up included); ${folded.toLocaleString("en")} deltas waiting for the fold`,
      );
      console.log(`  target: with / without ≥ ${UPKEEP_TARGET} — ${ratio >= UPKEEP_TARGET ? "met" : "NOT met"} (ratio ${ratio.toFixed(3)}; p99 ${a.p99.toFixed(1)} vs ${b.p99.toFixed(1)} ms)`);
    }
  } finally {
    await client.end().catch(() => {});
    await withoutKpi?.stop();
    await withKpi.stop();
  }
}

/** POSTs to `url` and waits for the answer however long it takes; the body of a 2xx answer. */
function postWithoutTimeout(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST" }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => (res.statusCode! < 300 ? resolve(body) : reject(new Error(`${url}: ${res.statusCode} ${body}`))));
    });
    req.on("error", reject);
    req.end();
  });
}

const dayAfterIso = (d: string): string => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The database's name in its URL: the second server uses it as a kept one (the first drops it when it stops). */
const dbNameOf = (url: string): string => new URL(url).pathname.slice(1);

if (import.meta.url === `file://${process.argv[1]}`) await benchKpi(process.argv.slice(2));
