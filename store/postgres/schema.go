package postgres

import "github.com/planwise/planwise/store/internal/sqlstore"

// migrations is the schema's history, applied in (concern, version) order by Open:
// append, never edit (databases record which they ran). The DDL is PostgreSQL's own;
// the statements that read and write the tables are shared with store/sqlite
// (store/internal/sqlstore).
var migrations = []sqlstore.Migration{
	{Concern: "cache", Version: 1, DDL: cacheDDL},
	{Concern: "runs", Version: 1, DDL: runsDDL},
	{Concern: "history", Version: 1, DDL: historyDDL},
	{Concern: "runs", Version: 2, DDL: runsV2},
	{Concern: "runs", Version: 3, DDL: runsV3},
	{Concern: "spend", Version: 1, DDL: spendDDL},
	{Concern: "history", Version: 2, DDL: historyV2},
	{Concern: "history", Version: 3, DDL: historyV3},
	{Concern: "history", Version: 4, DDL: historyV4},
	{Concern: "history", Version: 5, DDL: historyV5},
	{Concern: "history", Version: 6, DDL: historyV6},
	{Concern: "history", Version: 7, DDL: historyV7},
	{Concern: "runs", Version: 4, DDL: runsV4},
}

// migrationsTable records the migrations applied.
const migrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
		concern TEXT NOT NULL, version INTEGER NOT NULL,
		applied_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (concern, version))`

// Cache entries: one row per entry, like store/sqlite (times Unix nanoseconds, vectors
// little-endian float32), plus the change log that replicas follow.
const cacheDDL = `
CREATE TABLE cache_entries (
	id           TEXT PRIMARY KEY,
	ns_registry  TEXT NOT NULL,
	ns_prompt    TEXT NOT NULL,
	ns_tier      TEXT NOT NULL,
	ns_tenant    TEXT NOT NULL,
	request      TEXT NOT NULL,
	normalized   TEXT NOT NULL,
	template     TEXT NOT NULL,
	slots_json   TEXT NOT NULL,
	plan_json    TEXT NOT NULL,
	embedder     TEXT NOT NULL,
	vector       BYTEA NOT NULL,
	created_ns   BIGINT NOT NULL,
	last_used_ns BIGINT NOT NULL,
	hits         BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX cache_entries_ns ON cache_entries (ns_registry, ns_prompt, ns_tier, ns_tenant);
CREATE TABLE cache_changes (
	seq      BIGSERIAL PRIMARY KEY,
	entry_id TEXT NOT NULL,
	op       TEXT NOT NULL CHECK (op IN ('put', 'delete')),
	origin   TEXT NOT NULL,
	at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX cache_changes_at ON cache_changes (at);
CREATE TABLE cache_log_state (
	one         BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),
	pruned_upto BIGINT NOT NULL
);
INSERT INTO cache_log_state (pruned_upto) VALUES (0);
`

// Runs: one row per run, one per step, and the feedback given on runs, like
// store/sqlite. Times are Unix nanoseconds (exact round trip); outputs are JSON text.
const runsDDL = `
CREATE TABLE runs (
	id           TEXT PRIMARY KEY,
	status       TEXT NOT NULL,
	error        TEXT NOT NULL DEFAULT '',
	started_ns   BIGINT NOT NULL,
	finished_ns  BIGINT NOT NULL,
	duration_ms  DOUBLE PRECISION NOT NULL,
	request      TEXT NOT NULL DEFAULT '',
	plan_json    TEXT,
	tenant       TEXT NOT NULL DEFAULT '',
	api_key_hash TEXT NOT NULL DEFAULT '',
	source       TEXT NOT NULL DEFAULT '',
	created_ns   BIGINT NOT NULL
);
CREATE INDEX runs_tenant_created ON runs (tenant, created_ns);
CREATE INDEX runs_status ON runs (status);
CREATE TABLE run_steps (
	run_id      TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	idx         INTEGER NOT NULL,
	step_id     TEXT NOT NULL,
	tool        TEXT NOT NULL,
	status      TEXT NOT NULL,
	output_json TEXT,
	error       TEXT NOT NULL DEFAULT '',
	simulated   BOOLEAN NOT NULL DEFAULT false,
	attempts    INTEGER NOT NULL DEFAULT 0,
	started_ns  BIGINT NOT NULL DEFAULT 0,
	finished_ns BIGINT NOT NULL DEFAULT 0,
	duration_ms DOUBLE PRECISION NOT NULL DEFAULT 0,
	items       INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (run_id, idx)
);
CREATE INDEX run_steps_tool_status ON run_steps (tool, status);
CREATE TABLE feedback (
	id         BIGSERIAL PRIMARY KEY,
	run_id     TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	rating     INTEGER NOT NULL CHECK (rating BETWEEN -1 AND 1),
	comment    TEXT NOT NULL DEFAULT '',
	created_ns BIGINT NOT NULL
);
CREATE INDEX feedback_run ON feedback (run_id);
`

// runsV2 keeps what feedback needs after a restart: the planning request (its history
// record) and the cache entry the plan was served from.
const runsV2 = `
ALTER TABLE runs ADD COLUMN request_id TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN cache_entry TEXT NOT NULL DEFAULT '';
`

// runsV3 marks when each run was last known alive (saved or renewed), so that runs left
// in flight by a replica that stopped can be told and marked interrupted.
const runsV3 = `
ALTER TABLE runs ADD COLUMN alive_ns BIGINT NOT NULL DEFAULT 0;
CREATE INDEX runs_inflight ON runs (alive_ns) WHERE status IN ('queued', 'running');
`

// runsV4 keeps the id of a run's history record (execute.RunMeta.HistoryID), which the
// run's outcome and feedback attach to: the request id keyed the record before, and a
// client that reused another's X-Request-ID replaced that record. Runs recorded before
// read an empty history_id and attach by their request id, as they did.
const runsV4 = `
ALTER TABLE runs ADD COLUMN history_id TEXT NOT NULL DEFAULT '';
`

// History records and prompt experiments, like store/sqlite: one row per planning
// request (embeddings little-endian float32 bytea; slots, plans, issue lists and
// executions JSON text; times Unix nanoseconds) and one per experiment.
const historyDDL = `
CREATE TABLE history_records (
	id                TEXT PRIMARY KEY,
	request_id        TEXT NOT NULL,
	tenant            TEXT NOT NULL,
	api_key           TEXT NOT NULL DEFAULT '',
	request           TEXT NOT NULL,
	template          TEXT NOT NULL,
	slots_json        TEXT NOT NULL DEFAULT '[]',
	embedding         BYTEA,
	embedder          TEXT NOT NULL DEFAULT '',
	tier              TEXT NOT NULL DEFAULT '',
	model             TEXT NOT NULL DEFAULT '',
	variant           TEXT NOT NULL DEFAULT '',
	experiment        TEXT NOT NULL DEFAULT '',
	source            TEXT NOT NULL DEFAULT '',
	fallback          BOOLEAN NOT NULL DEFAULT false,
	fallback_reason   TEXT NOT NULL DEFAULT '',
	plan_json         TEXT,
	valid             BOOLEAN NOT NULL DEFAULT false,
	issue_codes_json  TEXT NOT NULL DEFAULT '[]',
	issue_fields_json TEXT NOT NULL DEFAULT '[]',
	error_type        TEXT NOT NULL DEFAULT '',
	latency_ms        DOUBLE PRECISION NOT NULL DEFAULT 0,
	prompt_tokens     INTEGER NOT NULL DEFAULT 0,
	completion_tokens INTEGER NOT NULL DEFAULT 0,
	cost_usd          DOUBLE PRECISION NOT NULL DEFAULT 0,
	registry_version  TEXT NOT NULL DEFAULT '',
	prompt_version    TEXT NOT NULL DEFAULT '',
	time_ns           BIGINT NOT NULL,
	retry             BOOLEAN NOT NULL DEFAULT false,
	execution_json    TEXT,
	feedback          INTEGER
);
CREATE INDEX history_records_time ON history_records (time_ns);
CREATE INDEX history_records_tenant_time ON history_records (tenant, time_ns);
CREATE INDEX history_records_experiment ON history_records (experiment) WHERE experiment <> '';
CREATE TABLE experiments (
	id            TEXT PRIMARY KEY,
	name          TEXT NOT NULL,
	tenant        TEXT NOT NULL DEFAULT '',
	variants_json TEXT NOT NULL,
	status        TEXT NOT NULL,
	winner        TEXT NOT NULL DEFAULT '',
	auto_promote  BOOLEAN NOT NULL DEFAULT false,
	min_samples   INTEGER NOT NULL,
	alpha         DOUBLE PRECISION NOT NULL,
	created_ns    BIGINT NOT NULL,
	updated_ns    BIGINT NOT NULL
);
`

// historyV2 keeps what a request cost on the way: provider calls and the error types met.
const historyV2 = `
ALTER TABLE history_records ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE history_records ADD COLUMN errors_json TEXT NOT NULL DEFAULT '[]';
`

// historyV4 keeps what the validity rate needs to leave out a request that produced no
// plan (a refusal is an answer, not an invalid plan) and who refused it.
const historyV4 = `
ALTER TABLE history_records ADD COLUMN no_plan BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE history_records ADD COLUMN refused TEXT NOT NULL DEFAULT '';
`

// historyV5 keeps the counts of the prompt experiments' automatic promotion
// (history.TallyStore: one row per experiment and arm, added to), which were held in
// memory and started over on every restart, and seeds them from the records already
// stored, counted as history.Tally.Add counts them: a plan is the model's when the
// request got one, not from the cache, and not an offline planner's (a fallback whose
// plan is valid, or a fallback for offline); a refusal is the model's "llm".
const historyV5 = `
CREATE TABLE experiment_tallies (
	experiment TEXT NOT NULL,
	variant    TEXT NOT NULL,
	requests   BIGINT NOT NULL,
	plans      BIGINT NOT NULL,
	valid      BIGINT NOT NULL,
	refused    BIGINT NOT NULL,
	PRIMARY KEY (experiment, variant)
);
INSERT INTO experiment_tallies (experiment, variant, requests, plans, valid, refused)
SELECT experiment, variant, count(*),
	count(*) FILTER (WHERE NOT no_plan AND source <> 'cache' AND NOT (fallback AND (valid OR fallback_reason = 'offline'))),
	count(*) FILTER (WHERE NOT no_plan AND source <> 'cache' AND NOT fallback AND valid),
	count(*) FILTER (WHERE refused = 'llm')
FROM history_records WHERE experiment <> '' AND variant <> ''
GROUP BY experiment, variant;
`

// historyV6 keeps the experiments' tallies with the records (history.TallyStore): they
// were added by a second transaction after the records' and never shrank when records
// were pruned, so the counts automatic promotion tests and the records an experiment's
// report counts drifted apart. Row triggers now count a record in the statement that
// writes it (INSERT ... ON CONFLICT DO UPDATE that replaces a record fires the update
// trigger: the old row out, the new in) and uncount one deleted, and the tallies are
// counted again from the records. Only rows of an experiment's arm fire them (WHEN).
// The counts are history.Tally.Add's, as historyV5 seeds them.
const historyV6 = `
CREATE FUNCTION history_records_tally() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		IF OLD.experiment <> '' AND OLD.variant <> '' THEN
			UPDATE experiment_tallies SET requests = requests - 1,
				plans = plans - (CASE WHEN NOT OLD.no_plan AND OLD.source <> 'cache' AND NOT (OLD.fallback AND (OLD.valid OR OLD.fallback_reason = 'offline')) THEN 1 ELSE 0 END),
				valid = valid - (CASE WHEN NOT OLD.no_plan AND OLD.source <> 'cache' AND NOT OLD.fallback AND OLD.valid THEN 1 ELSE 0 END),
				refused = refused - (CASE WHEN OLD.refused = 'llm' THEN 1 ELSE 0 END)
			WHERE experiment = OLD.experiment AND variant = OLD.variant;
		END IF;
	END IF;
	IF TG_OP <> 'DELETE' THEN
		IF NEW.experiment <> '' AND NEW.variant <> '' THEN
			INSERT INTO experiment_tallies (experiment, variant, requests, plans, valid, refused)
			VALUES (NEW.experiment, NEW.variant, 1,
				CASE WHEN NOT NEW.no_plan AND NEW.source <> 'cache' AND NOT (NEW.fallback AND (NEW.valid OR NEW.fallback_reason = 'offline')) THEN 1 ELSE 0 END,
				CASE WHEN NOT NEW.no_plan AND NEW.source <> 'cache' AND NOT NEW.fallback AND NEW.valid THEN 1 ELSE 0 END,
				CASE WHEN NEW.refused = 'llm' THEN 1 ELSE 0 END)
			ON CONFLICT (experiment, variant) DO UPDATE SET requests = experiment_tallies.requests + excluded.requests,
				plans = experiment_tallies.plans + excluded.plans, valid = experiment_tallies.valid + excluded.valid,
				refused = experiment_tallies.refused + excluded.refused;
		END IF;
	END IF;
	RETURN NULL;
END
$f$;
CREATE TRIGGER history_records_tally_insert AFTER INSERT ON history_records FOR EACH ROW
	WHEN (NEW.experiment <> '' AND NEW.variant <> '') EXECUTE FUNCTION history_records_tally();
CREATE TRIGGER history_records_tally_delete AFTER DELETE ON history_records FOR EACH ROW
	WHEN (OLD.experiment <> '' AND OLD.variant <> '') EXECUTE FUNCTION history_records_tally();
CREATE TRIGGER history_records_tally_update AFTER UPDATE ON history_records FOR EACH ROW
	WHEN ((OLD.experiment <> '' AND OLD.variant <> '') OR (NEW.experiment <> '' AND NEW.variant <> '')) EXECUTE FUNCTION history_records_tally();
DELETE FROM experiment_tallies;
INSERT INTO experiment_tallies (experiment, variant, requests, plans, valid, refused)
SELECT experiment, variant, count(*),
	count(*) FILTER (WHERE NOT no_plan AND source <> 'cache' AND NOT (fallback AND (valid OR fallback_reason = 'offline'))),
	count(*) FILTER (WHERE NOT no_plan AND source <> 'cache' AND NOT fallback AND valid),
	count(*) FILTER (WHERE refused = 'llm')
FROM history_records WHERE experiment <> '' AND variant <> ''
GROUP BY experiment, variant;
`

// historyV7 locks the two tally rows of a record that moves from one arm to another in
// one order. historyV6's trigger took the old arm's row (the UPDATE) before the new
// arm's (the upsert), so two writers moving records across the same two arms in opposite
// directions (a request id two callers both sent, each planned in another arm) locked
// them in opposite orders: a deadlock, one write lost. It now first locks the rows of
// both arms sorted by (experiment, variant) in bytes (COLLATE "C", the order
// store/internal/sqlstore's PutRecords sorts a batch's records in). A record that stays
// in its arm, or enters or leaves the experiments, locks one row, as before.
const historyV7 = `
CREATE OR REPLACE FUNCTION history_records_tally() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
	IF TG_OP = 'UPDATE' AND OLD.experiment <> '' AND OLD.variant <> '' AND NEW.experiment <> '' AND NEW.variant <> ''
			AND (OLD.experiment <> NEW.experiment OR OLD.variant <> NEW.variant) THEN
		PERFORM 1 FROM experiment_tallies
		WHERE (experiment = OLD.experiment AND variant = OLD.variant) OR (experiment = NEW.experiment AND variant = NEW.variant)
		ORDER BY experiment COLLATE "C", variant COLLATE "C" FOR UPDATE;
	END IF;
	IF TG_OP <> 'INSERT' THEN
		IF OLD.experiment <> '' AND OLD.variant <> '' THEN
			UPDATE experiment_tallies SET requests = requests - 1,
				plans = plans - (CASE WHEN NOT OLD.no_plan AND OLD.source <> 'cache' AND NOT (OLD.fallback AND (OLD.valid OR OLD.fallback_reason = 'offline')) THEN 1 ELSE 0 END),
				valid = valid - (CASE WHEN NOT OLD.no_plan AND OLD.source <> 'cache' AND NOT OLD.fallback AND OLD.valid THEN 1 ELSE 0 END),
				refused = refused - (CASE WHEN OLD.refused = 'llm' THEN 1 ELSE 0 END)
			WHERE experiment = OLD.experiment AND variant = OLD.variant;
		END IF;
	END IF;
	IF TG_OP <> 'DELETE' THEN
		IF NEW.experiment <> '' AND NEW.variant <> '' THEN
			INSERT INTO experiment_tallies (experiment, variant, requests, plans, valid, refused)
			VALUES (NEW.experiment, NEW.variant, 1,
				CASE WHEN NOT NEW.no_plan AND NEW.source <> 'cache' AND NOT (NEW.fallback AND (NEW.valid OR NEW.fallback_reason = 'offline')) THEN 1 ELSE 0 END,
				CASE WHEN NOT NEW.no_plan AND NEW.source <> 'cache' AND NOT NEW.fallback AND NEW.valid THEN 1 ELSE 0 END,
				CASE WHEN NEW.refused = 'llm' THEN 1 ELSE 0 END)
			ON CONFLICT (experiment, variant) DO UPDATE SET requests = experiment_tallies.requests + excluded.requests,
				plans = experiment_tallies.plans + excluded.plans, valid = experiment_tallies.valid + excluded.valid,
				refused = experiment_tallies.refused + excluded.refused;
		END IF;
	END IF;
	RETURN NULL;
END
$f$;
`

// historyV3 keeps the cache hits that nothing is attached to (no run, no feedback, no
// embedding, no experiment) in batches: one row per batch and tenant, the hits' records a
// JSON array, their ids ",id1,id2,...,", their time span (store/internal/sqlstore/hits.go).
const historyV3 = `
CREATE TABLE history_hits (
	seq      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	tenant   TEXT NOT NULL,
	first_ns BIGINT NOT NULL,
	last_ns  BIGINT NOT NULL,
	n        INTEGER NOT NULL,
	ids      TEXT NOT NULL,
	records  BYTEA NOT NULL
);
CREATE INDEX history_hits_last ON history_hits (last_ns);
CREATE INDEX history_hits_tenant_last ON history_hits (tenant, last_ns);
`

// LLM spending per UTC day and API key, shared by the replicas' budgets.
const spendDDL = `
CREATE TABLE spend (
	day     BIGINT NOT NULL,
	api_key TEXT NOT NULL,
	usd     DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (day, api_key)
);
`
