// The Store schema, one entry per version: never edit a shipped one, add the next. Both Store
// implementations apply these (the embedded one directly, the @effect/sql one through its Migrator) and
// record them in tradelane_migrations, so either can open a database the other made.

export interface Migration {
  readonly id: number
  readonly name: string
  readonly statements: ReadonlyArray<string>
}

export const MIGRATIONS: ReadonlyArray<Migration> = [
  {
    id: 1,
    name: "init",
    statements: [
      `CREATE TABLE runs (
      id TEXT PRIMARY KEY,
      flow TEXT NOT NULL,
      idem_key TEXT NOT NULL,
      status TEXT NOT NULL,
      cursor INTEGER NOT NULL DEFAULT 0,
      input TEXT NOT NULL,
      payload TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_at INTEGER NOT NULL,
      wait_for TEXT,
      correlation_id TEXT NOT NULL,
      traceparent TEXT NOT NULL,
      keys TEXT NOT NULL,
      meta TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      UNIQUE (flow, idem_key)
    )`,
      `CREATE INDEX runs_due ON runs (status, next_at)`,
      `CREATE TABLE run_keys (value TEXT NOT NULL, run_id TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (value, run_id, name))`,
      `CREATE INDEX run_keys_run ON run_keys (run_id)`,
      `CREATE TABLE outbox (
      id TEXT PRIMARY KEY,
      run_id TEXT NOT NULL,
      flow TEXT NOT NULL,
      step TEXT NOT NULL,
      kind TEXT NOT NULL,
      partner TEXT NOT NULL,
      operation TEXT NOT NULL,
      idem_key TEXT NOT NULL,
      request TEXT NOT NULL,
      status TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      response TEXT,
      created_at INTEGER NOT NULL,
      done_at INTEGER
    )`,
      `CREATE TABLE dead_letters (
      id TEXT PRIMARY KEY,
      run_id TEXT NOT NULL,
      flow TEXT NOT NULL,
      step TEXT NOT NULL,
      error_class TEXT NOT NULL,
      reason TEXT NOT NULL,
      spec_file TEXT NOT NULL,
      spec_path TEXT NOT NULL,
      input TEXT NOT NULL,
      attempts INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      status TEXT NOT NULL
    )`,
      `CREATE TABLE events_seen (type TEXT NOT NULL, key_value TEXT NOT NULL, PRIMARY KEY (type, key_value))`,
      `CREATE TABLE lifecycle (lifecycle TEXT NOT NULL, key TEXT NOT NULL, state TEXT NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (lifecycle, key))`,
      `CREATE TABLE exceptions (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, flow TEXT NOT NULL, run_id TEXT NOT NULL, key TEXT NOT NULL, detail TEXT NOT NULL, at INTEGER NOT NULL)`,
      `CREATE TABLE inventory (sku TEXT NOT NULL, warehouse TEXT NOT NULL, available REAL NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (sku, warehouse))`,
      `CREATE TABLE trace (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      run_id TEXT NOT NULL,
      flow TEXT NOT NULL,
      step TEXT NOT NULL,
      action TEXT NOT NULL,
      outcome TEXT NOT NULL,
      system TEXT NOT NULL,
      detail TEXT,
      correlation_id TEXT NOT NULL,
      at INTEGER NOT NULL
    )`,
      `CREATE INDEX trace_run ON trace (run_id)`,
      `CREATE TABLE files_taken (id TEXT PRIMARY KEY, at INTEGER NOT NULL)`,
      `CREATE TABLE bus_messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, envelope TEXT NOT NULL, at INTEGER NOT NULL)`,
      `CREATE INDEX bus_messages_type ON bus_messages (type, seq)`,
      `CREATE TABLE bus_offsets (consumer TEXT PRIMARY KEY, seq INTEGER NOT NULL)`
    ]
  }
]
