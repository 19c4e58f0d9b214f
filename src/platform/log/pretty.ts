// Log lines for a person at a terminal (`npm start`): one short line per entry, time, level, message and the fields
// that matter, instead of JSON. The lines are the logger's own, already scrubbed (index.ts): this only re-lays them
// out, so what a JSON line would not carry, this does not either. Anywhere else (a file, a pipe, a log collector)
// the JSON lines stay as they are.
import type { DestinationStream } from "pino";

const LEVELS: Record<number, { name: string; colour: string }> = {
  10: { name: "TRACE", colour: "90" },
  20: { name: "DEBUG", colour: "90" },
  30: { name: "INFO ", colour: "32" },
  40: { name: "WARN ", colour: "33" },
  50: { name: "ERROR", colour: "31" },
  60: { name: "FATAL", colour: "35" },
};

/** What every line carries and the pretty line says otherwise (or not at all). */
const SKIP = new Set(["level", "time", "msg", "service", "pid", "hostname", "reqId"]);

function value(v: unknown): string {
  if (typeof v === "string") return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  return JSON.stringify(v);
}

/** One JSON log line as a terminal line; a line that is not JSON is returned as it is. */
export function prettyLine(line: string, opts: { colour: boolean }): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith("\n") ? line : `${line}\n`;
  }
  const paint = (code: string, text: string) => (opts.colour ? `\x1b[${code}m${text}\x1b[0m` : text);
  const level = LEVELS[Number(entry.level)] ?? { name: String(entry.level).padEnd(5), colour: "0" };
  const time = typeof entry.time === "string" ? entry.time.slice(11, 19) : "";
  const err = entry.err as { type?: string; message?: string; stack?: string } | undefined;
  const fields: string[] = [];
  for (const [k, v] of Object.entries(entry)) {
    if (SKIP.has(k) || k === "err" || v === undefined) continue;
    if (k === "req" && v && typeof v === "object") {
      const r = v as { method?: string; path?: string };
      fields.push(`${r.method ?? ""} ${r.path ?? ""}`.trim());
    } else if (k === "res" && v && typeof v === "object") fields.push(`→ ${String((v as { statusCode?: unknown }).statusCode)}`);
    else if (k === "responseTime" && typeof v === "number") fields.push(`${Math.round(v)} ms`);
    else fields.push(`${k}=${value(v)}`);
  }
  const head = `${paint("90", time)} ${paint(level.colour, level.name)} ${String(entry.msg ?? "")}`;
  const rest = fields.length ? ` ${paint("90", fields.join(" "))}` : "";
  const stack = err?.stack ? `\n${paint("90", err.stack.replace(/^/gm, "    "))}` : "";
  return `${head}${rest}${stack}\n`;
}

/** A pino destination writing pretty lines to `out` (a terminal). */
export function prettyDestination(out: NodeJS.WritableStream, opts: { colour: boolean }): DestinationStream {
  return { write: (line: string) => void out.write(prettyLine(line, opts)) };
}
