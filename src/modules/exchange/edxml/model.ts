// The edXML messages of QCVN 102:2016 (docs/DOMAIN.md §7) as values: what the codec builds from and parses into,
// what is signed, stored and routed. Element names map one to one (camelCase here, PascalCase on the wire); an
// optional element absent on the wire is `undefined` here (never an empty string), and lists are always arrays
// (empty when absent), so that parse(build(x)) deep-equals x.

/** An agency as From/To name it. `organId` is its QCVN 102:2016 code (e.g. `000.00.51.H06`). */
export interface Organization {
  organId: string;
  organizationInCharge?: string;
  organName: string;
  organAdd?: string;
  email?: string;
  telephone?: string;
  fax?: string;
  website?: string;
}

/** Số và ký hiệu: `7816` / `VPCP-TTĐT`. */
export interface DocumentCode {
  codeNumber: string;
  codeNotation: string;
}

/** A calendar date in the wire's own form, `yyyy/MM/dd`. */
export type EdxmlDate = string;
/** A moment on the wire as `yyyy/MM/dd HH:mm:ss` (Vietnam time, no zone). */
export type EdxmlTimestamp = string;

export interface PromulgationInfo {
  place: string;
  promulgationDate: EdxmlDate;
}

/** Loại văn bản: the numeric type and its name (e.g. 1 "Nghị quyết", 5 "Công văn"). */
export interface DocumentType {
  type: number;
  typeName: string;
}

export interface SignerInfo {
  competence?: string;
  position?: string;
  fullName: string;
}

export interface OtherInfo {
  priority?: number;
  sphereOfPromulgation?: string;
  typerNotation?: string;
  promulgationAmount?: number;
  pageAmount?: number;
  /** Phụ lục: each appendix's title. */
  appendixes: string[];
}

/** The document a message answers or refers to. */
export interface ResponseFor {
  organId: string;
  code: string;
  promulgationDate: EdxmlDate;
  documentId: string;
}

export interface MessageHeader {
  from: Organization;
  to: Organization[];
  code: DocumentCode;
  promulgationInfo: PromulgationInfo;
  documentType: DocumentType;
  subject: string;
  content?: string;
  signerInfo: SignerInfo;
  dueDate?: EdxmlDate;
  toPlaces: string[];
  otherInfo?: OtherInfo;
  responseFor: ResponseFor[];
  /** Chỉ đạo điều hành: 0 no, 1 yes (kept as the number sent). */
  steeringType?: number;
  /** `{OrganId},{yyyy/MM/dd},{CodeNumber}/{CodeNotation}` (see documentId.ts). */
  documentId: string;
}

/** One hop's mark: each node that handles the message appends one. */
export interface TraceHeader {
  organId: string;
  timestamp: EdxmlTimestamp;
}

export interface StaffInfo {
  department?: string;
  staff?: string;
  mobile?: string;
  email?: string;
}

export interface ReplacementInfo {
  documentId: string;
  organIds: string[];
}

/** BussinessDocType: 0 new · 1 revocation (thu hồi) · 2 update · 3 replacement. */
export const BUSSINESS_DOC_TYPES = [0, 1, 2, 3] as const;
export type BussinessDocType = (typeof BUSSINESS_DOC_TYPES)[number];

/** The TraceHeaderList's Bussiness element (the standard's own spelling). */
export interface Bussiness {
  bussinessDocType: BussinessDocType;
  bussinessDocReason?: string;
  documentId?: string;
  staffInfo?: StaffInfo;
  /** 1 when a paper copy is also sent. */
  paper?: number;
  replacementInfoList: ReplacementInfo[];
}

/** A file carried base64-encoded in AttachmentEncoded, referenced from the manifest by `cid:{contentId}`. */
export interface Attachment {
  contentId: string;
  contentType: string;
  attachmentName: string;
  description?: string;
  content: Uint8Array;
}

/** An official document (văn bản điện tử). */
export interface EdxmlDocument {
  kind: "document";
  header: MessageHeader;
  traces: TraceHeader[];
  bussiness: Bussiness;
  attachments: Attachment[];
}

/** Status codes of a status message (DOMAIN.md §7). */
export const STATUS_CODES = ["01", "02", "03", "04", "05", "06", "13", "15", "16"] as const;
export type StatusCode = (typeof STATUS_CODES)[number];

/** A status message (thông điệp trạng thái): the recipient's answer about a document. */
export interface EdxmlStatus {
  kind: "status";
  responseFor: ResponseFor;
  from: Organization;
  statusCode: StatusCode;
  description?: string;
  timestamp: EdxmlTimestamp;
  staffInfo?: StaffInfo;
  traces: TraceHeader[];
}

export type EdxmlMessage = EdxmlDocument | EdxmlStatus;

/** The edXML namespace of QCVN 102:2016. */
export const EDXML_NAMESPACE = "http://www.mic.gov.vn/TBT/QCVN_102_2016";
