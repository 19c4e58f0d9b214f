// The content of one version of an administrative procedure (thủ tục hành chính, DOMAIN.md §5).
// A version is a whole document: the catalogue keeps every published version unchanged, and a dossier
// keeps the version it was filed under, so these shapes are also what a dossier's rules are read from.
import { type Static, Type } from "../../platform/typebox.ts";
import type { Role } from "../../platform/auth/actor.ts";
import { Literals, Nullable } from "../../platform/http/schema.ts";

const Text = (max: number, description?: string) => Type.String({ minLength: 1, maxLength: max, ...(description ? { description } : {}) });
const Key = Type.String({ pattern: "^[a-z][a-z0-9_-]{0,39}$", description: "stable machine key, lower case" });
const IsoDate = Type.String({ pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", description: "yyyy-MM-dd" });

export { Literals } from "../../platform/http/schema.ts";

/** National code `1.001234`, optionally with the publishing agency's suffix and a service variant `.02`. */
export const PROCEDURE_CODE_PATTERN = "^[0-9]\\.[0-9]{6}(\\.[0-9A-Z]{3}\\.[0-9A-Z]{2}\\.[0-9A-Z]{2}\\.[A-Z][0-9]{2})?(\\.[0-9]{2})?$";
export const ProcedureCode = Type.String({
  pattern: PROCEDURE_CODE_PATTERN,
  description: "Mã TTHC: `1.001234`, `1.011442.000.00.00.H38`, a variant may add `.02`",
  examples: ["1.001193"],
});

export const CHANNELS = ["online", "counter", "post"] as const;
export type Channel = (typeof CHANNELS)[number];
export const Channel = Literals(CHANNELS, "online (trực tuyến), counter (trực tiếp), post (bưu chính công ích)");

export const LEVELS = ["ministry", "province", "commune"] as const;
export const AUDIENCES = ["citizen", "business"] as const;
export const ONLINE_LEVELS = ["full", "partial"] as const;
/** `same_day`: "trong ngày", the result the day received, or the next working day after the cut-off (amount 1). */
export const TIME_UNITS = ["working_days", "days", "hours", "same_day"] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];
/** Who acts in a step of a procedure's process: the role its officers hold (the dossier's plan follows it). */
export const STEP_ROLES = ["receiver", "specialist", "leader"] as const satisfies readonly Role[];
export type StepRole = (typeof STEP_ROLES)[number];


/** Thành phần hồ sơ: one paper of the dossier, uploaded under its key. */
export const Component = Type.Object(
  {
    key: Key,
    name: Text(500),
    required: Type.Boolean(),
    /** How many of each the applicant brings at the counter (bản chính / bản sao chứng thực / bản sao). */
    counts: Type.Object({
      original: Type.Integer({ minimum: 0, maximum: 20 }),
      certifiedCopy: Type.Integer({ minimum: 0, maximum: 20 }),
      copy: Type.Integer({ minimum: 0, maximum: 20 }),
    }),
    /** Media types accepted for the upload (checked against the bytes, not the name). */
    fileTypes: Type.Array(Type.String({ pattern: "^[a-z]+/[a-z0-9.+-]+$" }), { minItems: 1, maxItems: 10 }),
    /** The blank form (tờ khai) to fill in, when there is one: its name as published. */
    template: Type.Optional(Nullable(Text(300))),
    note: Type.Optional(Nullable(Text(1000))),
    /**
     * The paper is the declaration (tờ khai, đơn, giấy đề nghị…) that the procedure's e-form is: filed online, the
     * e-form filled in is that paper, so no file of it is asked for; at the counter the paper stays required.
     */
    replacedByEForm: Type.Optional(Type.Boolean()),
    /** The paper is only shown in person (xuất trình): never uploaded, on any channel, and never required to be. */
    shownOnly: Type.Optional(Type.Boolean()),
    /**
     * What the paper proves a national registry holds (issue 18, once-only): filed online by an applicant who let
     * the registry be read for the dossier, it is not asked for (e.g. a copy of the CCCD, a residence confirmation).
     */
    replacedByRegistry: Type.Optional(Literals(["population", "business", "civil_status"] as const, "the registry that stands for the paper")),
  },
  { additionalProperties: false },
);
export type Component = Static<typeof Component>;

/**
 * Whether a dossier filed on `channel` must carry a file of the component (issue 14, item 9; DOMAIN.md §5; the
 * electronic-procedure rules of Decree 45/2020/NĐ-CP, whose text was not checked here): a required paper, unless
 * it is only shown in person, or it is the declaration the e-form replaces and the dossier was filed online.
 */
export function needsUpload(
  c: Pick<Component, "required" | "replacedByEForm" | "shownOnly" | "replacedByRegistry">,
  channel: Channel,
  registriesRead: readonly string[] = [],
): boolean {
  if (!c.required || c.shownOnly === true) return false;
  if (channel === "online" && c.replacedByRegistry && registriesRead.includes(c.replacedByRegistry)) return false;
  return !(channel === "online" && c.replacedByEForm === true);
}

/** What of an applicant's account a form field can start with (`FieldHint.prefill`). */
export const PREFILL_FACTS = ["fullName", "idNumber", "birthDate", "sex", "address", "email"] as const;
export type PrefillFact = (typeof PREFILL_FACTS)[number];

/** The national registries a form field or a paper can be read from (the registries module's connectors). */
export const REGISTRY_SOURCES = ["population", "business", "civil_status"] as const;
export type RegistrySource = (typeof REGISTRY_SOURCES)[number];

/**
 * The fields of each registry's answer a form field can be filled from (the registries module's CitizenDto and
 * BusinessDto; an address is written as one line). The civil-status register answers events, not a person's
 * fields: it stands for papers (`replacedByRegistry`) only.
 */
export const REGISTRY_FIELDS: Record<RegistrySource, readonly string[]> = {
  population: ["cccd", "fullName", "birthDate", "sex", "nationality", "permanentResidence", "currentResidence", "maritalStatus"],
  business: ["taxCode", "name", "address", "legalRepresentative.fullName", "legalRepresentative.cccd", "status", "registeredOn"],
  civil_status: [],
};

/**
 * A form field read from a national registry (issue 18, once-only): the registry, the field of its answer (a dotted
 * path into the registries module's CitizenDto or BusinessDto, e.g. `permanentResidence`), and whether the registry
 * is authoritative for it (the value is then shown read-only and the server refuses another).
 */
export const RegistryHint = Type.Object(
  {
    source: Literals(REGISTRY_SOURCES, "the national registry"),
    field: Type.String({ pattern: "^[a-zA-Z]+(\\.[a-zA-Z]+)*$", maxLength: 100, description: "the field of the registry's answer" }),
    authoritative: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type RegistryHint = Static<typeof RegistryHint>;

/** UI hints of one form field: what the generated form shows next to the JSON Schema property. */
export const FieldHint = Type.Object(
  {
    label: Text(300),
    help: Type.Optional(Text(1000)),
    placeholder: Type.Optional(Text(200)),
    widget: Type.Optional(Literals(["text", "textarea", "date", "select", "radio", "checkbox", "number", "email", "tel"] as const, "how the field is drawn")),
    /**
     * The fact of the applicant's own account a new online dossier starts this field with (it is theirs, not
     * another person's: the requester's date of birth, never the child's).
     */
    prefill: Type.Optional(Literals(PREFILL_FACTS, "the applicant's account fact this field starts with")),
    /** The national registry field this field is filled from once the applicant agrees (it is theirs too). */
    registry: Type.Optional(RegistryHint),
  },
  { additionalProperties: false },
);

/**
 * The dossier's form (tờ khai) as JSON Schema (draft-07, an object of named properties) plus UI hints:
 * the label and help text of each property in Vietnamese, and the order the fields are shown in.
 */
export const FormDefinition = Type.Object(
  {
    schema: Type.Record(Type.String(), Type.Unknown(), { description: "JSON Schema (draft-07) of the form data, type object" }),
    ui: Type.Object(
      {
        order: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 200 }),
        fields: Type.Record(Type.String(), FieldHint),
        /**
         * The fields whose values say what a dossier is about (its trích yếu beside the procedure's name: the child
         * of a birth registration, the two spouses, a building's address), so an applicant's and an office's lists
         * tell two dossiers of one procedure apart.
         */
        subject: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 4 })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type FormDefinition = Static<typeof FormDefinition>;

/** Phí or lệ phí: a fixed amount in VND, possibly for one channel only, with its exemptions. */
export const Fee = Type.Object(
  {
    key: Key,
    name: Text(300),
    kind: Literals(["fee", "charge"] as const, "fee = lệ phí, charge = phí"),
    amount: Type.Integer({ description: "VND; a negative amount is refused at publishing" }),
    /** Only for this channel (e.g. a lower fee online); null for every channel. */
    channel: Nullable(Channel),
    exemptions: Type.Array(
      Type.Object({ description: Text(1000), legalBasis: Type.Optional(Text(300)) }, { additionalProperties: false }),
      { maxItems: 20 },
    ),
  },
  { additionalProperties: false },
);
export type Fee = Static<typeof Fee>;

export const ProcessingTime = Type.Object(
  {
    channel: Channel,
    amount: Type.Number({ exclusiveMinimum: 0, maximum: 3650, description: "1 for same_day" }),
    unit: Literals(TIME_UNITS, "working_days (ngày làm việc), days (ngày), hours (giờ làm việc), same_day (trong ngày)"),
    /**
     * Working days counted from the next working day when the dossier is received after the agency's cut-off
     * (15:00 by default). False when absent: the cut-off moves only the transfer to the processing unit, not
     * the deadline (DOMAIN.md §3; the procedure's own published decision says when it is otherwise).
     */
    countFromNextDayAfterCutoff: Type.Optional(Type.Boolean()),
    note: Type.Optional(Text(500)),
  },
  { additionalProperties: false },
);
export type ProcessingTime = Static<typeof ProcessingTime>;

export const LegalBasis = Type.Object(
  {
    /** Số hiệu, e.g. `60/2014/QH13`. */
    number: Text(100),
    /** Trích yếu, e.g. `Luật Hộ tịch`. */
    title: Text(500),
    issuedOn: Type.Optional(IsoDate),
    effectiveFrom: IsoDate,
    effectiveTo: Type.Optional(Nullable(IsoDate)),
  },
  { additionalProperties: false },
);
export type LegalBasis = Static<typeof LegalBasis>;

/**
 * One step of the process template (trình tự). `hours` is the step's share of the procedure's time in
 * working hours; the shares add up to the longest channel's time, and a faster channel scales every
 * share by the same ratio. A step with `agency` is done by another agency (liên thông).
 */
export const Step = Type.Object(
  {
    key: Key,
    name: Text(300),
    role: Literals(STEP_ROLES, "who acts in the step"),
    /** A department (phòng ban) code of the implementing agency, or null for the agency to choose. */
    department: Nullable(Type.String({ pattern: "^[a-z0-9-]{1,64}$" })),
    /** Another agency's QCVN 102 code for an inter-agency step, else null. */
    agency: Nullable(Type.String({ pattern: "^[0-9A-Z]{3}\\.[0-9A-Z]{2}\\.[0-9A-Z]{2}\\.[A-Z][0-9]{2}$" })),
    hours: Type.Number({ exclusiveMinimum: 0 }),
    leaderSigns: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type Step = Static<typeof Step>;

export const ProcedureContent = Type.Object(
  {
    code: ProcedureCode,
    /**
     * The code is not a national one (mã TTHC of the national catalogue) but made up for an example, as in the demo
     * catalogue (data/catalog/README.md): the procedure page says so, so that nobody takes it for a real one.
     */
    illustrative: Type.Optional(Type.Boolean()),
    name: Text(500),
    /** A short plain-language summary shown in search results (searched below the name). */
    description: Type.Optional(Text(4000)),
    /** Lĩnh vực, e.g. `{ code: "HT", name: "Hộ tịch" }`. */
    field: Type.Object({ code: Type.String({ pattern: "^[A-Za-z0-9_.-]{1,40}$" }), name: Text(200) }, { additionalProperties: false }),
    levels: Type.Array(Literals(LEVELS, "ministry, province, commune"), { minItems: 1, uniqueItems: true }),
    /** Implementing agencies (cơ quan thực hiện), QCVN 102 codes. */
    agencies: Type.Array(Type.String({ pattern: "^[0-9A-Z]{3}\\.[0-9A-Z]{2}\\.[0-9A-Z]{2}\\.[A-Z][0-9]{2}$" }), { minItems: 1, maxItems: 500, uniqueItems: true }),
    audience: Type.Array(Literals(AUDIENCES, "citizen, business"), { minItems: 1, uniqueItems: true }),
    /** Decree 42/2022: full = toàn trình, partial = một phần. */
    onlineLevel: Literals(ONLINE_LEVELS, "full = toàn trình, partial = một phần"),
    /** The electronic identification level an online applicant needs (0 password, 1 or 2 VNeID). */
    assuranceLevel: Type.Integer({ minimum: 0, maximum: 2 }),
    components: Type.Array(Component, { maxItems: 100 }),
    form: FormDefinition,
    fees: Type.Array(Fee, { maxItems: 50 }),
    processingTimes: Type.Array(ProcessingTime, { minItems: 1, maxItems: 3 }),
    results: Type.Array(Type.Object({ name: Text(500), electronic: Type.Boolean() }, { additionalProperties: false }), { minItems: 1, maxItems: 20 }),
    /** Yêu cầu, điều kiện. */
    conditions: Type.Array(Type.String({ minLength: 1, maxLength: 2000, pattern: "^[^\\r\\n]+$", description: "one condition, one line" }), { maxItems: 50 }),
    legalBasis: Type.Array(LegalBasis, { minItems: 1, maxItems: 50 }),
    steps: Type.Array(Step, { minItems: 1, maxItems: 50 }),
  },
  { additionalProperties: false },
);
export type ProcedureContent = Static<typeof ProcedureContent>;

/** Working hours in one working day (DOMAIN.md §4: implementations count 1 day = 8 h). */
export const HOURS_PER_WORKING_DAY = 8;

/** A processing time in working hours, the unit step shares are stated in (a same-day time: one working day). */
export function timeInHours(t: Pick<ProcessingTime, "amount" | "unit">): number {
  if (t.unit === "same_day") return HOURS_PER_WORKING_DAY;
  return t.unit === "hours" ? t.amount : t.amount * HOURS_PER_WORKING_DAY;
}
