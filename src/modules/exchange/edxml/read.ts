// From a parsed edXML document to an EdxmlMessage: lenient about names (prefixed, default-namespace or
// unprefixed), element order, unknown elements (TypeDetail, Direction, DigitalSignature, Signature…) and empty
// optional elements; strict about what the message means (required elements, dates, codes, DocumentIds, base64).
import { parseDocumentId } from "./document-id.ts";
import { EdxmlError } from "./errors.ts";
import {
  type Attachment,
  BUSSINESS_DOC_TYPES,
  type Bussiness,
  type BussinessDocType,
  type EdxmlDocument,
  type EdxmlMessage,
  type EdxmlStatus,
  type MessageHeader,
  type Organization,
  type OtherInfo,
  type ResponseFor,
  type SignerInfo,
  type StaffInfo,
  STATUS_CODES,
  type StatusCode,
  type TraceHeader,
} from "./model.ts";
import { Node, put } from "./reader.ts";
import { decodeBase64 } from "./values.ts";
import type { XmlElement } from "./xml.ts";

function documentId(node: Node, name: string): string {
  const value = node.text(name);
  parseDocumentId(value, `${node.path}/${name}`);
  return value;
}

function organization(n: Node): Organization {
  const org: Organization = { organId: n.text("OrganId"), organName: n.text("OrganName") };
  put(org, "organizationInCharge", n.optText("OrganizationInCharge"));
  put(org, "organAdd", n.optText("OrganAdd"));
  put(org, "email", n.optText("Email"));
  put(org, "telephone", n.optText("Telephone"));
  put(org, "fax", n.optText("Fax"));
  put(org, "website", n.optText("Website"));
  return org;
}

function responseFor(n: Node): ResponseFor {
  return {
    organId: n.text("OrganId"),
    code: n.text("Code"),
    promulgationDate: n.date("PromulgationDate"),
    documentId: documentId(n, "DocumentId"),
  };
}

function staffInfo(n: Node): StaffInfo {
  const staff: StaffInfo = {};
  put(staff, "department", n.optText("Department"));
  put(staff, "staff", n.optText("Staff"));
  put(staff, "mobile", n.optText("Mobile"));
  put(staff, "email", n.optText("Email"));
  return staff;
}

function signerInfo(n: Node): SignerInfo {
  const signer: SignerInfo = { fullName: n.text("FullName") };
  put(signer, "competence", n.optText("Competence"));
  put(signer, "position", n.optText("Position"));
  return signer;
}

function otherInfo(n: Node): OtherInfo {
  const other: OtherInfo = { appendixes: n.texts("Appendixes", "Appendix") };
  put(other, "priority", n.optCount("Priority"));
  put(other, "sphereOfPromulgation", n.optText("SphereOfPromulgation"));
  put(other, "typerNotation", n.optText("TyperNotation"));
  put(other, "promulgationAmount", n.optCount("PromulgationAmount"));
  put(other, "pageAmount", n.optCount("PageAmount"));
  return other;
}

function messageHeader(n: Node): MessageHeader {
  const code = n.one("Code");
  const promulgation = n.one("PromulgationInfo");
  const type = n.one("DocumentType");
  const to = n.all("To").map(organization);
  if (to.length === 0) throw new EdxmlError(`${n.path}/To`, "missing (a document goes to at least one agency)");
  const content = n.optText("Content");
  const dueDate = n.optDate("DueDate");
  const other = n.opt("OtherInfo");
  const steeringType = n.optCount("SteeringType");
  return {
    from: organization(n.one("From")),
    to,
    code: { codeNumber: code.text("CodeNumber"), codeNotation: code.text("CodeNotation") },
    promulgationInfo: { place: promulgation.text("Place"), promulgationDate: promulgation.date("PromulgationDate") },
    documentType: { type: type.count("Type"), typeName: type.text("TypeName") },
    subject: n.text("Subject"),
    ...(content !== undefined && { content }),
    signerInfo: signerInfo(n.one("SignerInfo")),
    ...(dueDate !== undefined && { dueDate }),
    toPlaces: n.texts("ToPlaces", "Place"),
    ...(other && { otherInfo: otherInfo(other) }),
    responseFor: n.all("ResponseFor").map(responseFor),
    ...(steeringType !== undefined && { steeringType }),
    documentId: documentId(n, "DocumentId"),
  };
}

function traces(list: Node | undefined): TraceHeader[] {
  return (list?.all("TraceHeader") ?? []).map((t) => ({ organId: t.text("OrganId"), timestamp: t.timestamp("Timestamp") }));
}

function bussiness(n: Node | undefined): Bussiness {
  // Older senders write no Bussiness: such a document is a new one.
  if (!n) return { bussinessDocType: 0, replacementInfoList: [] };
  const docType = n.count("BussinessDocType");
  if (!(BUSSINESS_DOC_TYPES as readonly number[]).includes(docType)) {
    throw new EdxmlError(`${n.path}/BussinessDocType`, `${docType} is not one of ${BUSSINESS_DOC_TYPES.join(", ")}`);
  }
  const b: Bussiness = { bussinessDocType: docType as BussinessDocType, replacementInfoList: [] };
  put(b, "bussinessDocReason", n.optText("BussinessDocReason"));
  const id = n.optText("DocumentId");
  if (id !== undefined) parseDocumentId(id, `${n.path}/DocumentId`);
  put(b, "documentId", id);
  // The VNPT builder may repeat StaffInfo: the first one is the staff who acted.
  const staff = n.all("StaffInfo")[0];
  put(b, "staffInfo", staff && staffInfo(staff));
  put(b, "paper", n.optCount("Paper"));
  // …and may repeat ReplacementInfoList: their items are read as one list.
  for (const list of n.all("ReplacementInfoList")) {
    for (const info of list.all("ReplacementInfo")) {
      const organIds = info.opt("OrganIdList")?.all("OrganId").map((o) => o.ownText()).filter((t) => t !== "") ?? [];
      b.replacementInfoList.push({ documentId: documentId(info, "DocumentId"), organIds });
    }
  }
  return {
    bussinessDocType: b.bussinessDocType,
    ...(b.bussinessDocReason !== undefined && { bussinessDocReason: b.bussinessDocReason }),
    ...(b.documentId !== undefined && { documentId: b.documentId }),
    ...(b.staffInfo !== undefined && { staffInfo: b.staffInfo }),
    ...(b.paper !== undefined && { paper: b.paper }),
    replacementInfoList: b.replacementInfoList,
  };
}

const CID = /^cid:/i;

/** The files: the manifest's References matched by ContentId with AttachmentEncoded's Attachments. */
function attachments(root: Node, envelope: Node): Attachment[] {
  const refs = new Map<string, Node>();
  for (const ref of envelope.opt("edXMLBody")?.opt("edXMLManifest")?.all("Reference") ?? []) {
    const cid = (ref.optText("ContentId") ?? ref.attr("href") ?? "").replace(CID, "");
    if (!cid) throw new EdxmlError(`${ref.path}/ContentId`, "missing (neither ContentId nor xlink:href)");
    if (refs.has(cid)) throw new EdxmlError(ref.path, `names cid:${cid} a second time`);
    refs.set(cid, ref);
  }
  const out: Attachment[] = [];
  const seen = new Set<string>();
  for (const encoded of root.all("AttachmentEncoded")) {
    for (const a of encoded.all("Attachment")) {
      const contentId = a.text("ContentId").replace(CID, "");
      if (seen.has(contentId)) throw new EdxmlError(`${a.path}/ContentId`, `${contentId} appears on two attachments`);
      seen.add(contentId);
      const ref = refs.get(contentId);
      const pick = (name: string): string | undefined => a.optText(name) ?? ref?.optText(name);
      const contentType = pick("ContentType");
      const attachmentName = pick("AttachmentName");
      if (!contentType) throw new EdxmlError(`${a.path}/ContentType`, "missing");
      if (!attachmentName) throw new EdxmlError(`${a.path}/AttachmentName`, "missing");
      const body = a.one("ContentTransferEncoded");
      const content = decodeBase64(body.ownText(), body.path);
      const description = pick("Description");
      out.push({ contentId, contentType, attachmentName, ...(description !== undefined && { description }), content });
    }
  }
  for (const [cid, ref] of refs) {
    if (!seen.has(cid)) throw new EdxmlError(ref.path, `names cid:${cid}, which no AttachmentEncoded/Attachment carries`);
  }
  return out;
}

function status(n: Node, list: Node | undefined): EdxmlStatus {
  const code = n.text("StatusCode");
  if (!(STATUS_CODES as readonly string[]).includes(code)) {
    throw new EdxmlError(`${n.path}/StatusCode`, `${JSON.stringify(code)} is not a status code (${STATUS_CODES.join(", ")})`);
  }
  const description = n.optText("Description");
  const staff = n.opt("StaffInfo");
  return {
    kind: "status",
    responseFor: responseFor(n.one("ResponseFor")),
    from: organization(n.one("From")),
    statusCode: code as StatusCode,
    ...(description !== undefined && { description }),
    timestamp: n.timestamp("Timestamp"),
    ...(staff && { staffInfo: staffInfo(staff) }),
    traces: traces(list),
  };
}

/** Reads a parsed document: a document (MessageHeader) or a status message (MessageStatus). */
export function readMessage(rootEl: XmlElement): EdxmlMessage {
  const root = new Node(rootEl, "");
  // The envelope under <edXML>, or (leniently) an envelope sent on its own.
  let envelope: Node;
  if (rootEl.name === "edXML") {
    const found = root.opt("edXMLEnvelope");
    if (!found) throw new EdxmlError("edXML/edXMLEnvelope", "missing");
    envelope = new Node(found.el, "");
  } else if (rootEl.name === "edXMLEnvelope") {
    envelope = root;
  } else {
    throw new EdxmlError("edXML", `the root element is <${rootEl.name}>, expected <edXML>`);
  }
  const header = envelope.one("edXMLHeader");
  const documentHeader = header.opt("MessageHeader");
  const statusHeader = header.opt("MessageStatus");
  const list = header.opt("TraceHeaderList");
  if (documentHeader && statusHeader) throw new EdxmlError(header.path, "holds both MessageHeader and MessageStatus");
  if (statusHeader) return status(statusHeader, list);
  if (!documentHeader) throw new EdxmlError(`${header.path}/MessageHeader`, "missing (nor is there a MessageStatus)");
  const doc: EdxmlDocument = {
    kind: "document",
    header: messageHeader(documentHeader),
    traces: traces(list),
    bussiness: bussiness(list?.opt("Bussiness")),
    attachments: attachments(root, envelope),
  };
  return doc;
}
