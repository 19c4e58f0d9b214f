// From an EdxmlMessage to the one canonical edXML text: every value checked first (the same rules as reading, and
// text in the form that reads back unchanged), elements in the order of DOMAIN.md §7, `edXML:` on the envelope's
// elements, AttachmentEncoded after the envelope in the default namespace (as the Java and C# SDKs write it).
import { parseDocumentId } from "./document-id.ts";
import { EdxmlError } from "./errors.ts";
import {
  BUSSINESS_DOC_TYPES,
  type Bussiness,
  EDXML_NAMESPACE,
  type EdxmlDocument,
  type EdxmlMessage,
  type EdxmlStatus,
  type MessageHeader,
  type Organization,
  type ResponseFor,
  type StaffInfo,
  STATUS_CODES,
  type TraceHeader,
} from "./model.ts";
import { checkDate, checkTimestamp, encodeBase64, writeCount, writeText } from "./values.ts";

const XLINK_NAMESPACE = "http://www.w3.org/1999/xlink";

type Tree = { [name: string]: string | Tree | Tree[] };

/** Builds the elements of a list of [name, value] pairs, leaving out undefined values. */
function el(entries: [string, string | Tree | Tree[] | undefined][], prefix = "edXML:"): Tree {
  const out: Tree = {};
  for (const [name, value] of entries) if (value !== undefined) out[name.startsWith("@_") ? name : prefix + name] = value;
  return out;
}

function text(value: string, path: string): string {
  return writeText(value, path);
}

function optText(value: string | undefined, path: string): string | undefined {
  return value === undefined ? undefined : writeText(value, path);
}

function optCount(value: number | undefined, path: string): string | undefined {
  return value === undefined ? undefined : writeCount(value, path);
}

function documentId(value: string, path: string): string {
  parseDocumentId(writeText(value, path), path);
  return value;
}

function organization(org: Organization, p: string): Tree {
  return el([
    ["OrganId", text(org.organId, `${p}/OrganId`)],
    ["OrganizationInCharge", optText(org.organizationInCharge, `${p}/OrganizationInCharge`)],
    ["OrganName", text(org.organName, `${p}/OrganName`)],
    ["OrganAdd", optText(org.organAdd, `${p}/OrganAdd`)],
    ["Email", optText(org.email, `${p}/Email`)],
    ["Telephone", optText(org.telephone, `${p}/Telephone`)],
    ["Fax", optText(org.fax, `${p}/Fax`)],
    ["Website", optText(org.website, `${p}/Website`)],
  ]);
}

function responseFor(r: ResponseFor, p: string): Tree {
  return el([
    ["OrganId", text(r.organId, `${p}/OrganId`)],
    ["Code", text(r.code, `${p}/Code`)],
    ["PromulgationDate", checkDate(r.promulgationDate, `${p}/PromulgationDate`)],
    ["DocumentId", documentId(r.documentId, `${p}/DocumentId`)],
  ]);
}

function staffInfo(s: StaffInfo, p: string): Tree {
  return el([
    ["Department", optText(s.department, `${p}/Department`)],
    ["Staff", optText(s.staff, `${p}/Staff`)],
    ["Mobile", optText(s.mobile, `${p}/Mobile`)],
    ["Email", optText(s.email, `${p}/Email`)],
  ]);
}

/** A list element holding `item`s, left out when the list is empty. */
function list(values: string[], p: string, item: string): Tree | undefined {
  if (!Array.isArray(values)) throw new EdxmlError(p, "expected a list");
  if (values.length === 0) return undefined;
  return el([[item, values.map((v, i) => text(v, `${p}/${item}[${i + 1}]`) as unknown as Tree)]]);
}

function messageHeader(h: MessageHeader): Tree {
  const p = "edXMLHeader/MessageHeader";
  if (!Array.isArray(h.to) || h.to.length === 0) throw new EdxmlError(`${p}/To`, "missing (a document goes to at least one agency)");
  const other = h.otherInfo;
  const o = `${p}/OtherInfo`;
  return el([
    ["From", organization(h.from, `${p}/From`)],
    ["To", h.to.map((t, i) => organization(t, `${p}/To[${i + 1}]`))],
    ["Code", el([
      ["CodeNumber", text(h.code.codeNumber, `${p}/Code/CodeNumber`)],
      ["CodeNotation", text(h.code.codeNotation, `${p}/Code/CodeNotation`)],
    ])],
    ["PromulgationInfo", el([
      ["Place", text(h.promulgationInfo.place, `${p}/PromulgationInfo/Place`)],
      ["PromulgationDate", checkDate(h.promulgationInfo.promulgationDate, `${p}/PromulgationInfo/PromulgationDate`)],
    ])],
    ["DocumentType", el([
      ["Type", writeCount(h.documentType.type, `${p}/DocumentType/Type`)],
      ["TypeName", text(h.documentType.typeName, `${p}/DocumentType/TypeName`)],
    ])],
    ["Subject", text(h.subject, `${p}/Subject`)],
    ["Content", optText(h.content, `${p}/Content`)],
    ["SignerInfo", el([
      ["Competence", optText(h.signerInfo.competence, `${p}/SignerInfo/Competence`)],
      ["Position", optText(h.signerInfo.position, `${p}/SignerInfo/Position`)],
      ["FullName", text(h.signerInfo.fullName, `${p}/SignerInfo/FullName`)],
    ])],
    ["DueDate", h.dueDate === undefined ? undefined : checkDate(h.dueDate, `${p}/DueDate`)],
    ["ToPlaces", list(h.toPlaces, `${p}/ToPlaces`, "Place")],
    ["OtherInfo", other && el([
      ["Priority", optCount(other.priority, `${o}/Priority`)],
      ["SphereOfPromulgation", optText(other.sphereOfPromulgation, `${o}/SphereOfPromulgation`)],
      ["TyperNotation", optText(other.typerNotation, `${o}/TyperNotation`)],
      ["PromulgationAmount", optCount(other.promulgationAmount, `${o}/PromulgationAmount`)],
      ["PageAmount", optCount(other.pageAmount, `${o}/PageAmount`)],
      ["Appendixes", list(other.appendixes, `${o}/Appendixes`, "Appendix")],
    ])],
    ["ResponseFor", h.responseFor.length ? h.responseFor.map((r, i) => responseFor(r, `${p}/ResponseFor[${i + 1}]`)) : undefined],
    ["SteeringType", optCount(h.steeringType, `${p}/SteeringType`)],
    ["DocumentId", documentId(h.documentId, `${p}/DocumentId`)],
  ]);
}

function traces(list: TraceHeader[], p: string): Tree[] | undefined {
  if (list.length === 0) return undefined;
  return list.map((t, i) =>
    el([
      ["OrganId", text(t.organId, `${p}[${i + 1}]/OrganId`)],
      ["Timestamp", checkTimestamp(t.timestamp, `${p}[${i + 1}]/Timestamp`)],
    ]),
  );
}

function bussiness(b: Bussiness): Tree {
  const p = "edXMLHeader/TraceHeaderList/Bussiness";
  if (!(BUSSINESS_DOC_TYPES as readonly number[]).includes(b.bussinessDocType)) {
    throw new EdxmlError(`${p}/BussinessDocType`, `${String(b.bussinessDocType)} is not one of ${BUSSINESS_DOC_TYPES.join(", ")}`);
  }
  const r = `${p}/ReplacementInfoList/ReplacementInfo`;
  return el([
    ["BussinessDocType", String(b.bussinessDocType)],
    ["BussinessDocReason", optText(b.bussinessDocReason, `${p}/BussinessDocReason`)],
    ["DocumentId", b.documentId === undefined ? undefined : documentId(b.documentId, `${p}/DocumentId`)],
    ["StaffInfo", b.staffInfo && staffInfo(b.staffInfo, `${p}/StaffInfo`)],
    ["Paper", optCount(b.paper, `${p}/Paper`)],
    ["ReplacementInfoList", b.replacementInfoList.length === 0 ? undefined : el([
      ["ReplacementInfo", b.replacementInfoList.map((info, i) => el([
        ["DocumentId", documentId(info.documentId, `${r}[${i + 1}]/DocumentId`)],
        ["OrganIdList", list(info.organIds, `${r}[${i + 1}]/OrganIdList`, "OrganId")],
      ]))],
    ])],
  ]);
}

/** The manifest's References and the AttachmentEncoded Attachments of a document's files. */
function files(doc: EdxmlDocument): { references: Tree[]; encoded: Tree[] } {
  const references: Tree[] = [];
  const encoded: Tree[] = [];
  const seen = new Set<string>();
  doc.attachments.forEach((a, i) => {
    const p = `AttachmentEncoded/Attachment[${i + 1}]`;
    const cid = text(a.contentId, `${p}/ContentId`);
    if (/\s|^cid:/i.test(cid)) throw new EdxmlError(`${p}/ContentId`, `${JSON.stringify(cid)}: no white space and no "cid:"`);
    if (seen.has(cid)) throw new EdxmlError(`${p}/ContentId`, `${cid} appears on two attachments`);
    seen.add(cid);
    const description = optText(a.description, `${p}/Description`);
    const name = text(a.attachmentName, `${p}/AttachmentName`);
    const type = text(a.contentType, `${p}/ContentType`);
    references.push(
      el([
        ["@_xlink:href", `cid:${cid}`],
        ["@_xlink:type", "simple"],
        ["Description", description],
        ["AttachmentName", name],
        ["ContentType", type],
        ["ContentId", `cid:${cid}`],
      ]),
    );
    encoded.push(
      el([
        ["ContentType", type],
        ["ContentId", cid],
        ["Description", description],
        ["ContentTransferEncoded", encodeBase64(a.content, `${p}/ContentTransferEncoded`)],
        ["AttachmentName", name],
      ], ""),
    );
  });
  return { references, encoded };
}

function statusHeader(s: EdxmlStatus): Tree {
  const p = "edXMLHeader/MessageStatus";
  if (!(STATUS_CODES as readonly string[]).includes(s.statusCode)) {
    throw new EdxmlError(`${p}/StatusCode`, `${JSON.stringify(s.statusCode)} is not a status code (${STATUS_CODES.join(", ")})`);
  }
  return el([
    ["ResponseFor", responseFor(s.responseFor, `${p}/ResponseFor`)],
    ["From", organization(s.from, `${p}/From`)],
    ["StatusCode", s.statusCode],
    ["Description", optText(s.description, `${p}/Description`)],
    ["Timestamp", checkTimestamp(s.timestamp, `${p}/Timestamp`)],
    ["StaffInfo", s.staffInfo && staffInfo(s.staffInfo, `${p}/StaffInfo`)],
  ]);
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };
const escape = (s: string) => (/[&<>"']/.test(s) ? s.replace(/[&<>"']/g, (c) => ENTITIES[c]!) : s);

/**
 * Writes `value` as the element(s) `name`, indented two spaces a level: a list as one element per item, text inline,
 * `@_`-keys as attributes, an element without content as `<name/>`.
 */
function writeTree(name: string, value: string | Tree | Tree[], indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) writeTree(name, item, indent, out);
    return;
  }
  if (typeof value === "string") {
    out.push(value === "" ? `${indent}<${name}/>\n` : `${indent}<${name}>${escape(value)}</${name}>\n`);
    return;
  }
  let attrs = "";
  const children: Array<[string, string | Tree | Tree[]]> = [];
  for (const [key, v] of Object.entries(value)) {
    if (key.startsWith("@_")) attrs += ` ${key.slice(2)}="${escape(v as string)}"`;
    else children.push([key, v]);
  }
  if (children.length === 0) {
    out.push(`${indent}<${name}${attrs}/>\n`);
    return;
  }
  out.push(`${indent}<${name}${attrs}>\n`);
  for (const [key, v] of children) writeTree(key, v, `${indent}  `, out);
  out.push(`${indent}</${name}>\n`);
}

/** The XML of a message (see codec.ts for where a signature goes). */
export function writeMessage(message: EdxmlMessage): string {
  let header: Tree;
  let body: Tree | undefined;
  let encoded: Tree[] = [];
  if (message.kind === "document") {
    const f = files(message);
    encoded = f.encoded;
    header = {
      "edXML:MessageHeader": messageHeader(message.header),
      "edXML:TraceHeaderList": el([
        ["TraceHeader", traces(message.traces, "edXMLHeader/TraceHeaderList/TraceHeader")],
        ["Bussiness", bussiness(message.bussiness)],
      ]),
    };
    body = { "edXML:edXMLManifest": { "@_version": "1.0", ...(f.references.length && { "edXML:Reference": f.references }) } };
  } else if (message.kind === "status") {
    const list = traces(message.traces, "edXMLHeader/TraceHeaderList/TraceHeader");
    header = {
      "edXML:MessageStatus": statusHeader(message),
      ...(list && { "edXML:TraceHeaderList": { "edXML:TraceHeader": list } }),
    };
  } else {
    throw new EdxmlError("edXML", `unknown message kind ${JSON.stringify((message as { kind: unknown }).kind)}`);
  }
  const root: Tree = {
    "@_xmlns": EDXML_NAMESPACE,
    "@_xmlns:edXML": EDXML_NAMESPACE,
    ...(body && { "@_xmlns:xlink": XLINK_NAMESPACE }),
    "edXML:edXMLEnvelope": { "edXML:edXMLHeader": header, ...(body && { "edXML:edXMLBody": body }) },
    ...(encoded.length && { AttachmentEncoded: { Attachment: encoded } }),
  };
  const out = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  writeTree("edXML", root, "", out);
  return out.join("");
}

