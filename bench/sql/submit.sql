-- The SQL of one online submission (POST /api/dossiers with submit: true), for pgbench: the baseline of
-- bench/dossiers.ts. One transaction, as the service runs it when the filing has nothing to object to
-- (service.filing.ts createNew, transitions.ts takeDossierCode and recordFiling): the dossier's code taken from its
-- receiving centre's daily counter (one of the bench's 100 centres, :agencies, as bench/dossiers.ts spreads the
-- filings), the dossier written in its filed state with it, its audit entry, the history event of its submission
-- and that event's audit entry. The listeners queue nothing for a submission (no mail to the applicant, no
-- national sync configured). The application takes the code in one message, then sends the dossier, its event and
-- the two audit entries with the COMMIT in a second; pgbench sends each statement on its own. The reads the service
-- makes outside the transaction (the account and its roles, the version in force) and the token's check
-- are the application's cost, measured by the ratio.
-- :citizen (the owner's user id), :actor (its audit reference) and :digest (an audit change digest) are set
-- with -D; run with -M prepared, so they are bound as parameters as the application binds them. pgbench
-- reads a colon before a word as a variable even inside a literal: hence no JSON text, no 'user:…'.
\set a random(1, 100)
BEGIN;
INSERT INTO dossier_counters (agency_code, day, last)
VALUES (split_part(:agencies, ',', :a), (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, 1)
ON CONFLICT (agency_code, day) DO UPDATE SET last = dossier_counters.last + 1 RETURNING agency_code, last::text AS number
\gset c_
INSERT INTO dossiers (code, procedure_code, procedure_version, agency_code, province_code, processing_agency_code, channel, status,
  national_status, applicant, owner_user_id, form_data, created_by, request_id, created_at, updated_at, submitted_at)
VALUES (:c_agency_code::text || '-' || to_char(now() AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYMMDD') || '-' || lpad(:c_number::text, greatest(4, length(:c_number::text)), '0'),
  '1.800099', 1, :c_agency_code, '24', :c_agency_code, 'online', 'new', 1,
  jsonb_build_object('type', 'citizen', 'name', 'Nguyễn Thị Mai', 'idNumber', '001199000001', 'phone', NULL, 'email', 'mai.nguyen@example.vn', 'address', NULL),
  :citizen, jsonb_build_object('hoTen', 'Nguyễn Thị Mai', 'soCccd', '001199000001'), :actor, gen_random_uuid()::text, now(), now(), now())
ON CONFLICT DO NOTHING RETURNING *
\gset d_
INSERT INTO audit_log (at, actor, action, subject_type, subject_id, request_id, change_digest)
VALUES (now(), :actor, 'dossier.create', 'dossier', :d_id, 'pgbench', :digest);
INSERT INTO dossier_events (dossier_id, province_code, at, actor, actor_name, action, from_status, to_status, note, details)
VALUES (:d_id, '24', now(), :actor, 'Người nộp hồ sơ', 'submit', 'draft', 'new', NULL, NULL) RETURNING *;
INSERT INTO audit_log (at, actor, action, subject_type, subject_id, request_id, change_digest)
VALUES (now(), :actor, 'dossier.submit', 'dossier', :d_id, 'pgbench', :digest);
COMMIT;
