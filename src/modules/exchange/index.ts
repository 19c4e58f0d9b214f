// Official document exchange between agencies (issue 16): documents and their status messages (edXML, QCVN
// 102:2016), the agencies' inboxes, outboxes and registers, delivery through the outbox — locally between the
// agencies hosted on this node, through a `RemoteTransport` to peers — and the registry of peers.
import { OFFICER_ROLES } from "../../platform/auth/actor.ts";
import { type Backoff, exponentialBackoff } from "../../platform/jobs/index.ts";
import { domainErrorOf } from "../../platform/http/errors.ts";
import { defineModule } from "../../platform/module.ts";
import { exchangeCommands } from "./commands.ts";
import { buildEdxml, type EdxmlMessage } from "./edxml/index.ts";
import { deliveryJob } from "./delivery.ts";
import type { InboxDecoder, Peer, RemoteTransport } from "./model.ts";
import { exchangeOfficePages } from "./pages.tsx";
import { exchangeRoutes } from "./routes.ts";
import { demoExchangeSeed, demoKeysSeed } from "./seeds.ts";
import { type ExchangeService, makeExchangeService } from "./service.ts";
import { keysCommands } from "./signing/commands.ts";
import { type AgencyKeysService, makeAgencyKeysService } from "./signing/service.ts";
import { edxmlDecoder, httpTransport, type WireDeps } from "./wire.ts";

declare module "../../platform/signals.ts" {
  interface SignalMap {
    /** A peer was set or removed (its agency code): every node forgets the peers it keeps. */
    "exchange.peers_changed": string;
  }
}

declare module "../../platform/module.ts" {
  interface Services {
    /** Official documents between agencies: send, receive, answer, registers, peers. */
    exchange: ExchangeService;
    /** The agencies' signing keys, the certificates registered for other agencies, the verification of messages. */
    exchangeKeys: AgencyKeysService;
  }
  interface ModuleOptions {
    /** How the exchange reaches other nodes and reads what they post: signed edXML over HTTP (wire.ts) by default. */
    exchange: { transport?: RemoteTransport; decoder?: InboxDecoder; maxAttempts?: number; backoff?: Backoff };
  }
}

interface Wire {
  transport: RemoteTransport;
  decoder: InboxDecoder;
  sign: (message: EdxmlMessage, from: string) => Promise<string | null>;
  verify: (signed: string, from: string) => Promise<string | null>;
}

/** Signing with the sending agency's key (null when it has none) and checking it as a peer would. */
function signer(keys: AgencyKeysService): Pick<Wire, "sign" | "verify"> {
  return {
    async sign(message, from) {
      try {
        return await keys.signOutgoing(buildEdxml(message), from);
      } catch (err) {
        if (domainErrorOf(err)?.code === "exchange.no_signing_key") return null;
        throw err;
      }
    },
    async verify(signed, from) {
      const verdict = await keys.verifyIncoming(signed, from);
      return verdict.ok ? null : `${verdict.reason}: ${verdict.message}`;
    },
  };
}

/** The hub of MOTCUA_EXCHANGE_HUB_URL as the peer of every agency no other peer covers. */
const hubPeer = (url: string | null): Peer | null => (url ? { agencyCode: "", name: "hub", nodeUrl: url, certificate: "" } : null);

export const exchangeModule = defineModule({
  name: "exchange",
  needs: ["directory", "identity"],
  provides: ["exchange", "exchangeKeys"],
  build: ({ database, clock, audit, events, files, jobs, directory, identity, config, secret, signals }) => ({
    exchange: makeExchangeService({ database, clock, audit, events, files, jobs, directory, identity, signals, hub: hubPeer(config.exchange.hubUrl) }),
    exchangeKeys: makeAgencyKeysService({ database, clock, audit, secret, agencyName: async (code) => (await directory.agency(code).catch(() => null))?.name ?? null }),
  }),
  parts: ({ exchangeKeys, directory, clock, config }) => {
    const wire: WireDeps = { keys: exchangeKeys, directory, clock, timeoutMs: config.exchange.timeoutMs, hubCode: config.exchange.hubCode };
    return { wire: { transport: httpTransport(wire), decoder: edxmlDecoder(wire), ...signer(exchangeKeys) } as Wire };
  },
  routes: ({ exchange, options, config, wire }) => [exchangeRoutes(exchange, { decoder: options.exchange?.decoder ?? wire.decoder, maxUploadBytes: config.maxUploadBytes })],
  pages: ({ exchange, directory, config }) => [exchangeOfficePages({ exchange, directory, maxUploadBytes: config.maxUploadBytes })],
  jobs: ({ exchange, database, clock, audit, files, jobs, directory, identity, options, config, wire }) => [
    deliveryJob({ database, clock, audit, files, jobs, directory, identity, hub: hubPeer(config.exchange.hubUrl), peerList: () => exchange.peers() }, exchange.receiver, {
      transport: options.exchange?.transport ?? wire.transport,
      maxAttempts: options.exchange?.maxAttempts ?? config.exchange.maxAttempts,
      backoff: options.exchange?.backoff ?? exponentialBackoff({ baseMs: config.exchange.retryBaseMs, maxMs: config.exchange.retryMaxMs }),
      sign: wire.sign,
      verify: wire.verify,
      batch: config.exchange.batch,
    }),
  ],
  seeds: ({ exchange, exchangeKeys, directory }) => [demoKeysSeed(exchangeKeys, directory), demoExchangeSeed(exchange)],
  commands: [...exchangeCommands, ...keysCommands<{ exchangeKeys: AgencyKeysService }>((deps) => deps.exchangeKeys)],
  nav: [
    { area: "office", href: "/office/van-ban-den", label: { vi: "Văn bản đến", en: "Incoming documents" }, roles: OFFICER_ROLES, order: 40 },
    { area: "office", href: "/office/van-ban-di", label: { vi: "Văn bản đi", en: "Outgoing documents" }, roles: OFFICER_ROLES, order: 41 },
  ],
});

export { type DeliveryAnswer, type InboxDecoder, type InboxReceiver, NO_TRANSPORT, type Peer, type RemoteTransport, type StoredAttachment } from "./model.ts";
export type { AgencyKeysService } from "./signing/service.ts";
export { DELIVER_JOB, documentIdOf, edxmlDate, edxmlTimestamp, peerFor } from "./support.ts";
export type { ReceivedDocument, ReceivedStatus } from "./events.ts";
export type { ResponseFor } from "./edxml/model.ts";
export type { ExchangeService } from "./service.ts";
