-- PostgreSQL's twin of ../018_upload_policy.sql: the same tables, columns and indexes in PostgreSQL's types (SchemaParityTests keeps them in step).
-- A node's upload policy for metered links as its last heartbeat reported it (issue 18): the UploadPolicyStatus
-- message in protobuf's JSON form ('' until a node reports one). The fleet and overview pages show the day's budget use
-- and what is held back.
ALTER TABLE nodes ADD COLUMN upload_policy_json TEXT NOT NULL DEFAULT '';
