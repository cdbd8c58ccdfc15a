--
-- PostgreSQL database dump
--

\restrict 0F5AZ43eRvzAou8ejXlPwRlJcOtci1zgIxLZdS0GTXFQSMqpIxGoDQDwNygaT8t

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: fixture_8463787; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA fixture_8463787;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: cache_changes; Type: TABLE; Schema: fixture_8463787; Owner: -
--

CREATE TABLE fixture_8463787.cache_changes (
    seq bigint NOT NULL,
    entry_id text NOT NULL,
    op text NOT NULL,
    origin text NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT cache_changes_op_check CHECK ((op = ANY (ARRAY['put'::text, 'delete'::text])))
);


--
-- Name: cache_changes_seq_seq; Type: SEQUENCE; Schema: fixture_8463787; Owner: -
--

CREATE SEQUENCE fixture_8463787.cache_changes_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: cache_changes_seq_seq; Type: SEQUENCE OWNED BY; Schema: fixture_8463787; Owner: -
--

ALTER SEQUENCE fixture_8463787.cache_changes_seq_seq OWNED BY fixture_8463787.cache_changes.seq;


--
-- Name: cache_entries; Type: TABLE; Schema: fixture_8463787; Owner: -
--

CREATE TABLE fixture_8463787.cache_entries (
    id text NOT NULL,
    ns_registry text NOT NULL,
    ns_prompt text NOT NULL,
    ns_tier text NOT NULL,
    ns_tenant text NOT NULL,
    request text NOT NULL,
    normalized text NOT NULL,
    template text NOT NULL,
    slots_json text NOT NULL,
    plan_json text NOT NULL,
    embedder text NOT NULL,
    vector bytea NOT NULL,
    created_ns bigint NOT NULL,
    last_used_ns bigint NOT NULL,
    hits bigint DEFAULT 0 NOT NULL
);


--
-- Name: cache_log_state; Type: TABLE; Schema: fixture_8463787; Owner: -
--

CREATE TABLE fixture_8463787.cache_log_state (
    one boolean DEFAULT true NOT NULL,
    pruned_upto bigint NOT NULL,
    CONSTRAINT cache_log_state_one_check CHECK (one)
);


--
-- Name: experiments; Type: TABLE; Schema: fixture_8463787; Owner: -
--

CREATE TABLE fixture_8463787.experiments (
    id text NOT NULL,
    name text NOT NULL,
    tenant text DEFAULT ''::text NOT NULL,
    variants_json text NOT NULL,
    status text NOT NULL,
    winner text DEFAULT ''::text NOT NULL,
    auto_promote boolean DEFAULT false NOT NULL,
    min_samples integer NOT NULL,
    alpha double precision NOT NULL,
    created_ns bigint NOT NULL,
    updated_ns bigint NOT NULL
);


--
-- Name: feedback; Type: TABLE; Schema: fixture_8463787; Owner: -
--

CREATE TABLE fixture_8463787.feedback (
    id bigint NOT NULL,
    run_id text NOT NULL,
    rating integer NOT NULL,
    comment text DEFAULT ''::text NOT NULL,
    created_ns bigint NOT NULL,
    CONSTRAINT feedback_rating_check CHECK (((rating >= '-1'::integer) AND (rating <= 1)))
);


--
-- Name: feedback_id_seq; Type: SEQUENCE; Schema: fixture_8463787; Owner: -
--

CREATE SEQUENCE fixture_8463787.feedback_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: feedback_id_seq; Type: SEQUENCE OWNED BY; Schema: fixture_8463787; Owner: -
--

ALTER SEQUENCE fixture_8463787.feedback_id_seq OWNED BY fixture_8463787.feedback.id;


--
-- Name: history_records; Type: TABLE; Schema: fixture_8463787; Owner: -
--

CREATE TABLE fixture_8463787.history_records (
    id text NOT NULL,
    request_id text NOT NULL,
    tenant text NOT NULL,
    api_key text DEFAULT ''::text NOT NULL,
    request text NOT NULL,
    template text NOT NULL,
    slots_json text DEFAULT '[]'::text NOT NULL,
    embedding bytea,
    embedder text DEFAULT ''::text NOT NULL,
    tier text DEFAULT ''::text NOT NULL,
    model text DEFAULT ''::text NOT NULL,
    variant text DEFAULT ''::text NOT NULL,
    experiment text DEFAULT ''::text NOT NULL,
    source text DEFAULT ''::text NOT NULL,
    fallback boolean DEFAULT false NOT NULL,
    fallback_reason text DEFAULT ''::text NOT NULL,
    plan_json text,
    valid boolean DEFAULT false NOT NULL,
    issue_codes_json text DEFAULT '[]'::text NOT NULL,
    issue_fields_json text DEFAULT '[]'::text NOT NULL,
    error_type text DEFAULT ''::text NOT NULL,
    latency_ms double precision DEFAULT 0 NOT NULL,
    prompt_tokens integer DEFAULT 0 NOT NULL,
    completion_tokens integer DEFAULT 0 NOT NULL,
    cost_usd double precision DEFAULT 0 NOT NULL,
    registry_version text DEFAULT ''::text NOT NULL,
    prompt_version text DEFAULT ''::text NOT NULL,
    time_ns bigint NOT NULL,
    retry boolean DEFAULT false NOT NULL,
    execution_json text,
    feedback integer,
    attempts integer DEFAULT 0 NOT NULL,
    errors_json text DEFAULT '[]'::text NOT NULL
);


--
-- Name: run_steps; Type: TABLE; Schema: fixture_8463787; Owner: -
--

CREATE TABLE fixture_8463787.run_steps (
    run_id text NOT NULL,
    idx integer NOT NULL,
    step_id text NOT NULL,
    tool text NOT NULL,
    status text NOT NULL,
    output_json text,
    error text DEFAULT ''::text NOT NULL,
    simulated boolean DEFAULT false NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    started_ns bigint DEFAULT 0 NOT NULL,
    finished_ns bigint DEFAULT 0 NOT NULL,
    duration_ms double precision DEFAULT 0 NOT NULL,
    items integer DEFAULT 0 NOT NULL
);


--
-- Name: runs; Type: TABLE; Schema: fixture_8463787; Owner: -
--

CREATE TABLE fixture_8463787.runs (
    id text NOT NULL,
    status text NOT NULL,
    error text DEFAULT ''::text NOT NULL,
    started_ns bigint NOT NULL,
    finished_ns bigint NOT NULL,
    duration_ms double precision NOT NULL,
    request text DEFAULT ''::text NOT NULL,
    plan_json text,
    tenant text DEFAULT ''::text NOT NULL,
    api_key_hash text DEFAULT ''::text NOT NULL,
    source text DEFAULT ''::text NOT NULL,
    created_ns bigint NOT NULL,
    request_id text DEFAULT ''::text NOT NULL,
    cache_entry text DEFAULT ''::text NOT NULL,
    alive_ns bigint DEFAULT 0 NOT NULL
);


--
-- Name: schema_migrations; Type: TABLE; Schema: fixture_8463787; Owner: -
--

CREATE TABLE fixture_8463787.schema_migrations (
    concern text NOT NULL,
    version integer NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: spend; Type: TABLE; Schema: fixture_8463787; Owner: -
--

CREATE TABLE fixture_8463787.spend (
    day bigint NOT NULL,
    api_key text NOT NULL,
    usd double precision NOT NULL
);


--
-- Name: cache_changes seq; Type: DEFAULT; Schema: fixture_8463787; Owner: -
--

ALTER TABLE ONLY fixture_8463787.cache_changes ALTER COLUMN seq SET DEFAULT nextval('fixture_8463787.cache_changes_seq_seq'::regclass);


--
-- Name: feedback id; Type: DEFAULT; Schema: fixture_8463787; Owner: -
--

ALTER TABLE ONLY fixture_8463787.feedback ALTER COLUMN id SET DEFAULT nextval('fixture_8463787.feedback_id_seq'::regclass);


--
-- Data for Name: cache_changes; Type: TABLE DATA; Schema: fixture_8463787; Owner: -
--

INSERT INTO fixture_8463787.cache_changes VALUES (1, 'fill-e1', 'put', 'fixture', '2026-12-04 07:49:10.065849+00');
INSERT INTO fixture_8463787.cache_changes VALUES (2, 'fill-e2', 'put', 'fixture', '2026-12-04 07:49:10.075685+00');


--
-- Data for Name: cache_entries; Type: TABLE DATA; Schema: fixture_8463787; Owner: -
--

INSERT INTO fixture_8463787.cache_entries VALUES ('fill-e2', 'reg1', 'p1', 'complex', 'default', 'what is 6 * 7', 'what is 6 * 7', 'what is {number} * {number}', 'null', '{"steps":[{"id":"s1","tool":"calculate","args":{"expression":"6 * 7"}}]}', 'local-512', '\x', 1796117401123456789, 1796117401123456789, 0);
INSERT INTO fixture_8463787.cache_entries VALUES ('fill-e1', 'reg1', 'p1', 'simple', 'acme', 'Email Bob the report', 'email bob the report', 'email {name} the report', '[{"Kind":"name","Text":"Bob","Value":"Bob","Start":6,"End":9}]', '{"goal":"email Bob the report","steps":[{"id":"s1","tool":"get_report","args":{"name":"q3"}},{"id":"s2","tool":"send_email","args":{"body":"${s1.text}","to":"Bob"}}]}', 'local-512', '\x0000803e0000c0bf59d900330000803f0000807f', 1796117400123456789, 1796121000123456789, 5);


--
-- Data for Name: cache_log_state; Type: TABLE DATA; Schema: fixture_8463787; Owner: -
--

INSERT INTO fixture_8463787.cache_log_state VALUES (true, 0);


--
-- Data for Name: experiments; Type: TABLE DATA; Schema: fixture_8463787; Owner: -
--

INSERT INTO fixture_8463787.experiments VALUES ('fill-x', 'wording', 'acme', '[{"name":"default","share":0.5},{"name":"concise","share":0.5}]', 'running', '', true, 50, 0.01, 1796117400123456789, 1796117460123456789);


--
-- Data for Name: feedback; Type: TABLE DATA; Schema: fixture_8463787; Owner: -
--

INSERT INTO fixture_8463787.feedback VALUES (1, 'fill-run', -1, 'wrong person', 1796117520123456789);
INSERT INTO fixture_8463787.feedback VALUES (2, 'fill-run', 1, '', 1796117580123456789);


--
-- Data for Name: history_records; Type: TABLE DATA; Schema: fixture_8463787; Owner: -
--

INSERT INTO fixture_8463787.history_records VALUES ('fill-r1', 'fill-r1', 'acme', 'k1', 'email bob@example.com', 'email <email>', '[{"Kind":"email","Text":"bob@example.com","Value":"bob@example.com","Start":6,"End":21}]', '\x9a99193fcdcc4c3f', 'e1', 'simple', 'gpt-4o-mini', 'concise', 'fill-x', 'llm', true, 'invalid_plan', '{"goal":"g","steps":[{"id":"s1","tool":"send_email","args":{"n":2.5,"to":"bob@example.com"}}]}', true, '["schema"]', '["send_email.to"]', 'ValidationError', 12.5, 100, 20, 0.0001, 'reg1', 'p1', 1796117400123456789, true, '{"run_id":"fill-run","status":"succeeded","steps":[{"id":"s1","tool":"send_email","status":"succeeded"}],"duration_ms":3}', 1, 2, '["RateLimitError"]');
INSERT INTO fixture_8463787.history_records VALUES ('fill-r2', 'fill-r2', 'default', '', 'hi', 'hi', '[]', NULL, '', '', '', '', '', 'none', false, '', NULL, false, '[]', '[]', '', 0, 0, 0, 0, '', '', 1796117460123456789, false, NULL, NULL, 0, '[]');


--
-- Data for Name: run_steps; Type: TABLE DATA; Schema: fixture_8463787; Owner: -
--

INSERT INTO fixture_8463787.run_steps VALUES ('fill-run', 0, 's1', 'get_weather', 'succeeded', '{"alerts":[{"title":"ice"}],"n":2,"summary":"cold","temperature_c":3.5}', '', true, 1, 1795726800123456789, 1795726801123456789, 1000, 0);
INSERT INTO fixture_8463787.run_steps VALUES ('fill-run', 1, 's2', 'notify', 'failed', '["a",null]', 's2: webhook answered 502', false, 3, 1795726801123456789, 1795726801623456789, 500, 2);
INSERT INTO fixture_8463787.run_steps VALUES ('fill-run', 2, 's3', 'notify', 'skipped', NULL, 'not run: s2 failed', false, 0, 0, 0, 0, 0);
INSERT INTO fixture_8463787.run_steps VALUES ('fill-queued', 0, 's1', 'calculate', 'pending', NULL, '', false, 0, 0, 0, 0, 0);


--
-- Data for Name: runs; Type: TABLE DATA; Schema: fixture_8463787; Owner: -
--

INSERT INTO fixture_8463787.runs VALUES ('fill-run', 'partial', '', 1795726800123456789, 1795726801623456789, 1500, 'email Bob the weather', '{"steps":[{"id":"s1","tool":"get_weather","args":{}}]}', 'acme', 'k1', 'cache', 1796117400123456789, 'fill-r1', 'fill-e1', 1796370550095826953);
INSERT INTO fixture_8463787.runs VALUES ('fill-queued', 'queued', '', 1795726800000000000, 0, 0, '', NULL, 'default', '', 'user', 1796117401123456789, '', '', 1796370550100538784);


--
-- Data for Name: schema_migrations; Type: TABLE DATA; Schema: fixture_8463787; Owner: -
--

INSERT INTO fixture_8463787.schema_migrations VALUES ('cache', 1, '2026-12-04 07:49:09.953218+00');
INSERT INTO fixture_8463787.schema_migrations VALUES ('history', 1, '2026-12-04 07:49:09.978029+00');
INSERT INTO fixture_8463787.schema_migrations VALUES ('history', 2, '2026-12-04 07:49:10.008823+00');
INSERT INTO fixture_8463787.schema_migrations VALUES ('runs', 1, '2026-12-04 07:49:10.011703+00');
INSERT INTO fixture_8463787.schema_migrations VALUES ('runs', 2, '2026-12-04 07:49:10.045339+00');
INSERT INTO fixture_8463787.schema_migrations VALUES ('runs', 3, '2026-12-04 07:49:10.048518+00');
INSERT INTO fixture_8463787.schema_migrations VALUES ('spend', 1, '2026-12-04 07:49:10.059278+00');


--
-- Data for Name: spend; Type: TABLE DATA; Schema: fixture_8463787; Owner: -
--

INSERT INTO fixture_8463787.spend VALUES (1796083200, 'k2', 1.5);
INSERT INTO fixture_8463787.spend VALUES (1796083200, 'k1', 0.375);
INSERT INTO fixture_8463787.spend VALUES (1796169600, 'k1', 9);


--
-- Name: cache_changes_seq_seq; Type: SEQUENCE SET; Schema: fixture_8463787; Owner: -
--

SELECT pg_catalog.setval('fixture_8463787.cache_changes_seq_seq', 2, true);


--
-- Name: feedback_id_seq; Type: SEQUENCE SET; Schema: fixture_8463787; Owner: -
--

SELECT pg_catalog.setval('fixture_8463787.feedback_id_seq', 2, true);


--
-- Name: cache_changes cache_changes_pkey; Type: CONSTRAINT; Schema: fixture_8463787; Owner: -
--

ALTER TABLE ONLY fixture_8463787.cache_changes
    ADD CONSTRAINT cache_changes_pkey PRIMARY KEY (seq);


--
-- Name: cache_entries cache_entries_pkey; Type: CONSTRAINT; Schema: fixture_8463787; Owner: -
--

ALTER TABLE ONLY fixture_8463787.cache_entries
    ADD CONSTRAINT cache_entries_pkey PRIMARY KEY (id);


--
-- Name: cache_log_state cache_log_state_pkey; Type: CONSTRAINT; Schema: fixture_8463787; Owner: -
--

ALTER TABLE ONLY fixture_8463787.cache_log_state
    ADD CONSTRAINT cache_log_state_pkey PRIMARY KEY (one);


--
-- Name: experiments experiments_pkey; Type: CONSTRAINT; Schema: fixture_8463787; Owner: -
--

ALTER TABLE ONLY fixture_8463787.experiments
    ADD CONSTRAINT experiments_pkey PRIMARY KEY (id);


--
-- Name: feedback feedback_pkey; Type: CONSTRAINT; Schema: fixture_8463787; Owner: -
--

ALTER TABLE ONLY fixture_8463787.feedback
    ADD CONSTRAINT feedback_pkey PRIMARY KEY (id);


--
-- Name: history_records history_records_pkey; Type: CONSTRAINT; Schema: fixture_8463787; Owner: -
--

ALTER TABLE ONLY fixture_8463787.history_records
    ADD CONSTRAINT history_records_pkey PRIMARY KEY (id);


--
-- Name: run_steps run_steps_pkey; Type: CONSTRAINT; Schema: fixture_8463787; Owner: -
--

ALTER TABLE ONLY fixture_8463787.run_steps
    ADD CONSTRAINT run_steps_pkey PRIMARY KEY (run_id, idx);


--
-- Name: runs runs_pkey; Type: CONSTRAINT; Schema: fixture_8463787; Owner: -
--

ALTER TABLE ONLY fixture_8463787.runs
    ADD CONSTRAINT runs_pkey PRIMARY KEY (id);


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: fixture_8463787; Owner: -
--

ALTER TABLE ONLY fixture_8463787.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (concern, version);


--
-- Name: spend spend_pkey; Type: CONSTRAINT; Schema: fixture_8463787; Owner: -
--

ALTER TABLE ONLY fixture_8463787.spend
    ADD CONSTRAINT spend_pkey PRIMARY KEY (day, api_key);


--
-- Name: cache_changes_at; Type: INDEX; Schema: fixture_8463787; Owner: -
--

CREATE INDEX cache_changes_at ON fixture_8463787.cache_changes USING btree (at);


--
-- Name: cache_entries_ns; Type: INDEX; Schema: fixture_8463787; Owner: -
--

CREATE INDEX cache_entries_ns ON fixture_8463787.cache_entries USING btree (ns_registry, ns_prompt, ns_tier, ns_tenant);


--
-- Name: feedback_run; Type: INDEX; Schema: fixture_8463787; Owner: -
--

CREATE INDEX feedback_run ON fixture_8463787.feedback USING btree (run_id);


--
-- Name: history_records_experiment; Type: INDEX; Schema: fixture_8463787; Owner: -
--

CREATE INDEX history_records_experiment ON fixture_8463787.history_records USING btree (experiment) WHERE (experiment <> ''::text);


--
-- Name: history_records_tenant_time; Type: INDEX; Schema: fixture_8463787; Owner: -
--

CREATE INDEX history_records_tenant_time ON fixture_8463787.history_records USING btree (tenant, time_ns);


--
-- Name: history_records_time; Type: INDEX; Schema: fixture_8463787; Owner: -
--

CREATE INDEX history_records_time ON fixture_8463787.history_records USING btree (time_ns);


--
-- Name: run_steps_tool_status; Type: INDEX; Schema: fixture_8463787; Owner: -
--

CREATE INDEX run_steps_tool_status ON fixture_8463787.run_steps USING btree (tool, status);


--
-- Name: runs_inflight; Type: INDEX; Schema: fixture_8463787; Owner: -
--

CREATE INDEX runs_inflight ON fixture_8463787.runs USING btree (alive_ns) WHERE (status = ANY (ARRAY['queued'::text, 'running'::text]));


--
-- Name: runs_status; Type: INDEX; Schema: fixture_8463787; Owner: -
--

CREATE INDEX runs_status ON fixture_8463787.runs USING btree (status);


--
-- Name: runs_tenant_created; Type: INDEX; Schema: fixture_8463787; Owner: -
--

CREATE INDEX runs_tenant_created ON fixture_8463787.runs USING btree (tenant, created_ns);


--
-- Name: feedback feedback_run_id_fkey; Type: FK CONSTRAINT; Schema: fixture_8463787; Owner: -
--

ALTER TABLE ONLY fixture_8463787.feedback
    ADD CONSTRAINT feedback_run_id_fkey FOREIGN KEY (run_id) REFERENCES fixture_8463787.runs(id) ON DELETE CASCADE;


--
-- Name: run_steps run_steps_run_id_fkey; Type: FK CONSTRAINT; Schema: fixture_8463787; Owner: -
--

ALTER TABLE ONLY fixture_8463787.run_steps
    ADD CONSTRAINT run_steps_run_id_fkey FOREIGN KEY (run_id) REFERENCES fixture_8463787.runs(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--

\unrestrict 0F5AZ43eRvzAou8ejXlPwRlJcOtci1zgIxLZdS0GTXFQSMqpIxGoDQDwNygaT8t

