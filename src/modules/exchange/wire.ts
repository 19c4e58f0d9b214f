// The wire between nodes (issue 16, items 2–3): the module's default transport and inbox decoder.
//
// Sending: the message is built with the codec, signed with the sending agency's active key (XML-DSig) and POSTed to
// `{node}/exchange/inbox?to=<recipient>` — the peer covering the recipient, else the configured hub. The answer is
// the recipient's signed status edXML, verified against the certificate registered for its agency: 200 with its
// 01 (or an empty body: nothing new to say, e.g. a document delivered before), 422 with its signed 02 when it
// refused the signature. A network failure, a timeout or a 5xx is retried by the outbox; another 4xx is final.
//
// Receiving: the codec reads the message (a malformed one is answered 400 with the codec's element and problem),
// the signature is verified against the certificates registered for the sender's agency code (a refusal is
// audited and answered with the recipient's signed 02). A hub routes what it does not host onward, appending its
// own TraceHeader (signing/traces.ts: the signature leaves the hops' TraceHeaders out), and relays the answer.
import type { Clock } from "../../platform/clock.ts";
import { httpRequest } from "../../platform/http/client.ts";
import type { DirectoryService } from "../directory/index.ts";
import { buildEdxml, EdxmlError, type EdxmlMessage, parseEdxml } from "./edxml/index.ts";
import { EdxmlMalformed, InboxRefused, NextHopUnavailable } from "./errors.ts";
import { type BatchItem, type DeliveryAnswer, type InboxAnswer, type InboxDecoder, type Peer, type RemoteTransport, SignatureRefusedError, TAKES_ANSWER_HEADER } from "./model.ts";
import { statusFor } from "./service.receiving.ts";
import type { AgencyKeysService } from "./signing/service.ts";
import { shown } from "./edxml/tree.ts";
import { appendTrace } from "./signing/traces.ts";
import { edxmlTimestamp, organizationOf, peerFor } from "./support.ts";

const XML = "application/xml; charset=utf-8";
const JSON_TYPE = "application/json; charset=utf-8";

const senderOf = (m: EdxmlMessage) => (m.kind === "status" ? m.from.organId : m.header.from.organId);

/** The inbox of a node, naming the recipient the message is for (routing data, outside the signed document). */
export function inboxUrl(nodeUrl: string, to: string | undefined, path = "exchange/inbox"): URL {
  const url = new URL(path, nodeUrl.endsWith("/") ? nodeUrl : `${nodeUrl}/`);
  if (to) url.searchParams.set("to", to);
  return url;
}


async function post(url: URL, xml: string, timeoutMs: number, takesAnswer: boolean): Promise<{ status: number; contentType: string; body: string }> {
  const headers: Record<string, string> = { "content-type": XML, ...(takesAnswer ? { [TAKES_ANSWER_HEADER]: "1" } : {}) };
  const res = await httpRequest(url, { method: "POST", headers, body: xml, timeoutMs });
  return { status: res.status, contentType: res.contentType, body: res.body.toString("utf8") };
}

/** Why an answer that is not a status edXML says it refused (the error envelope's code and message). */
function refusalOf(status: number, body: string): string {
  try {
    const e = (JSON.parse(body) as { error?: { code?: string; message?: string } }).error;
    if (e?.code) return `${status} ${e.code}: ${e.message ?? ""}`;
  } catch {
    // not JSON: the first words of the body
  }
  return `${status}: ${body.slice(0, 200)}`;
}

export interface WireDeps {
  keys: AgencyKeysService;
  directory: DirectoryService;
  clock: Clock;
  /** One delivery's HTTP request, in ms. */
  timeoutMs: number;
  /** This node routes what it does not host (a hub): the agency code its TraceHeader carries. */
  hubCode?: string | null;
}

/** The default transport: signed edXML over HTTP. */
export function httpTransport(deps: WireDeps): RemoteTransport {
  /** The status edXML of an answer, its signature verified against its sender's registered certificate. */
  async function readAnswer(body: string, from: string) {
    let status;
    try {
      status = parseEdxml(body);
    } catch (err) {
      throw new Error(`the answer of the node of ${from} is not edXML: ${(err as Error).message}`);
    }
    if (status.kind !== "status") throw new Error(`the answer of the node of ${from} is not a status message`);
    const verdict = await deps.keys.verifyIncoming(body, status.from.organId);
    if (!verdict.ok) throw new Error(`the answer of ${status.from.organId} is not signed by it (${verdict.reason}: ${verdict.message})`);
    return status;
  }

  /** What one message's answer says (the inbox's, or its entry in a batch's answer). */
  async function answerOf(res: InboxAnswer, origin: string, from: string): Promise<DeliveryAnswer> {
    if (res.status >= 500 || res.status === 408 || res.status === 429) throw new Error(`${origin} answered ${refusalOf(res.status, res.body)}`);
    if (res.status === 200) return res.body.trim() ? { accepted: true, status: await readAnswer(res.body, from) } : { accepted: true };
    if (res.status === 422 && res.contentType.includes("xml")) {
      const status = await readAnswer(res.body, from);
      return { accepted: false, permanent: true, status, reason: `${status.from.organId} refused it (${status.statusCode}): ${status.description ?? ""}` };
    }
    return { accepted: false, permanent: true, reason: `${origin} refused it: ${refusalOf(res.status, res.body)}` };
  }

  // Nodes that answered a batch 404 (another implementation, or an older motcua): asked one message at a time, and
  // for a batch again after a while (they may be upgraded).
  const unbatched = new Map<string, number>();
  const UNBATCHED_MS = 10 * 60_000;
  const batches = (peer: Peer) => {
    const since = unbatched.get(peer.nodeUrl);
    return since === undefined || deps.clock.now().getTime() - since >= UNBATCHED_MS;
  };

  return {
    async deliver(peer: Peer, message: EdxmlMessage, fromAgency: string, toAgency?: string, given?: string): Promise<DeliveryAnswer> {
      const signed = given ?? (await deps.keys.signOutgoing(buildEdxml(message), fromAgency));
      const url = inboxUrl(peer.nodeUrl, toAgency);
      let res;
      try {
        res = await post(url, signed, deps.timeoutMs, true);
      } catch (err) {
        throw new Error(`${url.origin} cannot be reached: ${(err as Error).message}`);
      }
      return answerOf(res, url.origin, toAgency ?? peer.agencyCode);
    },

    batches,

    async deliverMany(peer: Peer, items: readonly BatchItem[], toAgency: string): Promise<DeliveryAnswer[] | null> {
      if (!batches(peer)) return null;
      const url = inboxUrl(peer.nodeUrl, toAgency, "exchange/inbox/batch");
      let res;
      try {
        const messages: string[] = [];
        for (const i of items) messages.push(i.signed ?? (await deps.keys.signOutgoing(buildEdxml(i.message), i.fromAgency)));
        const body = JSON.stringify({ messages });
        const answer = await httpRequest(url, { method: "POST", headers: { "content-type": JSON_TYPE, [TAKES_ANSWER_HEADER]: "1" }, body, timeoutMs: deps.timeoutMs });
        res = { status: answer.status, contentType: answer.contentType, body: answer.body.toString("utf8") };
      } catch (err) {
        throw new Error(`${url.origin} cannot be reached: ${(err as Error).message}`);
      }
      if (res.status === 404) {
        unbatched.set(peer.nodeUrl, deps.clock.now().getTime());
        return null;
      }
      // Not 200: the first message was not taken, and this is its own answer.
      if (res.status !== 200) return [await answerOf(res, url.origin, toAgency)];
      let answers: InboxAnswer[];
      try {
        answers = (JSON.parse(res.body) as { answers: InboxAnswer[] }).answers;
        if (!Array.isArray(answers) || answers.length > items.length) throw new Error("not one answer per message");
      } catch (err) {
        throw new Error(`the batch answer of ${url.origin} cannot be read: ${(err as Error).message}`);
      }
      const out: DeliveryAnswer[] = [];
      for (const [i, a] of answers.entries()) {
        try {
          out.push(await answerOf(a, url.origin, toAgency));
        } catch (err) {
          // The first's answer to retry later is the delivery's; a later one's (a hub relaying a node that is busy or
          // down) leaves it and those after it to be sent again, and those before it taken.
          if (i === 0) throw err;
          break;
        }
      }
      return out;
    },
  };
}

/** The default inbox decoder: the codec, the signature checked against the registered certificates. */
export function edxmlDecoder(deps: WireDeps): InboxDecoder {
  const { keys, directory, clock } = deps;
  const sign = (m: EdxmlMessage) => keys.signOutgoing(buildEdxml(m), senderOf(m));
  return {
    async decode(xml, _peers, context = {}) {
      let message: EdxmlMessage;
      try {
        message = parseEdxml(xml);
      } catch (err) {
        // The codec's words may quote what was sent: cut short for the answer and the logs.
        if (err instanceof EdxmlError) throw new EdxmlMalformed(shown(err.element, 200), shown(err.problem, 300));
        throw err;
      }
      const verdict = await keys.verifyIncoming(xml, senderOf(message), context.requestId ? { requestId: context.requestId } : {});
      if (!verdict.ok) throw new SignatureRefusedError(message, `${verdict.reason}: ${verdict.message}`);
      return { message, signer: verdict.signature.agencyCode };
    },

    async answer(answer) {
      return answer.status ? sign(answer.status) : "";
    },

    async refuse(document, recipient, reason) {
      const me = await organizationOf(directory, recipient);
      const description = `Chữ ký số không hợp lệ / the signature is refused: ${reason}`.slice(0, 1000);
      return sign(statusFor(document, me, "02", clock.now(), { description }));
    },

    ...(deps.hubCode
      ? {
          async forward(xml: string, to: string, peers: readonly Peer[], takesAnswer = false) {
            const peer = peerFor(peers, to);
            if (!peer) throw new InboxRefused(`no node serving ${to} is known to this hub`);
            const hopped = appendTrace(xml, { organId: deps.hubCode!, timestamp: edxmlTimestamp(clock.now()) });
            const url = inboxUrl(peer.nodeUrl, to);
            let res;
            try {
              // The sender's word, passed on: the hub relays the answer, it is the sender that records it.
              res = await post(url, hopped, deps.timeoutMs, takesAnswer);
            } catch (err) {
              throw new NextHopUnavailable(url.origin, (err as Error).message);
            }
            if (res.status >= 500) throw new NextHopUnavailable(url.origin, `it answered ${res.status}`);
            return res;
          },
        }
      : {}),
  };
}
