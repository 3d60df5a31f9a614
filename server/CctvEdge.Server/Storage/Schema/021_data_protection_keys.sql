-- The key ring of ASP.NET Core Data Protection (sign-in and antiforgery cookies, channel secrets), kept in the database
-- rather than in a keys folder of one server, so every replica behind a load balancer reads and protects with the same
-- keys (DatabaseXmlRepository). One row per key XML document, as the EF Core repository keeps them.
CREATE TABLE data_protection_keys (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    friendly_name TEXT,
    xml           TEXT    NOT NULL
);
