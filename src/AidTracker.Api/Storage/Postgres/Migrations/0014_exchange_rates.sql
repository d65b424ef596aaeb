-- The ECB's euro reference rates, as the rates import verb loads them from the ECB's CSV files: one row per currency
-- and business day. rate is units of the currency per euro, as text exactly as the ECB wrote it ('1.0804',
-- '160.12'), never a float: a conversion reads it as a decimal. EUR has no row (its conversion is the identity), nor
-- has a day the ECB marked N/A. imported_at and file_sha256 say which import wrote the row (an unchanged row keeps
-- the import that first wrote it). The same table and checks as SQLite's 0014.
CREATE TABLE exchange_rates (
    currency    text COLLATE "C" NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    day         text COLLATE "C" NOT NULL CHECK (day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    rate        text COLLATE "C" NOT NULL CHECK (length(rate) BETWEEN 1 AND 30 AND rate ~ '^[0-9]+(\.[0-9]+)?$' AND rate ~ '[1-9]'),
    imported_at text COLLATE "C" NOT NULL,
    file_sha256 text COLLATE "C" NOT NULL CHECK (length(file_sha256) = 64),
    PRIMARY KEY (currency, day)
);
