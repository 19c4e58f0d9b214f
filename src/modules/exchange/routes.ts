// The exchange API (docs/API.md, "Exchange (edXML)"): officers send, list, read and answer their agency's
// documents; peers deliver edXML to `/exchange/inbox`, authenticated by its signature rather than by an account.
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply } from "fastify";
import { Type } from "../../platform/typebox.ts";
import type { EdxmlMessage } from "./edxml/model.ts";
import { canonicalBase64 } from "./edxml/values.ts";
import { OFFICERS, PUBLIC } from "../../platform/http/access.ts";
import { InboxRefused, InvalidExchangeInput } from "./errors.ts";
import { type DeliveryAnswer, type InboxAnswer, type InboxDecoder, type Peer, type ReceiveOptions, SignatureRefusedError, type StoredAttachment, TAKES_ANSWER_HEADER } from "./model.ts";
import { homeAgency } from "./policy.ts";
import { AgencyCode, Created, InboxBatch, InboxBatchAnswer, DocumentDto, DocumentFileParams, DocumentParams as Id, DocumentPage, ListQuery, RecallBody, SendBody, StatusBody, UpdateBody } from "./schema.ts";
import type { ExchangeService } from "./service.ts";

const TAGS = ["exchange"];
const PRIVATE = "private, no-store";
const XML = "application/xml; charset=utf-8";

/** The default decoder: no codec or signing is configured on this node, so nothing a peer posts is accepted. */
export const NO_DECODER: InboxDecoder = {
  decode: () => Promise.reject(new InboxRefused("no edXML decoder is configured on this node")),
  answer: () => Promise.reject(new Error("no edXML encoder is configured on this node")),
};

/** The files of an API request, decoded from base64 and kept in the file store. */
async function storeFiles(exchange: ExchangeService, files: Array<{ name: string; contentBase64: string }>): Promise<StoredAttachment[]> {
  // Every file decoded and checked before any is stored: a request refused for its third file leaves nothing behind.
  const decoded = files.map((f, i) => {
    const bytes = canonicalBase64(f.contentBase64);
    if (bytes === null) throw new InvalidExchangeInput([{ path: `/files/${i}/contentBase64`, message: "Không phải base64." }]);
    if (bytes.length === 0) throw new InvalidExchangeInput([{ path: `/files/${i}/contentBase64`, message: "Tệp rỗng." }]);
    return { name: f.name, bytes };
  });
  const out: StoredAttachment[] = [];
  for (const f of decoded) out.push(await exchange.storeFile(f.bytes, f.name));
  return out;
}

export function exchangeRoutes(exchange: ExchangeService, opts: { decoder: InboxDecoder; maxUploadBytes: number }): FastifyPluginAsyncTypebox {
  const bodyLimit = Math.ceil((opts.maxUploadBytes * 4) / 3) * 4 + 64 * 1024;
  return async (app) => {
    const meta = (request: { id: string }) => ({ requestId: request.id });

    /**
     * A message a peer posted, read and checked: what the inbox answers it when that is decided here (the signed 02 of
     * a refused signature, a hub's relayed answer), else the message and how the receiver is to take it. A domain
     * error when it is refused outright.
     */
    async function decodeOne(xml: string, to: string | undefined, takesAnswer: boolean, peers: readonly Peer[], context: { requestId: string }): Promise<{ answered: InboxAnswer } | { message: EdxmlMessage; receive: ReceiveOptions }> {
      const hosted = async (code: string | undefined) => code !== undefined && (await exchange.route(code, peers)).kind === "local";
      let decoded;
      try {
        decoded = await opts.decoder.decode(xml, peers, context);
      } catch (err) {
        if (!(err instanceof SignatureRefusedError)) throw err;
        const doc = err.edxml;
        // A signed 02 only for a message signed with a certificate registered for its sender (changed on the way,
        // or signed out of its validity): an unsigned or stranger's message gets no agency-signed answer to keep.
        const bySender = /^(digest_mismatch|bad_signature|expired):/.test(err.reason);
        if (bySender && doc.kind === "document" && opts.decoder.refuse) {
          const candidates = to ? [to] : doc.header.to.map((o) => o.organId);
          let recipient: string | undefined;
          for (const c of candidates) if (!recipient && (await hosted(c))) recipient = c;
          if (recipient) return { answered: { status: 422, contentType: XML, body: await opts.decoder.refuse(doc, recipient, err.reason) } };
        }
        throw new InboxRefused(err.reason);
      }
      const { message, signer } = decoded;
      const sender = message.kind === "status" ? message.from.organId : message.header.from.organId;
      if (signer !== sender) throw new InboxRefused(`signed by ${signer}, not by the sender ${sender}`);
      // A hub routes onward what it does not host: the recipient named (`to`), else (a peer that does not name it)
      // the sender a status answers, or a document's first recipient hosted nowhere here.
      let target = to ?? (message.kind === "status" ? message.responseFor.organId : undefined);
      if (!target && message.kind === "document" && opts.decoder.forward) {
        for (const o of message.header.to) if (!target && !(await hosted(o.organId))) target = o.organId;
      }
      if (opts.decoder.forward && target && !(await hosted(target))) {
        const relayed = await opts.decoder.forward(xml, target, peers, takesAnswer);
        return { answered: { status: relayed.status, contentType: relayed.contentType || XML, body: relayed.body } };
      }
      return {
        message,
        receive: {
          ...(to && message.kind === "document" ? { to: [to] } : {}),
          // The signed edXML as it came, kept once the document is accepted: the recipient's evidence of what was sent.
          ...(message.kind === "document" ? { keepSigned: () => exchange.keepSigned(xml) } : {}),
          peers,
          // Its 01 goes back in this answer; a sender that records it from there (it says so) gets it only there.
          answersInline: takesAnswer,
        },
      };
    }

    /** The inbox's answer to a message the receiver took (its signed status), or the receiver's refusal. */
    async function answerTaken(message: EdxmlMessage, answer: DeliveryAnswer): Promise<InboxAnswer> {
      if (!answer.accepted) throw new InboxRefused(answer.reason);
      return { status: 200, contentType: XML, body: await opts.decoder.answer(answer, message) };
    }

    app.addHook("onSend", async (_request, reply, payload) => {
      if (!reply.hasHeader("cache-control")) void reply.header("cache-control", PRIVATE);
      return payload;
    });
    app.addContentTypeParser(["application/xml", "text/xml"], { parseAs: "string", bodyLimit }, (_request, body, done) => done(null, body));

    app.post(
      "/api/exchange/messages",
      {
        config: { access: OFFICERS },
        bodyLimit,
        schema: {
          tags: TAGS,
          summary: "Gửi văn bản điện tử",
          description:
            "Sends an official document from the officer's agency (or `from`, for an operator) to each agency of `to`: numbered in the agency's register of outgoing documents (the number is its CodeNumber), its files (base64) kept with their SHA-256, then delivered by the outbox in order per recipient. `replaces` names a sent document this one replaces (BussinessDocType 3).",
          body: SendBody,
          response: { 201: Created },
        },
      },
      async (request, reply) => {
        const { files, ...rest } = request.body;
        const stored = await storeFiles(exchange, files);
        const id = await exchange.send(request.actor, { ...rest, files: stored }, meta(request));
        return reply.code(201).send({ id });
      },
    );

    app.get(
      "/api/exchange/messages",
      {
        config: { access: OFFICERS },
        schema: {
          tags: TAGS,
          summary: "Văn bản đến / đi",
          description: "The agency's incoming (`box=in`) or outgoing (`box=out`) documents, newest first; `q` searches number, notation, sender and subject with or without diacritics, `year` the register's year.",
          querystring: ListQuery,
          response: { 200: DocumentPage },
        },
      },
      async (request) => {
        const { box, q, year, page, pageSize, agency } = request.query;
        return exchange.list(request.actor, { box, q, year, page, pageSize, agency: agency ?? homeAgency(request.actor) ?? undefined });
      },
    );

    app.get(
      "/api/exchange/messages/:id",
      {
        config: { access: OFFICERS },
        schema: { tags: TAGS, summary: "Văn bản và dòng trạng thái", description: "A document of the caller's agency with its status timeline (a sent one: per recipient, with its delivery state).", params: Id, response: { 200: DocumentDto } },
      },
      async (request) => exchange.get(request.actor, request.params.id),
    );

    app.get(
      "/api/exchange/messages/:id/files/:sha256",
      {
        config: { access: OFFICERS },
        schema: { tags: TAGS, summary: "Tệp đính kèm của văn bản", params: DocumentFileParams },
      },
      async (request, reply) => {
        const f = await exchange.file(request.actor, request.params.id, request.params.sha256);
        void reply.header("content-type", f.contentType);
        void reply.header("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(f.name)}`);
        void reply.header("x-content-type-options", "nosniff");
        return reply.send(f.stream);
      },
    );

    app.post(
      "/api/exchange/messages/:id/status",
      {
        config: { access: OFFICERS },
        schema: {
          tags: TAGS,
          summary: "Gửi trạng thái xử lý văn bản đến",
          description:
            "Answers a received document; the status goes back to the sender. 03 accept, 02 refuse (a `description` says why), 04 assign (`department`, `assigneeId`, `due`; leaders), 05 processing, 06 done, 15/16 agree to or refuse a pending revocation, update or replacement.",
          params: Id,
          body: StatusBody,
          response: { 200: DocumentDto },
        },
      },
      async (request) => {
        await exchange.answer(request.actor, request.params.id, request.body, meta(request));
        return exchange.get(request.actor, request.params.id);
      },
    );

    app.post(
      "/api/exchange/messages/:id/recall",
      {
        config: { access: OFFICERS },
        schema: { tags: TAGS, summary: "Thu hồi văn bản đã gửi", description: "Asks each recipient to revoke a sent document (BussinessDocType 1); they answer 15 or 16.", params: Id, body: RecallBody, response: { 200: DocumentDto } },
      },
      async (request) => {
        await exchange.recall(request.actor, request.params.id, request.body.reason, meta(request));
        return exchange.get(request.actor, request.params.id);
      },
    );

    app.post(
      "/api/exchange/messages/:id/update",
      {
        config: { access: OFFICERS },
        bodyLimit,
        schema: { tags: TAGS, summary: "Cập nhật văn bản đã gửi", description: "Sends an update of a sent document (BussinessDocType 2): new subject, content or files; recipients answer 15 or 16.", params: Id, body: UpdateBody, response: { 200: DocumentDto } },
      },
      async (request) => {
        const { files, ...rest } = request.body;
        await exchange.update(request.actor, request.params.id, { ...rest, ...(files ? { files: await storeFiles(exchange, files) } : {}) }, meta(request));
        return exchange.get(request.actor, request.params.id);
      },
    );

    app.post(
      "/exchange/inbox",
      {
        // Peers are nodes, not accounts: a message is trusted by its XML signature, checked by the decoder.
        config: { access: PUBLIC },
        bodyLimit,
        schema: {
          tags: TAGS,
          summary: "Nhận thông điệp edXML từ nút liên thông",
          description:
            "A peer delivers a signed edXML document or status message (`Content-Type: application/xml`); `to` names the recipient agency it is for (a hub routes it onward when it does not host it, appending its TraceHeader). 200: the recipient's signed status edXML (01), or an empty body when there is nothing new to answer; 422: its signed 02 when the signature is refused (audited); 400: malformed edXML (the codec's element and problem) or a message this node does not take.",
          consumes: ["application/xml"],
          querystring: Type.Object({ to: Type.Optional(AgencyCode) }),
        },
      },
      async (request, reply) => {
        if (typeof request.body !== "string" || !request.body) throw new InboxRefused("the body must be an edXML document (application/xml)");
        const peers = await exchange.peers();
        const decoded = await decodeOne(request.body, request.query.to, request.headers[TAKES_ANSWER_HEADER] === "1", peers, meta(request));
        const taken = "answered" in decoded ? decoded.answered : await answerTaken(decoded.message, await exchange.receiver.receive(decoded.message, decoded.receive));
        return reply.code(taken.status).type(taken.contentType).send(taken.body);
      },
    );

    app.post(
      "/exchange/inbox/batch",
      {
        // As the inbox: each message is trusted by its own XML signature.
        config: { access: PUBLIC },
        bodyLimit,
        schema: {
          tags: TAGS,
          summary: "Nhận nhiều thông điệp edXML từ nút liên thông",
          description:
            "A motcua peer delivers several signed edXML messages for one recipient (`to`) in one request, in its outbox's order: each is taken as `POST /exchange/inbox` takes it, one after the other, and `answers` lists what the inbox answered each (`status`, `contentType`, `body`). Taking stops after the first answer that is not 200, or before a message the inbox would refuse: `answers` is then shorter than `messages` and the rest were not taken (the sender sends them again). When the first message is not taken, the answer is that message's own, as the inbox gives it.",
          querystring: Type.Object({ to: Type.Optional(AgencyCode) }),
          body: InboxBatch,
          response: { 200: InboxBatchAnswer },
        },
      },
      async (request, reply) => {
        const peers = await exchange.peers();
        const takesAnswer = request.headers[TAKES_ANSWER_HEADER] === "1";
        const answers: InboxAnswer[] = [];
        // Read and checked one after the other; those for the receiver taken together (new documents in one transaction).
        const held: Array<{ message: EdxmlMessage; opts: ReceiveOptions }> = [];
        /** Takes what is held; false when the receiver stopped before the end of it. */
        const take = async () => {
          const taking = held.splice(0);
          if (taking.length === 0) return true;
          const got = await exchange.receiver.receiveMany(taking);
          for (const [i, answer] of got.entries()) {
            // The first of the request not taken answers for it, as the inbox would; a later one is left to be sent again.
            if (!answer.accepted && answers.length > 0) return false;
            answers.push(await answerTaken(taking[i]!.message, answer));
          }
          return got.length === taking.length;
        };
        for (const [i, xml] of request.body.messages.entries()) {
          let decoded;
          try {
            decoded = await decodeOne(xml, request.query.to, takesAnswer, peers, meta(request));
          } catch (err) {
            if (i === 0) throw err;
            break;
          }
          if ("message" in decoded) {
            held.push({ message: decoded.message, opts: decoded.receive });
            continue;
          }
          // Answered here (a refused signature, a hub's relay): after what came before it.
          if (!(await take())) break;
          // (Untyped: that answer is the inbox's, not the batch's schema.)
          if (answers.length === 0 && decoded.answered.status !== 200) return (reply as unknown as FastifyReply).code(decoded.answered.status).type(decoded.answered.contentType).send(decoded.answered.body);
          answers.push(decoded.answered);
          if (decoded.answered.status !== 200) break;
        }
        await take();
        return { answers };
      },
    );
  };
}
