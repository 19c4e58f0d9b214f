// The packages an inter-agency step travels in (docs/ARCHITECTURE.md, "Inter-agency dossiers across nodes"): an
// edXML document whose attachment `package` is this JSON, beside the files it names by content id. Versioned by
// `format`; a node reads only the formats it knows, validated on receipt.
import { type Static, Type, Value } from "../../platform/typebox.ts";

/** The edXML DocumentType of a step sent to another node (hồ sơ liên thông), and of its result. */
export const REQUEST_TYPE = { type: 90, typeName: "Hồ sơ liên thông" } as const;
export const RESULT_TYPE = { type: 91, typeName: "Kết quả giải quyết hồ sơ liên thông" } as const;
/** The attachment holding the JSON package; the others are named by it. */
export const PACKAGE_ID = "package";
export const PACKAGE_NAME = "ho-so-lien-thong.json";
export const FORMAT = "motcua.lien-thong/1";

const Instant = Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$" });
const Code = Type.String({ minLength: 1, maxLength: 64 });
const Name = Type.String({ minLength: 1, maxLength: 500 });
const FileRef = Type.Object({ contentId: Code, name: Name, contentType: Type.String({ maxLength: 200 }), component: Type.Union([Code, Type.Null()]) });

/** Which origin dossier and which passage of which step a package belongs to: the idempotency key on both ends. */
export const Origin = Type.Object({
  dossierCode: Code,
  agencyCode: Code,
  agencyName: Name,
  stepIndex: Type.Integer({ minimum: 0 }),
  /** 1 for the first time the step is sent, one more each time it is sent again (after a refusal). */
  round: Type.Integer({ minimum: 1 }),
});
export type Origin = Static<typeof Origin>;

export const RequestPackage = Type.Object({
  format: Type.Literal(FORMAT),
  kind: Type.Literal("request"),
  origin: Origin,
  procedure: Type.Object({ code: Code, version: Type.Integer({ minimum: 1 }), name: Name }),
  channel: Type.Union([Type.Literal("online"), Type.Literal("counter"), Type.Literal("post")]),
  step: Type.Object({
    key: Code,
    name: Name,
    role: Type.Union([Type.Literal("receiver"), Type.Literal("specialist"), Type.Literal("leader")]),
    department: Type.Union([Code, Type.Null()]),
    hours: Type.Number({ minimum: 0 }),
    leaderSigns: Type.Boolean(),
    agencyCode: Code,
    dueAt: Instant,
  }),
  applicant: Type.Object({
    type: Type.Union([Type.Literal("citizen"), Type.Literal("business")]),
    name: Name,
    idNumber: Code,
    phone: Type.Union([Type.String({ maxLength: 32 }), Type.Null()]),
    email: Type.Union([Type.String({ maxLength: 254 }), Type.Null()]),
    address: Type.Union([Type.String({ maxLength: 500 }), Type.Null()]),
  }),
  formData: Type.Record(Type.String(), Type.Unknown()),
  /** The dossier's legal due time at the origin. */
  dossierDueAt: Type.Union([Instant, Type.Null()]),
  components: Type.Array(FileRef, { maxItems: 200 }),
});
export type RequestPackage = Static<typeof RequestPackage>;

export const ResultPackage = Type.Object({
  format: Type.Literal(FORMAT),
  kind: Type.Literal("result"),
  origin: Origin,
  agency: Type.Object({ code: Code, name: Name }),
  /** approved: the step is done, the origin goes on; refused: the origin goes back a step with the reason. */
  decision: Type.Union([Type.Literal("approved"), Type.Literal("refused")]),
  reason: Type.Union([Type.String({ maxLength: 4000 }), Type.Null()]),
  officer: Type.Union([Name, Type.Null()]),
  receivedAt: Instant,
  finishedAt: Instant,
  result: Type.Union([FileRef, Type.Null()]),
});
export type ResultPackage = Static<typeof ResultPackage>;

/** Thrown when a package cannot be read: the receiving side refuses the document (02) with this reason. */
export class UnreadablePackage extends Error {}

function read<T>(schema: Parameters<typeof Value.Check>[0], bytes: Uint8Array): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    throw new UnreadablePackage("the package is not JSON");
  }
  if (!Value.Check(schema, value)) {
    const first = Value.Errors(schema, value).First();
    throw new UnreadablePackage(`the package is not ${FORMAT}: ${first ? `${first.path} ${first.message}` : "invalid"}`);
  }
  return value as T;
}

export const readRequest = (bytes: Uint8Array) => read<RequestPackage>(RequestPackage, bytes);
export const readResult = (bytes: Uint8Array) => read<ResultPackage>(ResultPackage, bytes);
export const packageBytes = (p: RequestPackage | ResultPackage) => Buffer.from(JSON.stringify(p), "utf8");
