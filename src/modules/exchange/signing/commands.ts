// `motcua exchange keys …`: the agencies' signing keys and the certificates registered for other agencies. The
// exchange module wires them with `keysCommands((deps) => deps.<its keys service>)`.
import fs from "node:fs";
import path from "node:path";
import { attempt, cliActor, type Command, type Output, parseArgs, UsageError } from "../../../platform/cli.ts";
import type { AgencyKeyDto, AgencyKeysService, TrustedCertificateDto } from "./service.ts";

function readPem(out: Output, file: string): string {
  const full = path.resolve(out.cwd ?? process.cwd(), file);
  try {
    return fs.readFileSync(full, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read ${full}: ${(err as Error).message}`);
  }
}

function required(options: Map<string, string>, flag: string): string {
  const v = options.get(flag);
  if (v === undefined) throw new UsageError(`${flag} is required`);
  return v;
}

function days(options: Map<string, string>): number | undefined {
  const v = options.get("--days");
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError("--days is a whole number of days");
  return Number(v);
}

const keyLine = (k: AgencyKeyDto) =>
  `#${k.id}  ${k.state.padEnd(7)}  ${k.source.padEnd(9)}  ${k.notBefore.slice(0, 10)} → ${k.notAfter.slice(0, 10)}  ${k.fingerprint.slice(0, 16)}  ${k.subject}`;
const certLine = (c: TrustedCertificateDto) =>
  `#${c.id}  ${c.agencyCode}  ${c.notBefore.slice(0, 10)} → ${c.notAfter.slice(0, 10)}  ${c.fingerprint.slice(0, 16)}  ${c.subject}${c.revokedAt ? "  (revoked)" : ""}`;

/** The key commands, given how to find the keys service in the module's deps. */
export function keysCommands<D>(keysOf: (deps: D) => AgencyKeysService): Array<Command<D>> {
  const issueCommand = (verb: "generate" | "rotate", summary: string): Command<D> => ({
    words: ["exchange", "keys", verb],
    usage: `motcua exchange keys ${verb} --agency <code> [--name <agency name>] [--days <validity, 365>]`,
    summary,
    async run(deps, args, out) {
      const { positional, options } = parseArgs(args, ["--agency", "--name", "--days"]);
      if (positional.length) throw new UsageError("no positional arguments");
      const input = { agencyCode: required(options, "--agency"), agencyName: options.get("--name"), days: days(options) };
      return attempt(out, async () => {
        const keys = keysOf(deps);
        const key = verb === "generate" ? await keys.generate(cliActor(), input) : await keys.rotate(cliActor(), input);
        out.write(`${verb === "generate" ? "generated" : "rotated, now active"}: ${keyLine(key)}\n`);
        return 0;
      });
    },
  });
  return [
    issueCommand("generate", "a first signing key for an agency, certified by the development CA (audited)"),
    issueCommand("rotate", "a new signing key for an agency; the old one is retired and still verifies (audited)"),
    {
      words: ["exchange", "keys", "import"],
      usage: "motcua exchange keys import --agency <code> --key <private key PEM file> --cert <certificate PEM file>",
      summary: "make an agency's key and certificate from another CA its active signing key (audited)",
      async run(deps, args, out) {
        const { options } = parseArgs(args, ["--agency", "--key", "--cert"]);
        const input = {
          agencyCode: required(options, "--agency"),
          privateKeyPem: readPem(out, required(options, "--key")),
          certificatePem: readPem(out, required(options, "--cert")),
        };
        return attempt(out, async () => {
          out.write(`imported, now active: ${keyLine(await keysOf(deps).importKey(cliActor(), input))}\n`);
          return 0;
        });
      },
    },
    {
      words: ["exchange", "keys", "list"],
      usage: "motcua exchange keys list --agency <code>",
      summary: "an agency's signing keys, active and retired",
      async run(deps, args, out) {
        const { options } = parseArgs(args, ["--agency"]);
        const code = required(options, "--agency");
        const keys = await keysOf(deps).keys(code);
        out.write(keys.length ? keys.map((k) => `${keyLine(k)}\n`).join("") : `no signing key for ${code}\n`);
        return 0;
      },
    },
    {
      words: ["exchange", "keys", "trust"],
      usage: "motcua exchange keys trust --agency <code> --cert <certificate PEM file>",
      summary: "register another agency's certificate: its messages are verified against it (audited)",
      async run(deps, args, out) {
        const { options } = parseArgs(args, ["--agency", "--cert"]);
        const input = { agencyCode: required(options, "--agency"), certificatePem: readPem(out, required(options, "--cert")) };
        return attempt(out, async () => {
          out.write(`registered: ${certLine(await keysOf(deps).trust(cliActor(), input))}\n`);
          return 0;
        });
      },
    },
    {
      words: ["exchange", "keys", "trusted"],
      usage: "motcua exchange keys trusted [--agency <code>]",
      summary: "the certificates registered for other agencies",
      async run(deps, args, out) {
        const { options } = parseArgs(args, ["--agency"]);
        const certs = await keysOf(deps).trusted(options.get("--agency"));
        out.write(certs.length ? certs.map((c) => `${certLine(c)}\n`).join("") : "no certificate registered\n");
        return 0;
      },
    },
    {
      words: ["exchange", "keys", "revoke"],
      usage: "motcua exchange keys revoke <id>",
      summary: "stop trusting a registered certificate (audited)",
      async run(deps, args, out) {
        if (args.length !== 1 || !/^\d+$/.test(args[0]!)) throw new UsageError("give the number of a registered certificate");
        return attempt(out, async () => {
          out.write(`revoked: ${certLine(await keysOf(deps).revoke(cliActor(), Number(args[0])))}\n`);
          return 0;
        });
      },
    },
    {
      words: ["exchange", "keys", "ca"],
      usage: "motcua exchange keys ca",
      summary: "print this installation's development CA certificate (PEM), for the peers of the demo",
      async run(deps, args, out) {
        if (args.length) throw new UsageError("no arguments");
        out.write((await keysOf(deps).developmentCa()).certificatePem);
        return 0;
      },
    },
  ];
}
