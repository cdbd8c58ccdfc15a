// Package postgres is the shared store for several planwise replicas: one PostgreSQL
// database (driver github.com/jackc/pgx/v5, pooled) holding the semantic plan cache, the
// runs and their feedback, the execution history and the prompt experiments.
//
// # Contract
//
// Open connects, takes a session advisory lock so that replicas starting together do not
// race, applies every pending versioned migration (recorded in schema_migrations, one
// transaction per migration) and releases the lock. The returned *DB is safe for
// concurrent use; the caller closes it. Everything lives in the connection's current
// schema (set search_path in the DSN to isolate deployments or tests), and every
// database-wide name derived from it (advisory lock keys, the notification channel) is
// scoped to that schema.
//
// OpenExisting is Open for a process that only reads: it changes nothing in the
// database (no schema_migrations, no migration) and returns a *SchemaError when the
// schema holds no planwise store (ErrNoSchema) or one missing a migration this build
// applies (ErrSchemaOutdated), whose message says how to fix it.
//
//   - (*DB).CacheStore implements cache.Store and cache.Toucher. Vectors are bytea of
//     little-endian float32, like store/sqlite. Every Put and Delete also appends to the
//     cache_changes log in the same transaction and sends a NOTIFY on the cache
//     channel; writers of the log are serialised by a transaction advisory lock, so the
//     change sequence is in commit order and a reader that has seen change n has seen
//     every change before it.
//   - (*DB).Runs implements execute.RunStore, execute.RunBatchSaver and
//     execute.RunRecovery (runs, run_steps, feedback).
//   - (*DB).HistoryStore implements history.Store, history.BatchStore, history.Pruner,
//     history.ExperimentStore and history.TallyStore (the experiments' automatic
//     promotion counts, shared by the replicas, kept by row triggers on history_records
//     in the transaction that writes or deletes each record).
//   - (*DB).SpendStore implements metrics.SpendStore: the day's spending, shared by the
//     replicas' budgets.
//   - (*CacheStore).Follower keeps an in-memory cache.Cache in step with the changes other
//     replicas make (see Follower): LISTEN on a dedicated connection that reconnects
//     with backoff, and a catch-up read of the change log after every (re)connection,
//     so a dropped connection loses no update.
//   - (*DB).Leader implements metrics.Leader with a session advisory lock, so exactly one
//     replica sends alert webhooks.
//
// Alert state (which alerts are firing) is not stored: each replica evaluates its own
// metrics, and only the Leader notifies.
//
// # SQL shared with store/sqlite
//
// The statements that read and write the tables, their encodings and the migration
// runner are store/sqlite's too (store/internal/sqlstore), run here on pgx natively:
// writes of several rows go as one pgx batch (one round trip, one transaction). What
// only PostgreSQL does stays here: the schema (schema.go), the advisory locks, the
// cache's change log, LISTEN/NOTIFY and the Follower, the Leader, and statements over
// arrays (Touch, Delete, RenewRuns, InterruptRuns). Both pass store/storetest.
package postgres
