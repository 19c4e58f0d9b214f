// What `motcua start` says to the person who ran it before the first log line (issue 15, item 7): the address to
// open, the demo accounts' password when the demo data is on (README's, never a log line's), where the data lives.
// It goes to the terminal when there is one; otherwise to stderr, so that stdout stays JSON lines for a collector.
import { type Config, dataPaths } from "./platform/config/index.ts";

export interface BannerFacts {
  /** The demo accounts' password and a few of their usernames, when the demo data is loaded. */
  demo: { password: string; citizen: string | undefined; officer: string | undefined } | null;
  web: boolean;
}

/** Where the data lives, said without a password: the embedded database's folder, or the PostgreSQL server and database. */
export function dataLocation(config: Pick<Config, "dataDir" | "databaseUrl">): string {
  if (!config.databaseUrl) return `${config.dataDir} (embedded database in ${dataPaths(config).pgdata}, files in ${dataPaths(config).files})`;
  const url = new URL(config.databaseUrl);
  return `PostgreSQL ${url.hostname}${url.port ? `:${url.port}` : ""}${url.pathname} (files in ${dataPaths(config).files})`;
}

/** The lines printed above the logs. */
export function startBanner(config: Pick<Config, "publicUrl" | "dataDir" | "databaseUrl">, facts: BannerFacts): string {
  const lines = ["", "  motcua — Nền tảng Chính phủ điện tử", ""];
  if (facts.web) {
    lines.push(`  Mở / open:       ${config.publicUrl}  (cán bộ / officers: ${config.publicUrl}/office)`);
  }
  if (facts.demo) {
    const who = [facts.demo.citizen && `${facts.demo.citizen} (công dân / citizen)`, facts.demo.officer && `${facts.demo.officer} (cán bộ / officer)`].filter(Boolean).join(", ");
    lines.push(`  Tài khoản demo:  mật khẩu / password ${facts.demo.password}${who ? `, e.g. ${who}` : ""}; all accounts in README.md`);
  }
  lines.push(`  Dữ liệu / data:  ${dataLocation(config)}`);
  lines.push("  Ctrl-C to stop. Logs follow.", "");
  return `${lines.join("\n")}\n`;
}
