// openid-client's requests to our own issuer (discovery, keys, token endpoint) answered inside the
// process: a node behind a load balancer may be unable to reach its own public address.
import type { CustomFetch } from "openid-client";
import type { App } from "../../../platform/http/types.ts";

/** A fetch for openid-client that sends requests for `origin` into `app`, and refuses any other address. */
export function inProcessFetch(app: App, origin: string): CustomFetch {
  return async (url, options) => {
    const target = new URL(url);
    if (target.origin !== origin) throw new Error(`in-process fetch: ${target.origin} is not this node (${origin})`);
    const body = options.body;
    const payload =
      body === undefined || body === null
        ? undefined
        : typeof body === "string" || body instanceof URLSearchParams
          ? body.toString()
          : body instanceof ArrayBuffer || ArrayBuffer.isView(body)
            ? Buffer.from(body as ArrayBuffer)
            : undefined;
    if (payload === undefined && body !== undefined && body !== null) throw new Error("in-process fetch: streamed bodies are not supported");
    const res = await app.inject({
      method: options.method as "GET" | "POST",
      url: target.pathname + target.search,
      headers: { ...options.headers, host: target.host },
      ...(payload !== undefined ? { payload } : {}),
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, String(one));
    }
    const empty = res.statusCode === 204 || res.statusCode === 304 || options.method === "HEAD";
    return new Response(empty ? null : new Uint8Array(res.rawPayload), { status: res.statusCode, headers });
  };
}
