// The registry of peers (issue 16, item 3): which node serves which subtree of agencies, with the certificate its
// messages are signed with. The node's administrators and the operator keep it.
import { type Actor, hasRole } from "../../platform/auth/actor.ts";
import { isAgencyCode } from "../directory/index.ts";
import { ExchangeForbidden, InvalidExchangeInput, PeerNotFound } from "./errors.ts";
import type { Db } from "../../platform/db/index.ts";
import type { Peer } from "./model.ts";
import { deletePeer, listPeers, undeliveredOutbox, upsertPeer } from "./repo.ts";
import type { Signals } from "../../platform/signals.ts";
import { type ExchangeDeps, peerOf } from "./support.ts";

export interface Undelivered {
  id: number;
  from: string;
  to: string;
  kind: string;
  documentId: string;
  attempts: number;
  lastError: string | null;
  jobId: number | null;
}

const mayManage = (actor: Actor) => actor.type === "cli" || actor.type === "system" || hasRole(actor, "system_admin");

export function makePeers(deps: Pick<ExchangeDeps, "database" | "audit" | "peerList"> & { signals?: Signals | undefined }) {
  const { database, audit, signals } = deps;
  /** Every node forgets the peers it keeps once the change commits. */
  const changed = (tx: Db, agencyCode: string) => signals?.send(tx, "exchange.peers_changed", agencyCode);
  return {
    async peers(db?: Db): Promise<Peer[]> {
      if (!db && deps.peerList) return [...(await deps.peerList())];
      return (await listPeers(db ?? database.db)).map(peerOf);
    },
    /** Adds a peer, or changes the one of that subtree. */
    async setPeer(actor: Actor, peer: Peer): Promise<void> {
      if (!mayManage(actor)) throw new ExchangeForbidden("quản lý nút liên thông / manage peers");
      const problems = [];
      if (!isAgencyCode(peer.agencyCode)) problems.push({ path: "/agencyCode", message: "Mã định danh cơ quan không hợp lệ." });
      if (!/^https?:\/\/[^\s]+$/.test(peer.nodeUrl)) problems.push({ path: "/nodeUrl", message: "Địa chỉ nút phải là URL http(s)." });
      if (!peer.certificate.includes("BEGIN CERTIFICATE")) problems.push({ path: "/certificate", message: "Chứng thư số phải ở dạng PEM." });
      if (!peer.name.trim()) problems.push({ path: "/name", message: "Cần tên nút." });
      if (problems.length) throw new InvalidExchangeInput(problems);
      await database.transaction(async (tx) => {
        await upsertPeer(tx, peer);
        await changed(tx, peer.agencyCode);
        await audit.record(tx, { actor, action: "exchange.peer_set", subject: { type: "exchange_peer", id: peer.agencyCode }, change: { nodeUrl: peer.nodeUrl } });
      });
    },
    /** Messages whose retry budget is spent (the operator's view): each names its job, to retry once the peer is back. */
    async undelivered(actor: Actor): Promise<Undelivered[]> {
      if (!mayManage(actor)) throw new ExchangeForbidden("xem hàng đợi liên thông / read the exchange outbox");
      return (await undeliveredOutbox(database.db)).map((o) => ({
        id: o.id,
        from: o.fromAgency,
        to: o.toAgency,
        kind: o.kind,
        documentId: o.message.kind === "status" ? o.message.responseFor.documentId : o.message.header.documentId,
        attempts: o.attempts,
        lastError: o.lastError,
        jobId: o.jobId,
      }));
    },
    async removePeer(actor: Actor, agencyCode: string): Promise<void> {
      if (!mayManage(actor)) throw new ExchangeForbidden("quản lý nút liên thông / manage peers");
      await database.transaction(async (tx) => {
        if (!(await deletePeer(tx, agencyCode))) throw new PeerNotFound(agencyCode);
        await changed(tx, agencyCode);
        await audit.record(tx, { actor, action: "exchange.peer_removed", subject: { type: "exchange_peer", id: agencyCode } });
      });
    },
  };
}
