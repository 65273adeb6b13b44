package io.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hearth sql}: runs SQL over Ignite's thin JDBC driver, the way any JDBC tool would, and prints the rows.
 * The driver needs the JVM flags of config/jvm.options, which {@code ./hearth} passes; the address comes from the
 * gateway ({@code GET /health}), so it is right whatever port the node took; with {@code --cluster-secret} the
 * driver logs in (and speaks TLS) with the file's login.
 */
@Command(name = "sql", description = "Run SQL against the cluster over the Ignite thin JDBC driver (the tables "
    + "TRAINING.<NAME> and HEARTH.QUARANTINE) and print the rows.")
final class SqlCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SQL", description = "The statement, e.g. \"SELECT * FROM training.orders_train ORDER BY _key\".")
    String sql;

    @Option(names = "--jdbc", paramLabel = "URL", description = "JDBC URL (default: the one the gateway reports, "
        + "e.g. jdbc:ignite:thin://127.0.0.1:10800).")
    String jdbc;

    @Option(names = "--csv", description = "Print rows as CSV instead of an aligned table.")
    boolean csv;

    @Option(names = "--max-rows", description = "Most rows to print (default: ${DEFAULT-VALUE}).", defaultValue = "1000")
    int maxRows;

    @picocli.CommandLine.Mixin
    ClientOptions client = new ClientOptions();

    @picocli.CommandLine.Mixin
    ClusterSecretOptions secret = new ClusterSecretOptions();

    @Override
    public Integer call() throws Exception {
        String url = jdbc;
        if (url == null) {
            try {
                JsonNode health = client.client().send("GET", "/health", null, null);
                url = health.path("sql").path("jdbc_url").asText(null);
            } catch (GatewayClient.CallFailed e) {
                System.err.println("hearth sql: " + e.detail() + "; or give the JDBC URL with --jdbc");
                return 1;
            }
            if (url == null) {
                System.err.println("hearth sql: the gateway reports no SQL endpoint; give one with --jdbc");
                return 1;
            }
        }
        // The grid's login and TLS come from the cluster secret file, never the command line (ps shows it to all).
        java.util.Properties login = io.hearth.security.cluster.ClusterSecret.jdbcProperties(secret.read(false));
        try (Connection c = DriverManager.getConnection(url, login); Statement st = c.createStatement()) {
            st.setMaxRows(maxRows + 1);
            if (!st.execute(sql)) {
                System.out.println(st.getUpdateCount() + " row(s) changed.");
                return 0;
            }
            try (ResultSet rs = st.getResultSet()) {
                print(rs);
            }
            return 0;
        } catch (SQLException e) {
            String m = e.getMessage().split("\n")[0];
            boolean refused = m.contains("user name or password") || m.contains("authentication");
            System.err.println("hearth sql: " + m + (refused || m.startsWith("Failed to connect") && secret.file == null
                ? " (a cluster with a login or TLS wants its secret file: --cluster-secret FILE or HEARTH_CLUSTER_SECRET)" : ""));
            return 1;
        }
    }

    private void print(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String[]> rows = new ArrayList<>();
        String[] head = new String[n];
        for (int i = 0; i < n; i++) {
            head[i] = md.getColumnLabel(i + 1);
        }
        boolean more = false;
        while (rs.next()) {
            if (rows.size() == maxRows) {
                more = true;
                break;
            }
            String[] r = new String[n];
            for (int i = 0; i < n; i++) {
                Object v = rs.getObject(i + 1);
                r[i] = v instanceof java.sql.Timestamp t ? io.hearth.compute.time.Timestamps.format(t.getTime())
                    : v == null ? null : v.toString();
            }
            rows.add(r);
        }
        if (csv) {
            java.io.StringWriter w = new java.io.StringWriter();
            try {
                line(w, head);
                for (String[] r : rows) {
                    line(w, r);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            System.out.print(w);
        } else {
            int[] width = new int[n];
            for (int i = 0; i < n; i++) {
                width[i] = head[i].length();
                for (String[] r : rows) {
                    width[i] = Math.max(width[i], r[i] == null ? 4 : Math.min(60, r[i].length()));
                }
            }
            StringBuilder sb = new StringBuilder();
            row(sb, head, width);
            for (int i = 0; i < n; i++) {
                sb.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
            }
            sb.append('\n');
            for (String[] r : rows) {
                row(sb, r, width);
            }
            System.out.print(sb);
        }
        System.out.println("(" + rows.size() + (more ? "+ rows: more than --max-rows " + maxRows : " row" + (rows.size() == 1
            ? "" : "s")) + ")");
    }

    private static void row(StringBuilder sb, String[] cells, int[] width) {
        for (int i = 0; i < cells.length; i++) {
            String c = cells[i] == null ? "null" : cells[i].length() > 60 ? cells[i].substring(0, 57) + "..." : cells[i];
            sb.append(i == 0 ? "" : "  ").append(c).append(" ".repeat(Math.max(0, width[i] - c.length())));
        }
        sb.append('\n');
    }

    private static void line(java.io.Writer w, String[] cells) throws java.io.IOException {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                w.write(',');
            }
            io.hearth.formats.Csv.cell(w, cells[i]);
        }
        w.write('\n');
    }
}
