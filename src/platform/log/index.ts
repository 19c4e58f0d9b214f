import pino, { type Logger, type LoggerOptions } from "pino";
import { scrubError, scrubFields, scrubLine, scrubText } from "./scrub.ts";

export { scrubLine, scrubText } from "./scrub.ts";
export { prettyDestination } from "./pretty.ts";

/**
 * Log options shared by the web process, the worker and the CLI. Logs are JSON lines; they never
 * carry request bodies (Fastify does not log them), query strings (they can hold lookup keys or
 * identity numbers), query parameters, tokens, cookies, passwords or their hashes.
 *
 * One rule covers every log call, of any logger made here and of its children (Fastify's per request
 * included), in three steps (`scrub.ts`):
 * - the message and its format arguments lose a failed query's parameters (Drizzle puts them in its message);
 * - the fields: an error at any depth keeps its type, message, stack, code and cause only (never a query's
 *   `params` nor the driver's `detail`, which quotes the row), and a field named like a secret or a personal
 *   datum (password, token, cccd, phone, email, fullName, params, body…) is "[redacted]" at any depth;
 * - the finished line: what still looks like a CCCD, a phone number or an argon2 hash is masked.
 */
export function logOptions(level: string): LoggerOptions {
  return {
    level,
    base: { service: "motcua" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ["req.headers.authorization", "req.headers.cookie", 'res.headers["set-cookie"]'],
      censor: "[redacted]",
    },
    formatters: { log: scrubFields },
    hooks: {
      logMethod(args, method) {
        const [first, ...rest] = args as unknown[];
        // `log.error(err)` and `log.error({ err })` take the error's message as theirs: scrubbed here.
        if (first instanceof Error && typeof rest[0] !== "string") {
          return method.apply(this, [{ err: first }, scrubText(first.message)] as unknown as Parameters<typeof method>);
        }
        const err = first && typeof first === "object" ? (first as { err?: unknown }).err : undefined;
        if (err instanceof Error && typeof rest[0] !== "string") {
          return method.apply(this, [first, scrubText(err.message)] as unknown as Parameters<typeof method>);
        }
        const scrubbed = [first, ...rest].map((a) => (typeof a === "string" ? scrubText(a) : a));
        return method.apply(this, scrubbed as unknown as Parameters<typeof method>);
      },
      streamWrite: scrubLine,
    },
    serializers: {
      req: (req: { id?: string; method?: string; url?: string; routeOptions?: { url?: string } }) => ({
        id: req.id,
        method: req.method,
        // The path only: the query string may carry personal data or secrets.
        path: typeof req.url === "string" ? req.url.split("?")[0] : undefined,
        route: req.routeOptions?.url,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: (err: unknown) => (err instanceof Error ? scrubError(err) : err),
    },
  };
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return destination ? pino(logOptions(level), destination) : pino(logOptions(level));
}

export type { Logger };
