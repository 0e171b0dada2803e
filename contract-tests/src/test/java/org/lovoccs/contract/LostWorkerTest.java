package org.lovoccs.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * A worker that dies mid-quantum never reports it: the registry takes a quantum running for longer than
 * {@code lovoccs.orchestrator.running-timeout-minutes} (60) as lost. With no attempt left it fails as WorkerLost, naming
 * the worker, and the quantum downstream of it becomes dep_fail; it is never left running for ever.
 */
class LostWorkerTest {

    @Test
    void aQuantumWhoseWorkerDiedFailsAndItsDependantIsDepFail() throws Exception {
        TestServers.requireRunning();
        String cluster = "LOST" + Long.toString(System.currentTimeMillis(), 36).toUpperCase();
        UUID lost = UUID.randomUUID();
        UUID dependant = UUID.randomUUID();
        UUID between = UUID.randomUUID();
        try (Connection db = TestServers.db()) {
            exec(db, "INSERT INTO cluster (name) VALUES (?)", cluster);
            // attempt 3 of 3, started two hours ago by a worker that never reported
            exec(db, "INSERT INTO quantum (id, cluster, task_label, service, data_id, state, attempt, max_attempts,"
                    + " dispatch, worker, started_at) VALUES (?::uuid, ?, 'isr', 'isr', '{}'::jsonb, 'running', 3, 3,"
                    + " '{}'::jsonb, 'isr@4242@gone', now() - interval '2 hours')", lost.toString(), cluster);
            exec(db, "INSERT INTO quantum (id, cluster, task_label, service, data_id, state, dispatch) VALUES"
                    + " (?::uuid, ?, 'characterizeImage', 'isr', '{}'::jsonb, 'unready', '{}'::jsonb)",
                    dependant.toString(), cluster);
            exec(db, "INSERT INTO quantum_dataset (quantum, dataset, role, connection, dataset_type) VALUES"
                    + " (?::uuid, ?::uuid, 'output', 'outputExposure', 'postISRCCD')", lost.toString(), between.toString());
            exec(db, "INSERT INTO quantum_dataset (quantum, dataset, role, connection, dataset_type) VALUES"
                    + " (?::uuid, ?::uuid, 'input', 'exposure', 'postISRCCD')", dependant.toString(), between.toString());
        }
        String[] lostState = new String[2];
        TestServers.waitFor("the registry to take the silent worker for lost", Duration.ofSeconds(75), () -> {
            try (Connection db = TestServers.db(); PreparedStatement ps = db.prepareStatement(
                    "SELECT state, error_message FROM quantum WHERE id = ?::uuid")) {
                ps.setString(1, lost.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    lostState[0] = rs.getString(1);
                    lostState[1] = rs.getString(2);
                }
            } catch (Exception e) {
                return false;
            }
            return "failed".equals(lostState[0]);
        });
        assertTrue(lostState[1].contains("isr@4242@gone") && lostState[1].contains("within 60 minutes"),
                lostState[1]);
        try (Connection db = TestServers.db(); PreparedStatement ps = db.prepareStatement(
                "SELECT state, error_message FROM quantum WHERE id = ?::uuid")) {
            ps.setString(1, dependant.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals("dep_fail", rs.getString(1));
                assertTrue(rs.getString(2).contains(lost.toString()), rs.getString(2));
            }
        }
    }

    private static void exec(Connection db, String sql, String... args) throws Exception {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }
}
