-- +goose Up
-- Where applicants may work from, the hours a job needs and what a co-op
-- tells seekers of the way to membership, pay, hours, seniority and
-- decisions. eligible is a JSON array of codes (countries, regions or
-- "anywhere"), for remote jobs only; job_terms holds them too, kind 'e'.
-- A remote job's country used to say whom it was open to: it becomes
-- the job's eligibility, and a remote job with no country is open to
-- anywhere. city_key is the city lower-cased, accents folded by the
-- store; rows written before it get lower(city).
ALTER TABLE jobs ADD COLUMN eligible TEXT NOT NULL DEFAULT '[]';
ALTER TABLE jobs ADD COLUMN city_key TEXT NOT NULL DEFAULT '';
-- A window of hours: an IANA zone ('' for none) and minutes after midnight.
ALTER TABLE jobs ADD COLUMN hours_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN hours_start INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN hours_end INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN hours_per_week INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN seniority TEXT NOT NULL DEFAULT '';
-- NULL when the job does not say whether it leads to membership.
ALTER TABLE jobs ADD COLUMN membership INTEGER CHECK (membership IN (0, 1));
ALTER TABLE jobs ADD COLUMN trial_months INTEGER NOT NULL DEFAULT 0;
-- NULL when no capital contribution is stated; 0 when there is none.
ALTER TABLE jobs ADD COLUMN capital_amount INTEGER;
ALTER TABLE jobs ADD COLUMN capital_currency TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN pay_policy TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN pay_ratio REAL NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN decisions TEXT NOT NULL DEFAULT '';
UPDATE jobs SET eligible = CASE
        WHEN country = '' THEN '["anywhere"]'
        ELSE json_array(CASE country WHEN 'AF' THEN 'AFG' WHEN 'AS' THEN 'ASM' WHEN 'NA' THEN 'NAM' WHEN 'SA' THEN 'SAU' ELSE country END)
    END
WHERE remote = 'remote';
UPDATE jobs SET city_key = lower(trim(city)) WHERE city <> '';
INSERT OR IGNORE INTO job_terms (job_id, kind, value, valid_through)
SELECT jobs.id, 'e', e.value, jobs.valid_through FROM jobs, json_each(jobs.eligible) AS e;
CREATE INDEX jobs_seniority ON jobs (seniority, valid_through);
CREATE INDEX jobs_place ON jobs (country, city_key, remote);

-- +goose Down
DROP INDEX jobs_place;
DROP INDEX jobs_seniority;
DELETE FROM job_terms WHERE kind = 'e';
ALTER TABLE jobs DROP COLUMN decisions;
ALTER TABLE jobs DROP COLUMN pay_ratio;
ALTER TABLE jobs DROP COLUMN pay_policy;
ALTER TABLE jobs DROP COLUMN capital_currency;
ALTER TABLE jobs DROP COLUMN capital_amount;
ALTER TABLE jobs DROP COLUMN trial_months;
ALTER TABLE jobs DROP COLUMN membership;
ALTER TABLE jobs DROP COLUMN seniority;
ALTER TABLE jobs DROP COLUMN hours_per_week;
ALTER TABLE jobs DROP COLUMN hours_end;
ALTER TABLE jobs DROP COLUMN hours_start;
ALTER TABLE jobs DROP COLUMN hours_zone;
ALTER TABLE jobs DROP COLUMN city_key;
ALTER TABLE jobs DROP COLUMN eligible;
