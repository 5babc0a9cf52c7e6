-- Sessions: one row each, with the metadata a listing needs without reading messages.
CREATE TABLE codepilot_sessions (
  session_id    text        PRIMARY KEY,
  agent_name    text        NOT NULL,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  message_count integer     NOT NULL
);

CREATE INDEX codepilot_sessions_updated ON codepilot_sessions (updated_at DESC);

-- Messages: one row each, appended per step. seq is the message's index in the history; as part
-- of the primary key it makes a second insert at the same place fail instead of interleaving.
-- escaped: content is a JSON string literal, for text PostgreSQL cannot store as it is (NUL,
-- unpaired surrogates).
CREATE TABLE codepilot_messages (
  session_id text    NOT NULL REFERENCES codepilot_sessions ON DELETE CASCADE,
  seq        integer NOT NULL CHECK (seq >= 0),
  role       text    NOT NULL CHECK (role IN ('user', 'assistant')),
  content    text    NOT NULL,
  escaped    boolean NOT NULL DEFAULT false,
  PRIMARY KEY (session_id, seq)
);

-- Who holds or last held each session's writer lock, for the message a refused writer gets.
-- The lock itself is a PostgreSQL advisory lock held by the writer's connection.
CREATE TABLE codepilot_session_holders (
  session_id text        PRIMARY KEY,
  holder     text        NOT NULL,
  since      timestamptz NOT NULL
);
