-- PostgreSQL's twin of ../015_rule_waits.sql: the same tables, columns and indexes in PostgreSQL's types (SchemaParityTests keeps them in step).
-- An open event a rule matched but could not send yet: below the rule's minimum peak or duration, or not (yet) unusual
-- for an adaptive rule. It is judged again when the event changes (its node sent a newer result) or when time alone
-- can change the verdict (its minimum duration reached, or the day after which it is given up), and the row goes when
-- the rule sends it, when the event ends without qualifying, or after a day. Kept in the store so a restart neither
-- forgets nor repeats. Judging every wait on every pass instead cost an open-ended flood of events (1,000 a minute
-- against 20 adaptive rules) 36 ms of server CPU per event.
CREATE TABLE notification_rule_waits (
    rule_id         BIGINT  NOT NULL REFERENCES notification_rules(id) ON DELETE CASCADE,
    event_id        BIGINT  NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    judged_sequence BIGINT  NOT NULL,            -- the event's sequence when it was last judged
    recheck_ms      BIGINT  NOT NULL,            -- when time alone may change the verdict
    PRIMARY KEY (rule_id, event_id)
);
CREATE INDEX notification_rule_waits_by_recheck ON notification_rule_waits (recheck_ms);
