-- Failed sign-ins per user name and client address, so a lock survives a restart and a guesser on one address cannot
-- lock the real user out from another.
CREATE TABLE sign_in_failures (
    name            TEXT    NOT NULL COLLATE NOCASE,
    address         TEXT    NOT NULL,
    count           INTEGER NOT NULL,
    last_ms         INTEGER NOT NULL,
    locked_until_ms INTEGER NOT NULL,
    PRIMARY KEY (name, address)
);
