import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import type { FastifyReply, FastifyRequest } from "fastify";
import { acceptsGzip } from "./compression.ts";

/** A file the pages load, kept in memory: a handful of small files, read once. */
interface Asset {
  body: Buffer;
  gzipped: Buffer;
  type: string;
  /** A hash of the content: the `?v=` of the asset's URL and its ETag. */
  version: string;
}

const require = createRequire(import.meta.url);

/** Name under /assets/ → where the file is. htmx comes from its npm package: no CDN, no build step. */
const SOURCES: Record<string, { path: string; type: string }> = {
  "app.css": { path: fileURLToPath(new URL("./assets/app.css", import.meta.url)), type: "text/css; charset=utf-8" },
  "auto-submit.js": { path: fileURLToPath(new URL("./assets/auto-submit.js", import.meta.url)), type: "text/javascript; charset=utf-8" },
  "favicon.svg": { path: fileURLToPath(new URL("./assets/favicon.svg", import.meta.url)), type: "image/svg+xml" },
  "htmx.min.js": { path: require.resolve("htmx.org/dist/htmx.min.js"), type: "text/javascript; charset=utf-8" },
};

let loaded: Map<string, Asset> | undefined;

function assets(): Map<string, Asset> {
  if (!loaded) {
    loaded = new Map();
    for (const [name, src] of Object.entries(SOURCES)) {
      const body = fs.readFileSync(src.path);
      const version = createHash("sha256").update(body).digest("hex").slice(0, 12);
      loaded.set(name, { body, gzipped: gzipSync(body, { level: 9 }), type: src.type, version });
    }
  }
  return loaded;
}

export type AssetName = keyof typeof SOURCES;

/** The URL a page links an asset by: versioned by content, so it can be cached for a year. */
export function assetUrl(name: AssetName): string {
  const asset = assets().get(name);
  if (!asset) throw new Error(`unknown asset ${name}`);
  return `/assets/${name}?v=${asset.version}`;
}

// A versioned URL never changes content: cache it for good. An unversioned one may change on upgrade.
const IMMUTABLE = "public, max-age=31536000, immutable";
const SHORT = "public, max-age=300";

/**
 * Answers `GET /assets/:name`, or returns false when there is no such asset. Honours If-None-Match
 * (304) and gzip.
 */
export function sendAsset(request: FastifyRequest, reply: FastifyReply, name: string, version: unknown): FastifyReply | false {
  const asset = assets().get(name);
  if (!asset) return false;
  const etag = `"${asset.version}"`;
  void reply
    .header("cache-control", version === asset.version ? IMMUTABLE : SHORT)
    .header("etag", etag)
    .header("vary", "Accept-Encoding")
    .header("x-content-type-options", "nosniff");
  const match = request.headers["if-none-match"];
  if (typeof match === "string" && match.split(",").some((m) => m.trim() === etag)) {
    return reply.status(304).send();
  }
  const gzip = acceptsGzip(request);
  if (gzip) void reply.header("content-encoding", "gzip");
  return reply.type(asset.type).send(gzip ? asset.gzipped : asset.body);
}
