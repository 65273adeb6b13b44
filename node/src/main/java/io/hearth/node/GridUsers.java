package io.hearth.node;

import java.util.List;
import org.apache.ignite.Ignition;
import org.apache.ignite.cache.query.SqlFieldsQuery;
import org.apache.ignite.client.ClientAuthenticationException;
import org.apache.ignite.client.ClientConnectionException;
import org.apache.ignite.client.IgniteClient;
import org.apache.ignite.client.SslMode;
import org.apache.ignite.configuration.ClientConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the grid's users what the cluster secret says, through a server node's own thin-client port (Ignite lets
 * only its superuser manage users, and only over a client connection). Run by every server node once the cluster is
 * active; cheap when nothing is to be done, and safe when nodes run it at the same time.
 * <ol>
 *   <li>Hearth's user logs in: done.</li>
 *   <li>Else the default superuser {@code ignite}/{@code ignite} logs in (a new cluster): create Hearth's user, then
 *       give {@code ignite} the secret's superuser password. The default password never outlives the first start.</li>
 *   <li>Else the superuser logs in with the secret's password: Hearth's user is created or its password set (the
 *       secret file's password was changed).</li>
 *   <li>Else the secret file is not this cluster's: the node refuses to start, saying so.</li>
 * </ol>
 */
final class GridUsers {
    private static final Logger LOG = LoggerFactory.getLogger(GridUsers.class);
    static final String SUPERUSER = "ignite";
    private static final String DEFAULT_PASSWORD = "ignite";

    private GridUsers() {
    }

    static void ensure(String address, GridSecurity security) {
        GridSecurity.Login login = security.login().orElseThrow();
        if (canLogIn(address, security, login.user(), login.password())) {
            return;
        }
        if (login.user().equals(SUPERUSER)) {
            throw new IllegalStateException("the cluster secret's user may not be '" + SUPERUSER + "', Ignite's superuser");
        }
        try (IgniteClient c = connect(address, security, SUPERUSER, DEFAULT_PASSWORD)) {
            create(c, login);
            sql(c, "ALTER USER \"" + SUPERUSER + "\" WITH PASSWORD '" + quote(login.superuserPassword()) + "'");
            LOG.info("Grid users set up: user '{}' created, the default password of '{}' replaced", login.user(), SUPERUSER);
            return;
        } catch (ClientAuthenticationException e) {
            // not a new cluster: the superuser has its own password
        }
        try (IgniteClient c = connect(address, security, SUPERUSER, login.superuserPassword())) {
            create(c, login);
            LOG.info("Grid user '{}' set to the cluster secret's password", login.user());
        } catch (ClientAuthenticationException e) {
            throw new IllegalStateException("the cluster secret's user '" + login.user() + "' and superuser password do "
                + "not log in to this cluster: every node and client of a cluster needs the same secret file");
        }
    }

    /** Creates Hearth's user, or sets its password when it exists (another node was first, or a changed secret). */
    private static void create(IgniteClient c, GridSecurity.Login login) {
        try {
            sql(c, "CREATE USER \"" + login.user() + "\" WITH PASSWORD '" + quote(login.password()) + "'");
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("already exists")) {
                throw e;
            }
            sql(c, "ALTER USER \"" + login.user() + "\" WITH PASSWORD '" + quote(login.password()) + "'");
        }
    }

    static boolean canLogIn(String address, GridSecurity security, String user, String password) {
        try (IgniteClient c = connect(address, security, user, password)) {
            return true;
        } catch (ClientAuthenticationException e) {
            return false;
        }
    }

    static IgniteClient connect(String address, GridSecurity security, String user, String password) {
        ClientConfiguration cfg = new ClientConfiguration().setAddresses(address).setUserName(user).setUserPassword(password)
            .setTimeout(30_000);
        security.sslContextFactory().ifPresent(f -> cfg.setSslMode(SslMode.REQUIRED).setSslContextFactory(f));
        try {
            return Ignition.startClient(cfg);
        } catch (ClientConnectionException e) {
            throw new IllegalStateException("cannot reach this node's client port " + address + " to set up grid users: "
                + e.getMessage(), e);
        }
    }

    private static void sql(IgniteClient c, String statement) {
        List<List<?>> ignored = c.query(new SqlFieldsQuery(statement)).getAll();
    }

    /** A password inside single quotes: quotes doubled (the secret file's passwords have none). */
    private static String quote(String s) {
        return s.replace("'", "''");
    }
}
