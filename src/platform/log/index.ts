import pino, { type Logger, type LoggerOptions } from "pino";

/**
 * Log options shared by the web process, the worker and the CLI. Logs are JSON lines; they never
 * carry request bodies (Fastify does not log them), query strings (they can hold lookup keys or
 * identity numbers), tokens, cookies or passwords.
 */
export function logOptions(level: string): LoggerOptions {
  return {
    level,
    base: { service: "motcua" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        "req.headers.authorization",
        "req.headers.cookie",
        'res.headers["set-cookie"]',
        "*.password",
        "*.token",
        "*.accessToken",
        "*.refreshToken",
        "*.secret",
      ],
      censor: "[redacted]",
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
      err: pino.stdSerializers.err,
    },
  };
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return destination ? pino(logOptions(level), destination) : pino(logOptions(level));
}

export type { Logger };
