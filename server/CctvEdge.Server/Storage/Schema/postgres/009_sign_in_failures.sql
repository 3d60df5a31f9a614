-- PostgreSQL's twin of ../009_sign_in_failures.sql: the same tables, columns and indexes in PostgreSQL's types (SchemaParityTests keeps them in step).
-- Failed sign-ins per user name and client address, so a lock survives a restart and a guesser on one address cannot
-- lock the real user out from another.
CREATE TABLE sign_in_failures (
    name            TEXT    NOT NULL COLLATE nocase,
    address         TEXT    NOT NULL,
    count           BIGINT  NOT NULL,
    last_ms         BIGINT  NOT NULL,
    locked_until_ms BIGINT  NOT NULL,
    PRIMARY KEY (name, address)
);
