-- An open event a rule matched but could not send yet: below the rule's minimum peak or duration, or not (yet) unusual
-- for an adaptive rule. It is judged again on every pass as the event grows, and the row goes when the rule sends it,
-- when the event ends without qualifying, or after a day. Kept in the store so a restart neither forgets nor repeats.
CREATE TABLE notification_rule_waits (
    rule_id  INTEGER NOT NULL REFERENCES notification_rules(id) ON DELETE CASCADE,
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    PRIMARY KEY (rule_id, event_id)
) WITHOUT ROWID;
