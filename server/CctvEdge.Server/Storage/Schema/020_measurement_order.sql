-- Nothing changes on SQLite: the MQTT bridge follows new measurements by their rowid, which SQLite gives every row of
-- a table with a rowid. postgres/020_measurement_order.sql gives PostgreSQL's measurements the same column.
SELECT 1;
