import { cliActor, type Command, UsageError } from "../../../platform/cli.ts";
import type { IdentityService } from "../service.ts";
import type { Oidc } from "./provider.ts";
import { MAX_JWT_TTL_SECONDS } from "./provider.ts";

/** `1h`, `30m`, `2d`, `3600s` or a number of seconds; from a minute to 30 days. */
export function parseTtl(text: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!m) throw new UsageError(`--ttl: "${text}" is not a duration like 1h, 30m or 2d`);
  const seconds = Number(m[1]) * ({ s: 1, m: 60, h: 3600, d: 86400, "": 1 } as const)[m[2] as "s" | "m" | "h" | "d" | ""];
  if (seconds < 60 || seconds > MAX_JWT_TTL_SECONDS) throw new UsageError("--ttl must be between 1 minute and 30 days");
  return seconds;
}

/** What the provider's commands use. */
export interface OidcCommandDeps {
  identity: Pick<IdentityService, "findByUsername">;
  oidc: Pick<Oidc, "mintToken" | "rotateKeys" | "addClient">;
}

export const oidcCommands: Array<Command<OidcCommandDeps>> = [
  {
    words: ["token"],
    usage: "motcua token --user <username> [--ttl 1h]",
    summary: "print an access token for the API as that user (audited)",
    async run(ctx, args, out) {
      let user: string | null = null;
      let ttl = 3600;
      for (let i = 0; i < args.length; i++) {
        const [flag, inline] = args[i]!.split("=", 2) as [string, string | undefined];
        const value = () => {
          const v = inline ?? args[++i];
          if (v === undefined) throw new UsageError(`${flag} needs a value`);
          return v;
        };
        if (flag === "--user") user = value();
        else if (flag === "--ttl") ttl = parseTtl(value());
        else throw new UsageError(`unknown argument ${args[i]}`);
      }
      if (!user) throw new UsageError("--user is required");
      const account = await ctx.identity.findByUsername(user);
      if (!account || account.status !== "active") {
        out.write(`no active account with username ${user}\n`);
        return 1;
      }
      const token = await ctx.oidc.mintToken(cliActor(), user, ttl);
      out.write(`${token}\n`);
      return 0;
    },
  },
  {
    words: ["oidc", "rotate-keys"],
    usage: "motcua oidc rotate-keys",
    summary: "add a new token signing key; superseded keys stay published for 30 days more (tokens they signed still verify)",
    async run(ctx, args, out) {
      if (args.length) throw new UsageError(`unexpected argument ${args[0]}`);
      const kid = await ctx.oidc.rotateKeys();
      out.write(`new signing key ${kid}\n`);
      return 0;
    },
  },
  {
    words: ["oidc", "add-client"],
    usage: "motcua oidc add-client <client-id> [--redirect <uri>]...",
    summary: "register a client: with redirect URIs a relying party (code + PKCE), without one an integration (client credentials); prints its secret once",
    async run(ctx, args, out) {
      const [clientId, ...rest] = args;
      if (!clientId || clientId.startsWith("--")) throw new UsageError("a client id is required");
      const redirects: string[] = [];
      for (let i = 0; i < rest.length; i++) {
        if (rest[i] !== "--redirect" || rest[i + 1] === undefined) throw new UsageError(`unexpected argument ${rest[i]}`);
        const uri = rest[++i]!;
        if (!/^https?:\/\//.test(uri)) throw new UsageError(`--redirect: "${uri}" is not an http(s) URL`);
        redirects.push(uri);
      }
      if (!/^[a-z][a-z0-9._-]{2,63}$/.test(clientId)) throw new UsageError("client id: 3–64 lower-case letters, digits, . _ -");
      const secret = await ctx.oidc.addClient(cliActor(), clientId, redirects);
      out.write(`client ${clientId} registered; its secret (shown once):\n${secret}\n`);
      return 0;
    },
  },
];
