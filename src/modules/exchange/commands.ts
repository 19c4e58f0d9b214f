// `motcua exchange …`: send a document as an agency, list an agency's incoming documents, keep the peers.
import fs from "node:fs";
import path from "node:path";
import { attempt, cliActor, type Command, parseArgs, UsageError } from "../../platform/cli.ts";
import type { ExchangeService } from "./service.ts";

const list = (v: string | undefined) => (v ?? "").split(",").map((s) => s.trim()).filter(Boolean);

export const exchangeCommands: Array<Command<{ exchange: ExchangeService }>> = [
  {
    words: ["exchange", "send"],
    usage: "motcua exchange send --from <agency code> --to <agency code>[,<code>…] --file <pdf>[,<file>…] --subject <text> --notation <ký hiệu> [--signer <name>]",
    summary: "send an official document as an agency (numbered in its register, delivered by the outbox)",
    async run({ exchange }, args, out) {
      const { positional, options } = parseArgs(args, ["--from", "--to", "--file", "--subject", "--notation", "--signer"]);
      if (positional.length) throw new UsageError(`unexpected ${positional.join(" ")}`);
      const from = options.get("--from");
      const to = list(options.get("--to"));
      const paths = list(options.get("--file"));
      const subject = options.get("--subject");
      if (!from || !to.length || !paths.length || !subject) throw new UsageError("give --from, --to, --file and --subject");
      return attempt(out, async () => {
        const files = [];
        for (const p of paths) {
          const file = path.resolve(out.cwd ?? process.cwd(), p);
          if (!fs.existsSync(file)) throw new UsageError(`no file ${p}`);
          files.push(await exchange.storeFile(fs.createReadStream(file), path.basename(file)));
        }
        const actor = cliActor();
        const id = await exchange.send(actor, { from, to, subject, notation: options.get("--notation") ?? "VP", signer: { fullName: options.get("--signer") ?? "Văn thư" }, files });
        const d = await exchange.get(actor, id);
        out.write(`sent ${d.codeNumber}/${d.codeNotation} (register ${d.registerYear} no. ${d.registerNumber}) to ${to.join(", ")}\n${d.documentId}\nid ${id}\n`);
        return 0;
      });
    },
  },
  {
    words: ["exchange", "inbox"],
    usage: "motcua exchange inbox --agency <agency code> [--q <words>] [--box in|out]",
    summary: "list an agency's incoming documents (--box out: its outgoing ones) with their status",
    async run({ exchange }, args, out) {
      const { positional, options } = parseArgs(args, ["--agency", "--q", "--box"]);
      if (positional.length) throw new UsageError(`unexpected ${positional.join(" ")}`);
      const agency = options.get("--agency");
      const box = options.get("--box") ?? "in";
      if (!agency) throw new UsageError("give --agency");
      if (box !== "in" && box !== "out") throw new UsageError("--box is in or out");
      return attempt(out, async () => {
        const page = await exchange.list(cliActor(), { box, agency, q: options.get("--q"), pageSize: 100 });
        if (!page.items.length) out.write("no documents\n");
        for (const d of page.items) {
          out.write(`${d.registerYear}/${String(d.registerNumber).padStart(4, "0")}  ${`${d.codeNumber}/${d.codeNotation}`.padEnd(20)}  ${d.state.padEnd(10)}  ${d.lastStatus ?? "--"}  ${d.sender.code}  ${d.subject}\n`);
        }
        return 0;
      });
    },
  },
  {
    words: ["exchange", "peers"],
    usage: "motcua exchange peers",
    summary: "list the peer nodes and the agencies they serve",
    async run({ exchange }, _args, out) {
      const peers = await exchange.peers();
      if (!peers.length) out.write("no peers: every recipient must be hosted on this node\n");
      for (const p of peers) out.write(`${p.agencyCode}  ${p.nodeUrl}  ${p.name}\n`);
      return 0;
    },
  },
  {
    words: ["exchange", "peer-set"],
    usage: "motcua exchange peer-set <agency code> <node URL> <certificate.pem> --name <name>",
    summary: "register the node serving an agency's subtree (or change it)",
    async run({ exchange }, args, out) {
      const { positional, options } = parseArgs(args, ["--name"]);
      const [agencyCode, nodeUrl, pem] = positional;
      if (!agencyCode || !nodeUrl || !pem || positional.length > 3) throw new UsageError("give the agency code, the node's URL and its certificate file");
      const file = path.resolve(out.cwd ?? process.cwd(), pem);
      if (!fs.existsSync(file)) throw new UsageError(`no file ${pem}`);
      return attempt(out, async () => {
        await exchange.setPeer(cliActor(), { agencyCode, nodeUrl, certificate: fs.readFileSync(file, "utf8"), name: options.get("--name") ?? agencyCode });
        out.write(`peer ${agencyCode} → ${nodeUrl}\n`);
        return 0;
      });
    },
  },
  {
    words: ["exchange", "undelivered"],
    usage: "motcua exchange undelivered",
    summary: "list the messages whose retries are spent, with the job to retry (motcua jobs retry <job>)",
    async run({ exchange }, _args, out) {
      const list = await exchange.undelivered(cliActor());
      if (!list.length) out.write("every message was delivered or is still being tried\n");
      for (const m of list) out.write(`job ${m.jobId ?? "?"}  ${m.from} → ${m.to}  ${m.kind}  ${m.documentId}  ${m.attempts} attempts: ${m.lastError ?? ""}\n`);
      return 0;
    },
  },
  {
    words: ["exchange", "peer-remove"],
    usage: "motcua exchange peer-remove <agency code>",
    summary: "forget the node of an agency's subtree",
    async run({ exchange }, args, out) {
      const [agencyCode, ...rest] = args;
      if (!agencyCode || rest.length) throw new UsageError("give one agency code");
      return attempt(out, async () => {
        await exchange.removePeer(cliActor(), agencyCode);
        out.write(`peer ${agencyCode} removed\n`);
        return 0;
      });
    },
  },
];
