-- +goose Up
-- Pay you can compare. Each job's monthly pay, the top of its range in
-- hundredths: salary_month in its own currency (an hour is 40 a week over
-- 52 weeks of 12 months, a year 12 months, rounded half up), and
-- salary_month_base in the exchange rates' base currency, set by the
-- store from the rates in use, NULL when its currency has no rate.
ALTER TABLE jobs ADD COLUMN salary_month INTEGER;
ALTER TABLE jobs ADD COLUMN salary_month_base INTEGER;
UPDATE jobs SET salary_month = CASE salary_period
        WHEN 'month' THEN salary_max * 100
        WHEN 'year' THEN (salary_max * 100 + 6) / 12
        WHEN 'hour' THEN (salary_max * 100 * 40 * 52 + 6) / 12
    END
WHERE salary_currency <> '' AND salary_max IS NOT NULL;
CREATE INDEX jobs_salary ON jobs (coalesce(salary_month_base, -1), published, id);
CREATE INDEX jobs_salary_own ON jobs (salary_currency, salary_month);

-- The exchange rates in use, one set: one base unit buys per_base units
-- of currency; the base has its own row at 1.
CREATE TABLE rates (
    currency   TEXT PRIMARY KEY,
    per_base   REAL NOT NULL CHECK (per_base > 0),
    base       TEXT NOT NULL,
    rates_date TEXT NOT NULL,
    source     TEXT NOT NULL DEFAULT ''
);

-- +goose StatementBegin
CREATE TRIGGER rates_insert_version AFTER INSERT ON rates BEGIN
    UPDATE data_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rates_update_version AFTER UPDATE ON rates BEGIN
    UPDATE data_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rates_delete_version AFTER DELETE ON rates BEGIN
    UPDATE data_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER rates_insert_version;
DROP TRIGGER rates_update_version;
DROP TRIGGER rates_delete_version;
DROP TABLE rates;
DROP INDEX jobs_salary_own;
DROP INDEX jobs_salary;
ALTER TABLE jobs DROP COLUMN salary_month_base;
ALTER TABLE jobs DROP COLUMN salary_month;
