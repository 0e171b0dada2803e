-- A quantum belongs to the output RUN it writes; re-running a step plans new quanta into a new RUN, and the status
-- counts the quanta of each step's current RUN (quanta planned before this migration keep the RUN of their planned
-- outputs).
ALTER TABLE quantum ADD COLUMN run text;
UPDATE quantum q SET run = (SELECT e.v -> 0 ->> 'run' FROM jsonb_each(q.dispatch -> 'outputs') AS e(k, v) LIMIT 1);
CREATE INDEX quantum_cluster_run ON quantum (cluster, run);
