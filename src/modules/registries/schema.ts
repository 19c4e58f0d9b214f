// What the gateway answers, in motcua's words: every registry's answer is mapped to one of these and checked
// against it; an answer that does not match is refused, never passed on.
import { type Static, Type } from "../../platform/typebox.ts";

const Cccd = Type.String({ pattern: "^[0-9]{12}$" });
const TaxCode = Type.String({ pattern: "^[0-9]{10}(-[0-9]{3})?$" });
const IsoDate = Type.String({ pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" });
const Name = Type.String({ minLength: 1, maxLength: 200 });

/** An address with its 2025 administrative codes (5-digit commune, 2-digit province). */
export const AddressDto = Type.Object(
  {
    detail: Type.String({ maxLength: 300 }),
    communeCode: Type.String({ pattern: "^[0-9]{5}$" }),
    communeName: Name,
    provinceCode: Type.String({ pattern: "^[0-9]{2}$" }),
    provinceName: Name,
  },
  { additionalProperties: false },
);
export type AddressDto = Static<typeof AddressDto>;

export const RELATIONS = ["head", "spouse", "child", "parent", "other"] as const;
const Relation = Type.Union(RELATIONS.map((r) => Type.Literal(r)));

export const CitizenDto = Type.Object(
  {
    cccd: Cccd,
    fullName: Name,
    birthDate: IsoDate,
    sex: Type.Union([Type.Literal("male"), Type.Literal("female")]),
    nationality: Name,
    permanentResidence: AddressDto,
    currentResidence: AddressDto,
    maritalStatus: Type.Union([Type.Literal("single"), Type.Literal("married"), Type.Literal("divorced"), Type.Literal("widowed")]),
    household: Type.Object(
      {
        id: Type.String({ minLength: 1, maxLength: 50 }),
        relation: Relation,
        members: Type.Array(Type.Object({ cccd: Cccd, fullName: Name, relation: Relation }, { additionalProperties: false }), { maxItems: 50 }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type CitizenDto = Static<typeof CitizenDto>;

export const BusinessDto = Type.Object(
  {
    taxCode: TaxCode,
    name: Name,
    address: AddressDto,
    legalRepresentative: Type.Object({ cccd: Cccd, fullName: Name, title: Type.String({ maxLength: 100 }) }, { additionalProperties: false }),
    status: Type.Union([Type.Literal("active"), Type.Literal("suspended"), Type.Literal("dissolved")]),
    registeredOn: IsoDate,
    industries: Type.Array(
      Type.Object({ code: Type.String({ pattern: "^[0-9]{4,5}$" }), name: Name, main: Type.Boolean() }, { additionalProperties: false }),
      { minItems: 1, maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);
export type BusinessDto = Static<typeof BusinessDto>;

export const CivilEventDto = Type.Object(
  {
    kind: Type.Union([Type.Literal("birth"), Type.Literal("marriage")]),
    registrationNumber: Type.String({ minLength: 1, maxLength: 50 }),
    registeredOn: IsoDate,
    communeCode: Type.String({ pattern: "^[0-9]{5}$" }),
    communeName: Name,
    people: Type.Array(
      Type.Object(
        {
          role: Type.Union(["child", "father", "mother", "husband", "wife"].map((r) => Type.Literal(r))),
          cccd: Cccd,
          fullName: Name,
          birthDate: IsoDate,
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 10 },
    ),
  },
  { additionalProperties: false },
);
export type CivilEventDto = Static<typeof CivilEventDto>;

export const CivilEventsDto = Type.Object({ cccd: Cccd, events: Type.Array(CivilEventDto, { maxItems: 200 }) }, { additionalProperties: false });
export type CivilEventsDto = Static<typeof CivilEventsDto>;

/** What a look-up is for: every call carries it to the registry and into the record. */
export const LookupPurpose = Type.Object({
  purpose: Type.String({ minLength: 3, maxLength: 500 }),
  legalBasis: Type.String({ minLength: 3, maxLength: 500 }),
  dossierId: Type.String({ minLength: 1, maxLength: 100 }),
  /** An officer's lawful covert purpose (a key of MOTCUA_REGISTRY_COVERT_PURPOSES): disclosed to the person only after its delay. */
  covert: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
});
export type LookupPurpose = Static<typeof LookupPurpose>;
