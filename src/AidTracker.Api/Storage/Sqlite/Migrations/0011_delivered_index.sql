-- Deliveries over time (the dashboard's timeseries on delivered_on) cannot use donation_rollup, whose month is the
-- announcement's. This partial covering index holds the delivered live rows in delivery order with their measures:
-- on 1M rows (350k delivered) the monthly series went from 0.60 s (a table scan) to 0.12 s. Filters by donor and
-- the like still take donations_stats.
CREATE INDEX donations_delivered ON donations (delivered_on, quantity, value_eur_cents, deleted_at)
    WHERE deleted_at IS NULL AND delivered_on IS NOT NULL;
