/**
 * What sort of body an agency is. A closed list (the database checks it): adding a kind is a
 * migration, so every screen and report that groups agencies knows them all.
 */
export const AGENCY_KINDS = [
  /** Ủy ban nhân dân: a province's or a commune's People's Committee. */
  "people_committee",
  /** Trung tâm Phục vụ hành chính công, or a ministry's one-stop unit (Decree 118/2025/NĐ-CP). */
  "service_centre",
  /** Cơ quan chuyên môn: a Sở of a province, a specialised office. */
  "specialised_agency",
  /** Bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ. */
  "ministry",
  "other",
] as const;

export type AgencyKind = (typeof AGENCY_KINDS)[number];
