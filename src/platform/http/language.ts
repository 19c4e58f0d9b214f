import type { FastifyRequest } from "fastify";

export type Lang = "vi" | "en";

/**
 * The language to answer in: `?lang=` first, then the `lang` cookie (set by the pages' switch),
 * then Accept-Language; Vietnamese unless English is asked for.
 */
export function preferredLanguage(request: FastifyRequest): Lang {
  const q = (request.query as Record<string, unknown> | undefined)?.lang;
  if (q === "en" || q === "vi") return q;
  return languageOfHeaders(request.headers);
}

/** The language by the `lang` cookie, then Accept-Language (for requests outside Fastify's routing). */
export function languageOfHeaders(headers: { cookie?: string | undefined; "accept-language"?: string | undefined }): Lang {
  const cookie = headers.cookie;
  if (cookie) {
    const m = /(?:^|;\s*)lang=(vi|en)(?:;|$)/.exec(cookie);
    if (m?.[1] === "en" || m?.[1] === "vi") return m[1];
  }
  const accept = headers["accept-language"];
  if (typeof accept === "string") {
    const first = accept.split(",")[0]?.trim().toLowerCase() ?? "";
    if (first.startsWith("en")) return "en";
  }
  return "vi";
}
