// Official document exchange between agencies (issue 16): documents and their status messages (edXML, QCVN
// 102:2016), the agencies' inboxes, outboxes and registers, delivery through the outbox — locally between the
// agencies hosted on this node, through a `RemoteTransport` to peers — and the registry of peers.
import { OFFICER_ROLES } from "../../platform/auth/actor.ts";
import type { Backoff } from "../../platform/jobs/index.ts";
import { defineModule } from "../../platform/module.ts";
import { exchangeCommands } from "./commands.ts";
import { deliveryJob } from "./delivery.ts";
import { type InboxDecoder, NO_TRANSPORT, type RemoteTransport } from "./model.ts";
import { exchangeOfficePages } from "./pages.tsx";
import { exchangeRoutes, NO_DECODER } from "./routes.ts";
import { demoExchangeSeed } from "./seeds.ts";
import { type ExchangeService, makeExchangeService } from "./service.ts";

declare module "../../platform/module.ts" {
  interface Services {
    /** Official documents between agencies: send, receive, answer, registers, peers. */
    exchange: ExchangeService;
  }
  interface ModuleOptions {
    /** How the exchange reaches other nodes and reads what they post (the codec and signing); none by default. */
    exchange: { transport?: RemoteTransport; decoder?: InboxDecoder; maxAttempts?: number; backoff?: Backoff };
  }
}

export const exchangeModule = defineModule({
  name: "exchange",
  needs: ["directory", "identity"],
  provides: ["exchange"],
  build: ({ database, clock, audit, events, files, jobs, directory, identity }) => ({
    exchange: makeExchangeService({ database, clock, audit, events, files, jobs, directory, identity }),
  }),
  routes: ({ exchange, options, config }) => [exchangeRoutes(exchange, { decoder: options.exchange?.decoder ?? NO_DECODER, maxUploadBytes: config.maxUploadBytes })],
  pages: ({ exchange, directory, config }) => [exchangeOfficePages({ exchange, directory, maxUploadBytes: config.maxUploadBytes })],
  jobs: ({ exchange, database, clock, audit, files, jobs, directory, identity, options }) => [
    deliveryJob({ database, clock, audit, files, jobs, directory, identity }, exchange.receiver, {
      transport: options.exchange?.transport ?? NO_TRANSPORT,
      ...(options.exchange?.maxAttempts ? { maxAttempts: options.exchange.maxAttempts } : {}),
      ...(options.exchange?.backoff ? { backoff: options.exchange.backoff } : {}),
    }),
  ],
  seeds: ({ exchange }) => [demoExchangeSeed(exchange)],
  commands: exchangeCommands,
  nav: [
    { area: "office", href: "/office/van-ban-den", label: { vi: "Văn bản đến", en: "Incoming documents" }, roles: OFFICER_ROLES, order: 40 },
    { area: "office", href: "/office/van-ban-di", label: { vi: "Văn bản đi", en: "Outgoing documents" }, roles: OFFICER_ROLES, order: 41 },
  ],
});

export { type DeliveryAnswer, type InboxDecoder, type InboxReceiver, NO_TRANSPORT, type Peer, type RemoteTransport, type StoredAttachment } from "./model.ts";
export { DELIVER_JOB, documentIdOf, edxmlDate, edxmlTimestamp, peerFor } from "./support.ts";
export type { ReceivedDocument, ReceivedStatus } from "./events.ts";
export type { ResponseFor } from "./edxml/model.ts";
export type { ExchangeService } from "./service.ts";
