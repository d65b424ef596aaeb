-- The ECB's euro reference rates, as the rates import verb loads them from the ECB's CSV files: one row per currency
-- and business day. rate is units of the currency per euro, as text exactly as the ECB wrote it ('1.0804',
-- '160.12'), never a float: a conversion reads it as a decimal. EUR has no row (its conversion is the identity), nor
-- has a day the ECB marked N/A. imported_at and file_sha256 say which import wrote the row (an unchanged row keeps
-- the import that first wrote it).
CREATE TABLE exchange_rates (
    currency    TEXT NOT NULL CHECK (length(currency) = 3 AND currency GLOB '[A-Z][A-Z][A-Z]'),
    day         TEXT NOT NULL CHECK (length(day) = 10 AND day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    rate        TEXT NOT NULL CHECK (length(rate) BETWEEN 1 AND 30 AND rate GLOB '[0-9]*' AND rate NOT GLOB '*[^0-9.]*'
                    AND rate NOT GLOB '*.*.*' AND rate NOT GLOB '*.' AND rate GLOB '*[1-9]*'),
    imported_at TEXT NOT NULL,
    file_sha256 TEXT NOT NULL CHECK (length(file_sha256) = 64),
    PRIMARY KEY (currency, day)
) WITHOUT ROWID;
