import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import org.apache.ignite.Ignition;
import org.apache.ignite.cache.query.SqlFieldsQuery;
import org.apache.ignite.client.IgniteClient;
import org.apache.ignite.configuration.ClientConfiguration;

/**
 * A training set built with nothing but Ignite's thin clients (no Hearth classes on the client's class path):
 * the spine goes into a SQL table, the point-in-time join runs as the compute task
 * {@code io.hearth.node.ExtractByNameTask} started by name, and the rows come back over the JDBC thin driver.
 *
 * <p>Run it against {@code ./hearth up} (it uses the demo's customers and feature service):
 * {@code java @config/jvm.options -cp "cli/target/lib/*" docs/examples/ThinClientExtract.java 127.0.0.1:10800}
 * (Java runs a single source file directly). {@code TrainingExamplesIT} compiles and runs this file.
 */
public class ThinClientExtract {
    public static void main(String[] args) throws Exception {
        String address = args.length > 0 ? args[0] : "127.0.0.1:10800";
        try (IgniteClient client = Ignition.startClient(new ClientConfiguration().setAddresses(address))) {
            // 1. The spine: entity key, the time each row's features must be as of, and a label.
            client.query(new SqlFieldsQuery("CREATE TABLE IF NOT EXISTS churn_spine (id INT PRIMARY KEY, "
                + "customer_id VARCHAR, event_ts TIMESTAMP, churned INT)")).getAll();
            client.query(new SqlFieldsQuery("DELETE FROM churn_spine")).getAll();
            client.query(new SqlFieldsQuery("INSERT INTO churn_spine (id, customer_id, event_ts, churned) VALUES "
                + "(1, 'C1001', CURRENT_TIMESTAMP(), 0), (2, 'C1002', CURRENT_TIMESTAMP(), 1), "
                + "(3, 'C1001', DATEADD('DAY', -1, CURRENT_TIMESTAMP()), 0)")).getAll();

            // 2. The join, where the data is: a compute task started by name with a JSON argument.
            String summary = client.compute().execute("io.hearth.node.ExtractByNameTask",
                "{\"name\": \"churn_train\", \"feature_service\": \"churn_model_v1\", "
                    + "\"spine_table\": \"PUBLIC.CHURN_SPINE\", \"replace\": true}");
            System.out.println("extract: " + summary);
        }
        // 3. The training rows, in spine order, over JDBC.
        try (Connection c = DriverManager.getConnection("jdbc:ignite:thin://" + address);
             ResultSet rs = c.createStatement().executeQuery("SELECT * FROM training.churn_train ORDER BY _key")) {
            ResultSetMetaData md = rs.getMetaData();
            StringBuilder header = new StringBuilder();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                header.append(i > 1 ? "," : "").append(md.getColumnName(i).toLowerCase());
            }
            System.out.println(header);
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.append(i > 1 ? "," : "").append(rs.getObject(i));
                }
                System.out.println(row);
            }
        }
    }
}
